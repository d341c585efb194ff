package io.agentmon.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * agentmon side by side with what a user would pick instead (issue 12): the same workloads
 * bare, under agentmon, under Prometheus' jmx_exporter javaagent, under the OpenTelemetry Java
 * agent, and with a hand-written Micrometer timer; whole worker JVMs, like the OpenTelemetry
 * project's own overhead benchmark. Every workload runs its configurations round-robin, one
 * round after the other, the order rotating each round, so that whatever else the (shared)
 * machine does falls on every configuration alike; figures are medians over the rounds, and
 * "added" is a configuration less the bare JVM of the same round.
 *
 * <p>Run from the repository root; the build fetches the peers' jars through Maven
 * ({@code benchmarks/pom.xml}, executions {@code peer-agents} and {@code micrometer-jars}):
 * <pre>
 * mvn -B -q package -DskipTests -pl bootstrap,agent,sample-worker,benchmarks
 * java -cp benchmarks/target/benchmarks.jar io.agentmon.benchmarks.PeerOverhead --write BENCHMARKS.md
 * </pre>
 * {@code --write FILE} puts the tables into FILE's section {@value #SECTION} (replacing it, or
 * appended); without it they are only printed. {@code --smoke}: one round, short durations,
 * small label counts; it checks only that every configuration of every workload ran and gave
 * its figures (and that every endpoint answered), never a time ({@code PeerOverheadSmokeTest}
 * runs it in {@code mvn verify}). A peer that does not run fails the run, in either mode.
 *
 * <p>The workloads ({@code --only hello,first-task,memory,throughput} picks some):
 * <ol>
 *   <li>hello: {@link benchworker.HelloWorld} (one task method, run once) from start to exit,
 *   under {@code /usr/bin/time -f "%e %U %S %M"}: wall time, CPU time (user + system) and peak
 *   RSS of the {@code java} process;</li>
 *   <li>first-task: the sample worker ({@code java -jar sample-worker.jar --jobs 1 --threads 1
 *   --print-every 0}, agentmon with the demo's configuration): from the harness's
 *   {@link ProcessBuilder#start()} to the worker's line {@code finished 1 jobs}, which it
 *   prints once its one job has finished;</li>
 *   <li>memory: {@link benchworker.RunningWorker} with {@code --small} (10) and {@code --large}
 *   (1000) task labels at {@code --rate} (200) runs a second, {@code --hold} (20) s after its
 *   start and once every task ran and every endpoint answered one scrape: RSS
 *   ({@code /proc/<pid>/status}), Native Memory Tracking (committed, outside the Java heap),
 *   live heap (the total of {@code jcmd GC.class_histogram}, which counts what a full
 *   collection kept), and heap bytes allocated by all threads before {@code main} and by then
 *   ({@code ThreadMXBean.getTotalThreadAllocatedBytes()}, asked in the worker);</li>
 *   <li>throughput: one {@link benchworker.ThroughputWorker} per configuration, all started
 *   first and kept, warmed up; each round tells each in turn to run its CPU-bound task back to
 *   back for {@code --run-ms}, once unscraped and once scraped once a second by the harness
 *   (while, and only while, it runs), and counts tasks a second.</li>
 * </ol>
 */
public final class PeerOverhead {

    static final String SECTION = "## Peers side by side (issue 12)";

    /** The configurations, in table order. */
    enum Setup {
        BARE("bare JVM"),
        AGENTMON("agentmon"),
        JMX("jmx_exporter"),
        OTEL("OpenTelemetry agent"),
        MICROMETER("Micrometer timer");

        final String shortName;

        Setup(String shortName) {
            this.shortName = shortName;
        }
    }

    private static final Pattern AGENTMON_SERVING = Pattern.compile("agentmon: .* serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final Pattern MICROMETER_SERVING = Pattern.compile("^micrometer: serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final Pattern OTEL_STARTED = Pattern.compile("opentelemetry-javaagent - version: ");
    private static final Pattern HELLO = Pattern.compile("^hello world -?\\d+");
    private static final Pattern FIRST_TASK = Pattern.compile("^finished 1 jobs in ");
    private static final Pattern STARTED = Pattern.compile("^started alloc=(-?\\d+)");
    private static final Pattern ALL_RAN = Pattern.compile("^all tasks ran");
    private static final Pattern ALLOC = Pattern.compile("^alloc=(-?\\d+)");
    private static final Pattern READY = Pattern.compile("^ready");
    private static final Pattern RAN = Pattern.compile("^ran tasks=(\\d+) nanos=(\\d+)");
    private static final Pattern TIME_LINE = Pattern.compile("^([0-9.]+) ([0-9.]+) ([0-9.]+) (\\d+)$");

    /** The smallest jmx_exporter configuration that serves: every MBean attribute, by the default naming. */
    static final String JMX_CONFIG = "rules:\n- pattern: \".*\"\n";

    /** The sample worker's jobs, as agentmon's demo names them and as the OpenTelemetry agent must list them. */
    private static final String SAMPLE_TASKS = "com.acme.worker.jobs.Job+#execute";
    private static final String SAMPLE_OTEL_METHODS = "com.acme.worker.jobs.IngestJob[execute];com.acme.worker.jobs.TransformJob[execute];"
            + "com.acme.worker.jobs.FetchJob[execute];com.acme.worker.jobs.BuildJob[execute]";
    /** The rest of the demo's configuration (demo.sh, WorkerProcess.demoConfiguration()). */
    private static final List<String> SAMPLE_AGENTMON = List.of(
            "-Dagentmon.service=sample-worker",
            "-Dagentmon.docker=com.acme.worker.containers.ContainerAllocator#allocate",
            "-Dagentmon.docker.cpu=arg0", "-Dagentmon.docker.memory=arg1",
            "-Dagentmon.docker.release=com.acme.worker.containers.ContainerAllocator#release",
            "-Dagentmon.task.deadline=45ms",
            "-Dagentmon.events.remote_call=com.acme.worker.remote.RemoteService#call",
            "-Dagentmon.events.remote_call.value=arg1");

    // Settings, from the command line (--name value).
    private final Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    private String workerClasspath = System.getProperty("java.class.path");
    private Path agentJar = Paths.get("agent/target/agentmon.jar");
    private Path sampleJar = Paths.get("sample-worker/target/sample-worker.jar");
    private Path peersDir = Paths.get("benchmarks/target/peers");
    private Path micrometerDir = Paths.get("benchmarks/target/micrometer");
    private Path timeTool = Paths.get("/usr/bin/time");
    private Path write;
    private boolean smoke;
    private int rounds = 7;
    private int memoryRounds = -1; // -1: as rounds
    private int small = 10;
    private int large = 1000;
    private int holdSeconds = 20;
    private double rate = 200;
    private int spinMicros = 50;
    private int concurrent = 5;
    private int taskRounds = 2000;
    private int runMillis = 3000;
    private int warmupMillis = 2000;
    private long startTimeout = 300;
    private final Set<String> workloads = new LinkedHashSet<>(List.of("hello", "first-task", "memory", "throughput"));
    private String command = "java -cp benchmarks/target/benchmarks.jar io.agentmon.benchmarks.PeerOverhead --write BENCHMARKS.md";

    private final WorkerJvm.Group workers = new WorkerJvm.Group();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private Path temp;
    private Path jmxConfig;
    private Path generated;
    private final Map<Setup, String> versions = new EnumMap<>(Setup.class);
    private final List<String> problems = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();

    private PeerOverhead() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(args);
        } catch (Exception | AssertionError e) {
            System.err.println("PeerOverhead failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /**
     * Runs the harness with these arguments and returns the Markdown section it made (and, with
     * {@code --write}, wrote). Throws when a configuration did not run or gave no figure.
     */
    public static String run(String... args) throws Exception {
        PeerOverhead bench = new PeerOverhead();
        bench.parse(args);
        Thread cleanup = new Thread(bench.workers::killAll, "peers-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return bench.run();
        } finally {
            bench.workers.killAll();
            bench.deleteTemp();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // already running
            }
        }
    }

    private void parse(String[] args) {
        List<String> given = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--smoke")) {
                smoke = true;
                rounds = 1;
                holdSeconds = 2;
                large = 0; // one label count only: the same code, and each OpenTelemetry start costs seconds
                runMillis = 500;
                warmupMillis = 300;
                given.add(name);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("no value after " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--agent": agentJar = Paths.get(value); break;
                case "--sample-worker": sampleJar = Paths.get(value); break;
                case "--peers": peersDir = Paths.get(value); break;
                case "--micrometer": micrometerDir = Paths.get(value); break;
                case "--classpath": workerClasspath = value; break;
                case "--time": timeTool = Paths.get(value); break;
                case "--write": write = Paths.get(value); break;
                case "--rounds": rounds = Integer.parseInt(value); break;
                case "--memory-rounds": memoryRounds = Integer.parseInt(value); break;
                case "--small": small = Integer.parseInt(value); break;
                case "--large": large = Integer.parseInt(value); break;
                case "--hold": holdSeconds = Integer.parseInt(value); break;
                case "--rate": rate = Double.parseDouble(value); break;
                case "--spin-us": spinMicros = Integer.parseInt(value); break;
                case "--concurrent": concurrent = Integer.parseInt(value); break;
                case "--task-rounds": taskRounds = Integer.parseInt(value); break;
                case "--run-ms": runMillis = Integer.parseInt(value); break;
                case "--warmup-ms": warmupMillis = Integer.parseInt(value); break;
                case "--start-timeout": startTimeout = Long.parseLong(value); break;
                case "--only":
                    Set<String> only = new LinkedHashSet<>(Arrays.asList(value.split(",")));
                    if (!workloads.containsAll(only)) {
                        throw new IllegalArgumentException("--only " + value + ": known are " + workloads);
                    }
                    workloads.retainAll(only);
                    break;
                default: throw new IllegalArgumentException("unknown option " + name
                        + " (known: --smoke --write --rounds --memory-rounds --only --small --large --hold --rate --spin-us"
                        + " --concurrent --task-rounds --run-ms --warmup-ms --start-timeout --agent --sample-worker --peers"
                        + " --micrometer --classpath --time)");
            }
            if (!name.equals("--agent") && !name.equals("--sample-worker") && !name.equals("--peers")
                    && !name.equals("--micrometer") && !name.equals("--classpath") && !name.equals("--time")) {
                given.add(name + " " + value);
            }
        }
        if (memoryRounds < 0) {
            memoryRounds = rounds;
        }
        command = "java -cp benchmarks/target/benchmarks.jar io.agentmon.benchmarks.PeerOverhead" + (given.isEmpty() ? "" : " " + String.join(" ", given));
    }

    // ---------------------------------------------------------------- the run

    private String run() throws Exception {
        for (Path jar : List.of(agentJar, sampleJar, otelJar(), jmxJar())) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " not found: run from the repository root after "
                        + "mvn -B -q package -DskipTests -pl bootstrap,agent,sample-worker,benchmarks");
            }
        }
        if (micrometerJars().isEmpty()) {
            throw new IllegalStateException("no Micrometer jars in " + micrometerDir + ": build the benchmarks module first");
        }
        if (workloads.contains("hello") && !Files.isExecutable(timeTool)) {
            throw new IllegalStateException(timeTool + " not found: install the Debian package time");
        }
        versions.put(Setup.AGENTMON, manifestVersion(agentJar));
        versions.put(Setup.JMX, manifestVersion(jmxJar()));
        versions.put(Setup.OTEL, manifestVersion(otelJar()));
        versions.put(Setup.MICROMETER, micrometerVersion());

        temp = Files.createTempDirectory("peers-");
        jmxConfig = temp.resolve("jmx_exporter.yaml");
        Files.write(jmxConfig, JMX_CONFIG.getBytes(StandardCharsets.UTF_8));
        String loadBefore = WorkerJvm.loadAverage();
        long started = System.nanoTime();
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT));
        String javaVersion = javaVersion();
        log("PeerOverhead " + date + (smoke ? " (smoke)" : "") + ", load " + loadBefore);

        StringBuilder tables = new StringBuilder();
        Map<String, Double> ratios = new LinkedHashMap<>();
        if (workloads.contains("hello")) {
            hello(tables, ratios);
        }
        if (workloads.contains("first-task")) {
            firstTask(tables, ratios);
        }
        if (workloads.contains("memory")) {
            generated = Files.createDirectories(temp.resolve("tasks"));
            benchworker.ManyTasksWorker.compile(generated, Math.max(small, large));
            memory(tables, ratios);
        }
        if (workloads.contains("throughput")) {
            throughput(tables, ratios);
        }
        String loadAfter = WorkerJvm.loadAverage();
        double minutes = (System.nanoTime() - started) / 60e9;

        section(date, javaVersion, loadBefore, loadAfter, minutes, tables, ratios);
        String text = report.toString();
        System.out.println();
        System.out.println(text);
        if (!problems.isEmpty()) {
            throw new AssertionError("PeerOverhead: " + problems.size() + " problem(s), nothing written:\n  "
                    + String.join("\n  ", problems));
        }
        if (write != null) {
            writeSection(write, text);
            log("wrote the section to " + write);
        }
        return text;
    }

    private void log(String line) {
        System.out.println("# " + line);
        System.out.flush();
    }

    /** The configurations of a round, rotated by the round number. */
    private static <T> List<T> rotated(List<T> items, int round) {
        List<T> order = new ArrayList<>(items);
        if (!order.isEmpty()) {
            Collections.rotate(order, -(round % order.size()));
        }
        return order;
    }

    // ---------------------------------------------------------------- how each configuration is started

    /** What a workload hands an agent: its task methods, in each agent's terms. */
    private static final class Tasks {
        final String agentmonTasks;
        final List<String> agentmonExtra;
        final String otelMethods;
        final String[] micrometerNames;

        Tasks(String agentmonTasks, List<String> agentmonExtra, String otelMethods, String... micrometerNames) {
            this.agentmonTasks = agentmonTasks;
            this.agentmonExtra = agentmonExtra;
            this.otelMethods = otelMethods;
            this.micrometerNames = micrometerNames;
        }
    }

    /** A started worker and where its metrics are served (-1: nowhere, or not known yet). */
    private final class Launched {
        final Setup setup;
        final WorkerJvm jvm;
        int port;

        Launched(Setup setup, WorkerJvm jvm, int port) {
            this.setup = setup;
            this.jvm = jvm;
            this.port = port;
        }

        /** The metrics port, once the endpoint answers: the line agentmon or Micrometer prints, or a first 200 from a peer. */
        int awaitPort() throws InterruptedException {
            if (setup == Setup.BARE) {
                return -1;
            }
            if (setup == Setup.AGENTMON && port < 0) {
                port = Integer.parseInt(jvm.find(AGENTMON_SERVING, startTimeout, "agentmon's serving line").group(1));
            } else if (setup == Setup.MICROMETER && port < 0) {
                port = Integer.parseInt(jvm.find(MICROMETER_SERVING, startTimeout, "the Micrometer endpoint's line").group(1));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startTimeout);
            String last = "";
            while (System.nanoTime() < deadline) {
                if (!jvm.process.isAlive()) {
                    throw new IllegalStateException(jvm.name + " exited before its endpoint answered; its output:\n" + jvm.output());
                }
                try {
                    int status = scrape(port);
                    if (status == 200) {
                        return port;
                    }
                    last = "status " + status;
                } catch (IOException notYet) {
                    last = notYet.toString();
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException(jvm.name + ": GET /metrics on port " + port + " did not answer 200 within "
                    + startTimeout + " s (" + last + "); its output:\n" + jvm.output());
        }
    }

    private Path otelJar() {
        return peersDir.resolve("opentelemetry-javaagent.jar");
    }

    private Path jmxJar() {
        return peersDir.resolve("jmx_prometheus_javaagent.jar");
    }

    private List<Path> micrometerJars() throws IOException {
        if (!Files.isDirectory(micrometerDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(micrometerDir)) {
            List<Path> jars = new ArrayList<>();
            files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
            return jars;
        }
    }

    /**
     * The JVM flags of one configuration, and its metrics port where the harness chooses it
     * (jmx_exporter, OpenTelemetry: a free port on 127.0.0.1) into {@code port[0]}.
     */
    private List<String> agentFlags(Setup setup, Tasks tasks, int[] port) throws IOException {
        List<String> flags = new ArrayList<>();
        port[0] = -1;
        switch (setup) {
            case BARE:
                break;
            case AGENTMON:
                flags.add("-javaagent:" + agentJar.toAbsolutePath());
                flags.add("-Dagentmon.port=0");
                flags.add("-Dagentmon.host=127.0.0.1");
                flags.add("-Dagentmon.tasks=" + tasks.agentmonTasks);
                flags.addAll(tasks.agentmonExtra);
                break;
            case JMX:
                port[0] = freePort();
                flags.add("-javaagent:" + jmxJar().toAbsolutePath() + "=127.0.0.1:" + port[0] + ":" + jmxConfig.toAbsolutePath());
                break;
            case OTEL:
                port[0] = freePort();
                flags.add("-javaagent:" + otelJar().toAbsolutePath());
                flags.addAll(otelProperties(port[0]));
                flags.add("-Dotel.instrumentation.methods.include=" + tasks.otelMethods);
                break;
            case MICROMETER:
                flags.add("-D" + benchworker.Timing.PROPERTY + "=micrometer");
                break;
            default:
                throw new AssertionError(setup);
        }
        return flags;
    }

    private static List<String> otelProperties(int port) {
        return List.of("-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none",
                "-Dotel.metrics.exporter=prometheus", "-Dotel.exporter.prometheus.host=127.0.0.1",
                "-Dotel.exporter.prometheus.port=" + port);
    }

    /** The worker class path of a configuration: Micrometer's jars only in its own. */
    private String classpath(Setup setup, Path... extra) throws IOException {
        List<String> entries = new ArrayList<>();
        for (Path path : extra) {
            entries.add(path.toString());
        }
        entries.add(workerClasspath);
        if (setup == Setup.MICROMETER) {
            for (Path jar : micrometerJars()) {
                entries.add(jar.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private Launched launch(String name, Setup setup, Tasks tasks, List<String> jvmFlags, List<String> mainAndArgs,
                            Path... classpathExtra) throws IOException {
        int[] port = new int[1];
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmFlags);
        command.addAll(agentFlags(setup, tasks, port));
        command.add("-cp");
        command.add(classpath(setup, classpathExtra));
        command.addAll(mainAndArgs);
        return new Launched(setup, workers.start(name, command), port[0]);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Checks that the OpenTelemetry agent really started (it prints its version from
     * {@code premain}), so that a silent no-op cannot pass. A -javaagent jar that does not load at
     * all stops the JVM before {@code main}; agentmon starts its endpoint off the start-up path, so
     * a worker that exits at once may exit before agentmon serves: its serving line is checked
     * where its endpoint is scraped (memory, throughput).
     */
    private void checkStarted(Launched launched) {
        if (launched.setup == Setup.OTEL) {
            launched.jvm.find(OTEL_STARTED, startTimeout, "the OpenTelemetry agent's version line");
        }
    }

    private int scrape(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return response.statusCode();
    }

    private String scrapeText(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/plain;version=0.0.4").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics on port " + port + ": status " + response.statusCode());
        }
        return response.body();
    }

    // ---------------------------------------------------------------- 1. hello world

    private void hello(StringBuilder out, Map<String, Double> ratios) throws Exception {
        List<Setup> setups = List.of(Setup.values());
        Tasks tasks = new Tasks("benchworker.PeerTask#run", List.of(), "benchworker.PeerTask[run]", "benchworker.PeerTask");
        // values[setup] = per round {wall s, cpu s, peak rss bytes}
        Map<Setup, List<double[]>> values = new EnumMap<>(Setup.class);
        for (int round = 0; round < rounds; round++) {
            // One at a time; in the smoke mode, whose times mean nothing, the round's runs all at once.
            List<Object[]> pending = new ArrayList<>();
            for (Setup setup : rotated(setups, round)) {
                Path times = temp.resolve("time-" + setup + "-" + round);
                List<String> command = new ArrayList<>(List.of(timeTool.toString(), "-f", "%e %U %S %M", "-o", times.toString()));
                command.add(java.toString());
                int[] port = new int[1];
                command.addAll(agentFlags(setup, tasks, port));
                command.add("-cp");
                command.add(classpath(setup));
                command.add("benchworker.HelloWorld");
                pending.add(new Object[] {setup, workers.start("hello-" + setup + "-r" + round, command), times});
                if (!smoke) {
                    finishHello(pending.remove(0), round, values);
                }
            }
            for (Object[] run : pending) {
                finishHello(run, round, values);
            }
        }
        if (!complete("hello", values, setups, rounds)) {
            return;
        }
        out.append("### Hello world, start to exit\n\n");
        out.append("`benchworker.HelloWorld`: one task method (`benchworker.PeerTask#run`, named to each agent) run once, a line printed, "
                + "`System.exit(0)`. Measured by `/usr/bin/time -f \"%e %U %S %M\"` around `java`: wall time, CPU time (user + "
                + "system) and peak RSS of the JVM process; median of " + rounds + " rounds; added = the configuration less "
                + "the bare JVM of the same round (median of the per-round differences).\n\n");
        out.append("| configuration | wall s | wall added | CPU s | CPU added | peak RSS MiB | RSS added |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        Map<Setup, double[]> added = new EnumMap<>(Setup.class);
        for (Setup setup : setups) {
            double[] medians = new double[3];
            double[] adds = new double[3];
            for (int what = 0; what < 3; what++) {
                medians[what] = medianOf(values.get(setup), what);
                adds[what] = medianAdded(values.get(setup), values.get(Setup.BARE), what);
            }
            added.put(setup, adds);
            if (setup == Setup.BARE) {
                out.append(String.format(Locale.ROOT, "| %s | %.2f | | %.2f | | %.1f | |%n", title(setup), medians[0], medians[1], medians[2] / MIB));
            } else {
                out.append(String.format(Locale.ROOT, "| %s | %.2f | **%+.2f** | %.2f | **%+.2f** | %.1f | **%+.1f** |%n", title(setup),
                        medians[0], adds[0], medians[1], adds[1], medians[2] / MIB, adds[2] / MIB));
            }
        }
        out.append('\n');
        String[] names = {"wall time", "CPU time", "peak RSS"};
        out.append("| agentmon's added figure as a share of the peer's | wall time | CPU time | peak RSS |\n|---|---|---|---|\n");
        for (Setup peer : List.of(Setup.JMX, Setup.OTEL)) {
            out.append("| agentmon / ").append(title(peer));
            for (int what = 0; what < 3; what++) {
                double ratio = added.get(Setup.AGENTMON)[what] / added.get(peer)[what];
                ratios.put("hello " + names[what] + " agentmon/" + peer, ratio);
                out.append(String.format(Locale.ROOT, " | %.2f", ratio));
            }
            out.append(" |\n");
        }
        out.append('\n');
    }

    private void finishHello(Object[] run, int round, Map<Setup, List<double[]>> values) throws Exception {
        Setup setup = (Setup) run[0];
        WorkerJvm jvm = (WorkerJvm) run[1];
        try {
            int status = jvm.awaitExit(startTimeout);
            jvm.find(HELLO, 5, "the hello world line");
            if (status != 0) {
                throw new IllegalStateException(jvm.name + ": exit status " + status + "; its output:\n" + jvm.output());
            }
            checkStarted(new Launched(setup, jvm, -1));
            double[] figures = parseTime((Path) run[2], jvm);
            values.computeIfAbsent(setup, s -> new ArrayList<>()).add(figures);
            log(String.format(Locale.ROOT, "hello %-10s round %d: wall %.2f s, cpu %.2f s, peak RSS %.1f MiB",
                    setup, round, figures[0], figures[1], figures[2] / MIB));
        } catch (IllegalStateException e) {
            problems.add("hello " + setup + ": " + e.getMessage());
        }
    }

    private static final double MIB = 1024.0 * 1024.0;

    private double[] parseTime(Path times, WorkerJvm jvm) throws IOException {
        List<String> lines = Files.readAllLines(times, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = TIME_LINE.matcher(lines.get(i).trim());
            if (m.matches()) {
                return new double[] {Double.parseDouble(m.group(1)),
                        Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3)),
                        Long.parseLong(m.group(4)) * 1024.0};
            }
        }
        throw new IllegalStateException(jvm.name + ": no figures from /usr/bin/time in " + lines);
    }

    // ---------------------------------------------------------------- 2. the sample worker's first task

    private void firstTask(StringBuilder out, Map<String, Double> ratios) throws Exception {
        List<Setup> setups = List.of(Setup.BARE, Setup.AGENTMON, Setup.JMX, Setup.OTEL);
        Tasks tasks = new Tasks(SAMPLE_TASKS, SAMPLE_AGENTMON, SAMPLE_OTEL_METHODS);
        Map<Setup, List<double[]>> values = new EnumMap<>(Setup.class);
        for (int round = 0; round < rounds; round++) {
            // One at a time; in the smoke mode, whose times mean nothing, the round's runs all at once.
            List<Object[]> pending = new ArrayList<>();
            for (Setup setup : rotated(setups, round)) {
                int[] port = new int[1];
                List<String> command = new ArrayList<>();
                command.add(java.toString());
                command.addAll(agentFlags(setup, tasks, port));
                command.addAll(List.of("-jar", sampleJar.toString(), "--jobs", "1", "--threads", "1", "--print-every", "0"));
                pending.add(new Object[] {setup, workers.start("first-task-" + setup + "-r" + round, command)});
                if (!smoke) {
                    finishFirstTask(pending.remove(0), round, values);
                }
            }
            for (Object[] run : pending) {
                finishFirstTask(run, round, values);
            }
        }
        if (!complete("first-task", values, setups, rounds)) {
            return;
        }
        out.append("### The sample worker, start to its first task finished\n\n");
        out.append("`java -jar sample-worker/target/sample-worker.jar --jobs 1 --threads 1 --print-every 0`, agentmon with the demo's "
                + "configuration (`demo.sh`), the OpenTelemetry agent with the four job classes' `execute` in "
                + "`otel.instrumentation.methods.include`: from the harness's `ProcessBuilder.start()` to the moment it reads the "
                + "worker's line `finished 1 jobs`, printed once its one job (the same job in every run: seed 42, job 0) has "
                + "finished. No Micrometer column: the jar is not changed. Median of " + rounds + " rounds.\n\n");
        out.append("| configuration | to first task, s | added |\n|---|---|---|\n");
        Map<Setup, Double> added = new EnumMap<>(Setup.class);
        for (Setup setup : setups) {
            double median = medianOf(values.get(setup), 0);
            double add = medianAdded(values.get(setup), values.get(Setup.BARE), 0);
            added.put(setup, add);
            out.append(setup == Setup.BARE
                    ? String.format(Locale.ROOT, "| %s | %.2f | |%n", title(setup), median)
                    : String.format(Locale.ROOT, "| %s | %.2f | **%+.2f** |%n", title(setup), median, add));
        }
        out.append('\n');
        for (Setup peer : List.of(Setup.JMX, Setup.OTEL)) {
            double ratio = added.get(Setup.AGENTMON) / added.get(peer);
            ratios.put("first-task agentmon/" + peer, ratio);
        }
        out.append(String.format(Locale.ROOT, "agentmon's added time is **%.2f×** jmx_exporter's and **%.2f×** the OpenTelemetry agent's.%n%n",
                ratios.get("first-task agentmon/JMX"), ratios.get("first-task agentmon/OTEL")));
    }

    private void finishFirstTask(Object[] run, int round, Map<Setup, List<double[]>> values) throws Exception {
        Setup setup = (Setup) run[0];
        WorkerJvm jvm = (WorkerJvm) run[1];
        try {
            jvm.await(FIRST_TASK, startTimeout, "`finished 1 jobs`");
            double seconds = (jvm.matchedNanos - jvm.startNanos) / 1e9;
            int status = jvm.awaitExit(startTimeout);
            if (status != 0) {
                throw new IllegalStateException(jvm.name + ": exit status " + status + "; its output:\n" + jvm.output());
            }
            checkStarted(new Launched(setup, jvm, -1));
            values.computeIfAbsent(setup, s -> new ArrayList<>()).add(new double[] {seconds});
            log(String.format(Locale.ROOT, "first-task %-10s round %d: %.2f s", setup, round, seconds));
        } catch (IllegalStateException e) {
            problems.add("first-task " + setup + ": " + e.getMessage());
            jvm.process.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- 3. memory of a small running worker

    /** The memory figures, in this order. */
    private static final String[] MEMORY = {
        "RSS",
        "NMT committed outside the Java heap",
        "NMT Metaspace + Class (class metadata)",
        "NMT Code",
        "NMT Symbol",
        "NMT Thread",
        "NMT GC (grows with the committed heap)",
        "NMT other categories",
        "live heap after a full GC",
        "heap allocated before main",
        "heap allocated by then",
    };

    private void memory(StringBuilder out, Map<String, Double> ratios) throws Exception {
        List<Setup> setups = List.of(Setup.values());
        int[] sizes = large > 0 ? new int[] {small, large} : new int[] {small};
        // values[size index][setup] = per round figures (MEMORY order)
        List<Map<Setup, List<double[]>>> values = new ArrayList<>();
        for (int size = 0; size < sizes.length; size++) {
            values.add(new EnumMap<>(Setup.class));
        }
        double[] ages = {Double.MAX_VALUE, 0};
        List<String[]> items = new ArrayList<>();
        for (Setup setup : setups) {
            for (int size = 0; size < sizes.length; size++) {
                items.add(new String[] {setup.name(), String.valueOf(size)});
            }
        }
        for (int round = 0; round < memoryRounds; round++) {
            List<String[]> order = rotated(items, round);
            ArrayDeque<Object[]> running = new ArrayDeque<>();
            int next = 0;
            while (next < order.size() || !running.isEmpty()) {
                Object[] head = running.peekFirst();
                if (head != null && ((Launched) head[0]).jvm.ageSeconds() >= holdSeconds) {
                    running.removeFirst();
                    Launched launched = (Launched) head[0];
                    int size = (Integer) head[1];
                    try {
                        double[] figures = measureMemory(launched, sizes[size]);
                        values.get(size).computeIfAbsent(launched.setup, s -> new ArrayList<>()).add(figures);
                        double age = launched.jvm.ageSeconds();
                        ages[0] = Math.min(ages[0], age);
                        ages[1] = Math.max(ages[1], age);
                    } catch (IllegalStateException e) {
                        problems.add("memory " + launched.setup + " " + sizes[size] + " tasks: " + e.getMessage());
                    } finally {
                        launched.jvm.process.destroyForcibly();
                    }
                    continue;
                }
                if (next < order.size() && running.size() < concurrent) {
                    Setup setup = Setup.valueOf(order.get(next)[0]);
                    int size = Integer.parseInt(order.get(next)[1]);
                    next++;
                    int n = sizes[size];
                    String[] names = new String[n];
                    StringBuilder otel = new StringBuilder();
                    for (int k = 0; k < n; k++) {
                        names[k] = "benchgen.Task" + k;
                        otel.append(k == 0 ? "" : ";").append(names[k]).append("[run]");
                    }
                    Tasks tasks = new Tasks("benchgen.Task*#run", List.of("-Dagentmon.series.max=100000"), otel.toString(), names);
                    Launched launched = launch("memory-" + setup + "-" + n + "-r" + round, setup, tasks,
                            List.of("-XX:NativeMemoryTracking=summary"),
                            List.of("benchworker.RunningWorker", String.valueOf(n), String.valueOf(rate), String.valueOf(spinMicros)),
                            generated);
                    running.addLast(new Object[] {launched, size});
                    continue;
                }
                if (head != null) {
                    long wait = (long) ((holdSeconds - ((Launched) head[0]).jvm.ageSeconds()) * 1000) + 1;
                    Thread.sleep(Math.max(1, Math.min(wait, 1000)));
                }
            }
        }
        for (int size = 0; size < sizes.length; size++) {
            if (!complete("memory " + sizes[size] + " tasks", values.get(size), setups, memoryRounds)) {
                return;
            }
        }
        out.append("### A small running worker: memory\n\n");
        out.append(String.format(Locale.ROOT, "`benchworker.RunningWorker`: N task classes (`benchgen.Task0` ... , generated and compiled "
                + "like `ManyTasksWorker`'s, each named to each agent: agentmon `benchgen.Task*#run` with `agentmon.series.max=100000` so "
                + "no label folds into `other`, the OpenTelemetry agent all N in `otel.instrumentation.methods.include`, Micrometer one "
                + "timer each; jmx_exporter knows no tasks) run round-robin on a pool of 2 threads, %.0f runs a second, each spinning "
                + "%d µs; JVM defaults for the heap, `-XX:NativeMemoryTracking=summary` in every configuration. Measured at least "
                + "%d s after start (%.0f to %.0f s here), once every task had run and every endpoint had answered one scrape: RSS "
                + "(`/proc/<pid>/status`), NMT committed (`jcmd VM.native_memory summary`: Total less Java Heap, and by category), "
                + "live heap (the total of `jcmd GC.class_histogram`, which counts what a full collection kept), and the heap bytes "
                + "every thread had allocated (`ThreadMXBean.getTotalThreadAllocatedBytes()`, read by the worker: at the start of "
                + "`main`, which is what JVM start-up and `premain` allocated, and at the measurement). MiB, median of %d rounds; "
                + "added = less the bare JVM of the same round. Up to %d workers ran at once (memory is not timed).%n%n",
                rate, spinMicros, holdSeconds, ages[0], ages[1], memoryRounds, concurrent));
        for (int size = 0; size < sizes.length; size++) {
            out.append(String.format(Locale.ROOT, "%d task labels:%n%n", sizes[size]));
            out.append("| MiB |");
            for (Setup setup : setups) {
                out.append(' ').append(setup == Setup.BARE ? "bare JVM" : setup.shortName + " added").append(" |");
            }
            out.append("\n|---|");
            for (int i = 0; i < setups.size(); i++) {
                out.append("---|");
            }
            out.append('\n');
            for (int what = 0; what < MEMORY.length; what++) {
                out.append("| ").append(MEMORY[what]).append(" |");
                for (Setup setup : setups) {
                    double value = setup == Setup.BARE
                            ? medianOf(values.get(size).get(setup), what)
                            : medianAdded(values.get(size).get(setup), values.get(size).get(Setup.BARE), what);
                    boolean bold = setup == Setup.AGENTMON && (what == 1 || what == 8);
                    out.append(String.format(Locale.ROOT, setup == Setup.BARE ? " %.1f |" : bold ? " **%+.1f** |" : " %+.1f |", value / MIB));
                    if (setup != Setup.BARE) {
                        ratios.put("memory " + sizes[size] + " " + MEMORY[what] + " " + setup, value);
                    }
                }
                out.append('\n');
            }
            out.append('\n');
        }
    }

    private double[] measureMemory(Launched launched, int tasks) throws Exception {
        WorkerJvm jvm = launched.jvm;
        long allocatedBeforeMain = Long.parseLong(jvm.find(STARTED, startTimeout, "the started line").group(1));
        jvm.find(ALL_RAN, startTimeout, "`all tasks ran`");
        checkStarted(launched);
        if (launched.setup != Setup.BARE) {
            int port = launched.awaitPort();
            String body = scrapeText(port);
            if (launched.setup == Setup.AGENTMON || launched.setup == Setup.MICROMETER) {
                String family = launched.setup == Setup.AGENTMON ? "agentmon_task_duration_seconds_count{" : "task_duration_seconds_count{";
                Set<String> labels = new TreeSet<>();
                Matcher task = Pattern.compile("[{,]task=\"([^\"]*)\"").matcher("");
                for (String line : body.split("\n")) {
                    if (line.startsWith(family) && task.reset(line).find()) {
                        labels.add(task.group(1));
                    }
                }
                if (labels.size() != tasks || labels.contains("other")) {
                    throw new IllegalStateException(jvm.name + ": " + labels.size() + " task labels in its scrape, expected " + tasks);
                }
            }
        }
        long rss = WorkerJvm.rss(jvm.pid());
        jvm.send("alloc");
        long allocated = Long.parseLong(jvm.await(ALLOC, 60, "the alloc line").group(1));
        Map<String, Long> nmt = WorkerJvm.nativeMemory(jvm.pid());
        long outside = nmt.get("Total") - nmt.get("Java Heap");
        long clazz = nmt.getOrDefault("Class", 0L) + nmt.getOrDefault("Metaspace", 0L);
        long gc = nmt.getOrDefault("GC", 0L);
        long code = nmt.getOrDefault("Code", 0L);
        long symbol = nmt.getOrDefault("Symbol", 0L);
        long thread = nmt.getOrDefault("Thread", 0L);
        long live = WorkerJvm.liveHeap(jvm.pid());
        if (rss <= 0 || allocated < 0 || allocatedBeforeMain < 0 || live <= 0) {
            throw new IllegalStateException(jvm.name + ": no figure (rss " + rss + ", allocated " + allocated + ", live " + live + ")");
        }
        double[] figures = {rss, outside, clazz, code, symbol, thread, gc, outside - clazz - code - symbol - thread - gc, live,
                allocatedBeforeMain, allocated};
        log(String.format(Locale.ROOT, "memory %-10s %4d tasks at %.0f s: RSS %.1f, non-heap %.1f, live heap %.1f, alloc %.1f / %.1f MiB",
                launched.setup, tasks, jvm.ageSeconds(), rss / MIB, outside / MIB, live / MIB, allocatedBeforeMain / MIB, allocated / MIB));
        return figures;
    }

    // ---------------------------------------------------------------- 4. throughput

    /** A throughput configuration: a setup, scraped once a second while it runs or not. */
    private static final class Variant {
        final Setup setup;
        final boolean scraped;

        Variant(Setup setup, boolean scraped) {
            this.setup = setup;
            this.scraped = scraped;
        }

        String key() {
            return setup + (scraped ? "+scraped" : "");
        }
    }

    private void throughput(StringBuilder out, Map<String, Double> ratios) throws Exception {
        List<Variant> variants = new ArrayList<>();
        for (Setup setup : Setup.values()) {
            variants.add(new Variant(setup, false));
            if (setup != Setup.BARE) {
                variants.add(new Variant(setup, true));
            }
        }
        Tasks tasks = new Tasks("benchworker.PeerTask#run", List.of(), "benchworker.PeerTask[run]", "benchworker.PeerTask");
        int problemsBefore = problems.size();
        Map<Setup, Launched> jvms = new EnumMap<>(Setup.class);
        Map<String, int[]> scrapes = new ConcurrentHashMap<>(); // key -> {answered, failed}
        for (Variant variant : variants) {
            scrapes.put(variant.key(), new int[2]);
        }
        AtomicReference<Variant> target = new AtomicReference<>();
        AtomicInteger targetPort = new AtomicInteger(-1);
        AtomicBoolean scraping = new AtomicBoolean();
        Thread scraper = null;
        try {
            // One at a time, so that no start-up slows another's warm-up; in the smoke mode all at once.
            for (Setup setup : Setup.values()) {
                Launched launched = launch("throughput-" + setup, setup, tasks, List.of(),
                        List.of("benchworker.ThroughputWorker", String.valueOf(taskRounds)));
                jvms.put(setup, launched);
                if (!smoke) {
                    awaitReady(launched);
                }
            }
            if (smoke) {
                for (Launched launched : jvms.values()) {
                    awaitReady(launched);
                }
            }
            scraper = new Thread(() -> {
                // Once a second while a scraped configuration runs, the first scrape at its start.
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Variant now = target.get();
                        if (now == null) {
                            Thread.sleep(5);
                            continue;
                        }
                        long due = System.nanoTime();
                        int[] counts = scrapes.get(now.key());
                        scraping.set(true);
                        try {
                            int status = scrape(targetPort.get());
                            synchronized (counts) {
                                counts[status == 200 ? 0 : 1]++;
                            }
                        } catch (IOException e) {
                            synchronized (counts) {
                                counts[1]++;
                            }
                        } finally {
                            scraping.set(false);
                        }
                        long wake = due + TimeUnit.SECONDS.toNanos(1);
                        while (target.get() == now && System.nanoTime() < wake) {
                            Thread.sleep(5);
                        }
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            }, "peers-scraper");
            scraper.setDaemon(true);
            scraper.start();

            // One warm-up turn for each JVM (JIT), not counted; then the rounds.
            // Warm-up (the JIT; the OpenTelemetry agent's woven code takes the longest): turns of
            // --warmup-ms until two in a row agree within 10 %, at most 10, not counted.
            for (Launched launched : jvms.values()) {
                double previous = -1;
                for (int turn = 0; turn < (smoke ? 1 : 10); turn++) {
                    launched.jvm.send("run " + warmupMillis);
                    Matcher ran = launched.jvm.await(RAN, startTimeout + warmupMillis / 1000, "the ran line");
                    double perSecond = Long.parseLong(ran.group(1)) / (Long.parseLong(ran.group(2)) / 1e9);
                    log(String.format(Locale.ROOT, "throughput %-10s warm-up %d: %,.0f tasks/s", launched.setup, turn, perSecond));
                    if (previous > 0 && Math.abs(perSecond - previous) <= 0.1 * previous) {
                        break;
                    }
                    previous = perSecond;
                }
            }
            Map<String, List<double[]>> rates = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (Variant variant : rotated(variants, round)) {
                    Launched launched = jvms.get(variant.setup);
                    if (variant.scraped) {
                        targetPort.set(launched.port);
                        target.set(variant);
                    }
                    launched.jvm.send("run " + runMillis);
                    Matcher ran = launched.jvm.await(RAN, startTimeout + runMillis / 1000, "the ran line");
                    target.set(null);
                    // A scrape still in flight belongs to this turn: let it end before the next one starts.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (scraping.get() && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    double perSecond = Long.parseLong(ran.group(1)) / (Long.parseLong(ran.group(2)) / 1e9);
                    rates.computeIfAbsent(variant.key(), k -> new ArrayList<>()).add(new double[] {perSecond});
                    log(String.format(Locale.ROOT, "throughput %-20s round %d: %,.0f tasks/s", variant.key(), round, perSecond));
                }
            }
            for (Launched launched : jvms.values()) {
                launched.jvm.exit();
            }
            for (Variant variant : variants) {
                int[] counts = scrapes.get(variant.key());
                if (variant.scraped && (counts[0] == 0 || counts[1] > 0)) {
                    problems.add("throughput " + variant.key() + ": " + counts[0] + " scrapes answered, " + counts[1] + " failed");
                }
                if (rates.getOrDefault(variant.key(), List.of()).size() != rounds) {
                    problems.add("throughput " + variant.key() + ": no rate");
                }
            }
            if (problems.size() > problemsBefore) {
                return;
            }
            List<double[]> bare = rates.get(Setup.BARE.toString());
            out.append("### Throughput: a CPU-bound task at full speed\n\n");
            out.append(String.format(Locale.ROOT, "`benchworker.ThroughputWorker`: `benchworker.PeerTask#run` (%d xorshift steps, about %.1f µs "
                    + "bare here) called back to back on one thread through the same worker code in every configuration. One JVM "
                    + "per configuration, all started first and kept; after warm-up turns of %d ms each (until two in a row agree within "
                    + "10 %%, at most 10), every round tells each "
                    + "in turn (the order rotating) to run for %d ms, once unscraped and once scraped (the harness GETs its "
                    + "`/metrics` once a second while, and only while, it runs, the first at its start). Median of %d rounds; ratio "
                    + "= tasks a second over the bare JVM's in the same round (median of the per-round ratios); ns added per task "
                    + "likewise, from the inverse rates.%n%n", taskRounds, 1e6 / medianOf(bare, 0), warmupMillis, runMillis, rounds));
            out.append("| configuration | tasks/s | ratio to bare | ns added per task | scrapes answered |\n|---|---|---|---|---|\n");
            for (Variant variant : variants) {
                List<double[]> mine = rates.get(variant.key());
                double[] perRound = new double[rounds];
                double[] addedNanos = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    perRound[r] = mine.get(r)[0] / bare.get(r)[0];
                    addedNanos[r] = 1e9 / mine.get(r)[0] - 1e9 / bare.get(r)[0];
                }
                double ratio = WorkerJvm.median(perRound);
                ratios.put("throughput " + variant.key(), ratio);
                int[] counts = scrapes.get(variant.key());
                String name = title(variant.setup) + (variant.scraped ? ", scraped 1/s" : "");
                out.append(variant.setup == Setup.BARE
                        ? String.format(Locale.ROOT, "| %s | %,.0f | 1 | | |%n", name, medianOf(mine, 0))
                        : String.format(Locale.ROOT, "| %s | %,.0f | **%.3f** | %+.0f | %s |%n", name, medianOf(mine, 0), ratio,
                                WorkerJvm.median(addedNanos), variant.scraped ? String.valueOf(counts[0]) : ""));
            }
            out.append('\n');
        } finally {
            if (scraper != null) {
                scraper.interrupt();
            }
            for (Launched launched : jvms.values()) {
                launched.jvm.process.destroyForcibly();
            }
        }
    }

    private void awaitReady(Launched launched) throws InterruptedException {
        launched.jvm.await(READY, startTimeout, "`ready`");
        checkStarted(launched);
        launched.awaitPort();
    }

    // ---------------------------------------------------------------- figures

    private boolean complete(String workload, Map<Setup, List<double[]>> values, List<Setup> setups, int expected) {
        boolean all = true;
        for (Setup setup : setups) {
            List<double[]> got = values.getOrDefault(setup, List.of());
            if (got.size() != expected) {
                problems.add(workload + " " + setup + ": " + got.size() + " of " + expected + " rounds gave figures");
                all = false;
            }
            for (double[] figures : got) {
                for (double figure : figures) {
                    if (Double.isNaN(figure) || Double.isInfinite(figure)) {
                        problems.add(workload + " " + setup + ": a figure is " + figure);
                        all = false;
                    }
                }
            }
        }
        return all;
    }

    private static double medianOf(List<double[]> rounds, int what) {
        double[] values = new double[rounds.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rounds.get(i)[what];
        }
        return WorkerJvm.median(values);
    }

    /** The median over rounds of (mine - bare) in the same round. */
    private static double medianAdded(List<double[]> mine, List<double[]> bare, int what) {
        double[] values = new double[mine.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = mine.get(i)[what] - bare.get(i)[what];
        }
        return WorkerJvm.median(values);
    }

    private String title(Setup setup) {
        String version = versions.get(setup);
        switch (setup) {
            case BARE: return "bare JVM";
            case AGENTMON: return "agentmon " + version;
            case JMX: return "Prometheus jmx_exporter " + version;
            case OTEL: return "OpenTelemetry agent " + version;
            case MICROMETER: return "hand-written Micrometer " + version + " timer";
            default: throw new AssertionError(setup);
        }
    }

    // ---------------------------------------------------------------- the section

    private void section(String date, String javaVersion, String loadBefore, String loadAfter, double minutes,
                         StringBuilder tables, Map<String, Double> ratios) throws IOException {
        StringBuilder s = report;
        s.append(SECTION).append("\n\n");
        s.append("Written by `io.agentmon.benchmarks.PeerOverhead` (benchmarks module) from one run")
                .append(smoke ? " in its smoke mode (one round, short: these figures mean nothing)" : "").append(". ");
        s.append("The machine is shared with other work: read the figures as ratios within this run, where every workload ran "
                + "its configurations round-robin, the order rotating each round, so that the machine's noise fell on all alike; "
                + "not as absolute times.\n\n");
        s.append("- date: ").append(date).append(String.format(Locale.ROOT, ", %.1f minutes%n", minutes));
        s.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (`nproc`), ")
                .append(cpuModel()).append('\n');
        s.append("- JVM of every worker (`java -version`): ").append(javaVersion).append('\n');
        s.append("- load average (`/proc/loadavg`) before: ").append(loadBefore).append("; after: ").append(loadAfter).append('\n');
        s.append("- command, from the repository root:\n\n```\n")
                .append("mvn -B -q package -DskipTests -pl bootstrap,agent,sample-worker,benchmarks\n")
                .append(command).append("\n```\n\n");
        s.append("The build fetches the peers through Maven (`benchmarks/pom.xml`, executions `peer-agents` and `micrometer-jars`). "
                + "The configurations, the same for every workload except where a table says otherwise:\n\n");
        s.append("| configuration | flags |\n|---|---|\n");
        s.append("| ").append(title(Setup.BARE)).append(" | none |\n");
        s.append("| ").append(title(Setup.AGENTMON)).append(" | `-javaagent:agent/target/agentmon.jar -Dagentmon.port=0 "
                + "-Dagentmon.host=127.0.0.1 -Dagentmon.tasks=<the task methods>`, defaults otherwise |\n");
        s.append("| ").append(title(Setup.JMX)).append(" | `-javaagent:jmx_prometheus_javaagent.jar=127.0.0.1:<port>:<config>`, "
                + "the config `rules: [{pattern: \".*\"}]`: every MBean, default naming; it knows nothing of tasks |\n");
        s.append("| ").append(title(Setup.OTEL)).append(" | `-javaagent:opentelemetry-javaagent.jar "
                + "-Dotel.instrumentation.methods.include=<the task methods>` (a span per call) `").append(String.join(" ", otelProperties(0))
                        .replace("port=0", "port=<port>")).append("`: spans made and exported nowhere, metrics (its JVM metrics) "
                + "served for Prometheus to pull, like agentmon's; its default instrumentation otherwise |\n");
        s.append("| ").append(title(Setup.MICROMETER)).append(" | no agent: `-Dbenchworker.timing=micrometer` and Micrometer's jars "
                + "on the class path: the worker wraps each task run in `Timer.record(Runnable)` of a `PrometheusMeterRegistry` it "
                + "creates (one timer per task, no histogram: Micrometer's default) and serves its `scrape()` with the JDK's "
                + "`HttpServer` (`benchworker.MicrometerTiming`) |\n\n");
        s.append(tables);
        s.append("### Against the goals of issue 12\n\n");
        s.append("| goal | measured | |\n|---|---|---|\n");
        goal(s, "hello world: wall time added ≤ ½ of jmx_exporter's", ratios.get("hello wall time agentmon/JMX"), 0.5, "×");
        goal(s, "hello world: CPU time added ≤ ½ of jmx_exporter's", ratios.get("hello CPU time agentmon/JMX"), 0.5, "×");
        goal(s, "hello world: wall time added ≤ ¼ of the OpenTelemetry agent's", ratios.get("hello wall time agentmon/OTEL"), 0.25, "×");
        goal(s, "hello world: CPU time added ≤ ¼ of the OpenTelemetry agent's", ratios.get("hello CPU time agentmon/OTEL"), 0.25, "×");
        goal(s, "hello world: peak RSS added ≤ jmx_exporter's", ratios.get("hello peak RSS agentmon/JMX"), 1.0, "×");
        goal(s, "sample worker, time to first task added ≤ ½ of jmx_exporter's", ratios.get("first-task agentmon/JMX"), 0.5, "×");
        goal(s, "sample worker, time to first task added ≤ ¼ of the OpenTelemetry agent's", ratios.get("first-task agentmon/OTEL"), 0.25, "×");
        Double nonHeap = ratios.get("memory " + small + " " + MEMORY[1] + " AGENTMON");
        Double liveHeap = ratios.get("memory " + small + " " + MEMORY[8] + " AGENTMON");
        goal(s, "running worker, " + small + " labels: non-heap added (NMT) ≤ 12 MiB", nonHeap == null ? null : nonHeap / MIB, 12, " MiB");
        goal(s, "running worker, " + small + " labels: live heap added ≤ 4 MiB", liveHeap == null ? null : liveHeap / MIB, 4, " MiB");
        Double plain = ratios.get("throughput AGENTMON");
        Double scraped = ratios.get("throughput AGENTMON+scraped");
        goalAtLeast(s, "throughput ≥ 0.97 of bare", plain, 0.97);
        goalAtLeast(s, "throughput scraped once a second ≥ 0.97 of bare", scraped, 0.97);
        s.append('\n');
    }

    private static void goal(StringBuilder s, String goal, Double value, double limit, String unit) {
        if (value == null) {
            return;
        }
        s.append(String.format(Locale.ROOT, "| %s | %.2f%s | %s |%n", goal, value, unit, value <= limit ? "met" : "**not met**"));
    }

    private static void goalAtLeast(StringBuilder s, String goal, Double value, double limit) {
        if (value == null) {
            return;
        }
        s.append(String.format(Locale.ROOT, "| %s | %.3f | %s |%n", goal, value, value >= limit ? "met" : "**not met**"));
    }

    /** Replaces the section in the file (from its heading to the next {@code ## } heading), or appends it. */
    static void writeSection(Path file, String section) throws IOException {
        String text = Files.isRegularFile(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        int start = text.indexOf(SECTION + "\n");
        String updated;
        if (start < 0) {
            updated = text + (text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n") + section;
        } else {
            int end = text.indexOf("\n## ", start + SECTION.length());
            updated = text.substring(0, start) + section + (end < 0 ? "" : text.substring(end + 1));
        }
        if (!updated.endsWith("\n")) {
            updated += "\n";
        }
        Files.write(file, updated.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- the machine

    private String javaVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return "`" + out.replace("\n", "` / `") + "`";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "CPU model unknown";
    }

    private static String manifestVersion(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String version = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Implementation-Version");
            return version == null ? "" : version;
        }
    }

    private String micrometerVersion() throws IOException {
        for (Path jar : micrometerJars()) {
            String name = jar.getFileName().toString();
            if (name.startsWith("micrometer-core-")) {
                return name.substring("micrometer-core-".length(), name.length() - ".jar".length());
            }
        }
        return "";
    }

    private void deleteTemp() {
        if (temp == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(temp)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // left in /tmp
        }
    }
}

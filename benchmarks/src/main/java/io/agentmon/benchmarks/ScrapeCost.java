package io.agentmon.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What a scrape costs by histogram kind ({@code agentmon.histograms} = classic, native, both), and
 * what the agent's memory grows by per task label: whole worker processes, not JMH.
 *
 * <p>Run from the repository root, after {@code mvn -B -q package -DskipTests}:
 * <pre>java -cp benchmarks/target/benchmarks.jar io.agentmon.benchmarks.ScrapeCost</pre>
 *
 * <ol>
 *   <li>Scrape cost: three {@link benchworker.ManyTasksWorker} JVMs with {@code --tasks} (150)
 *   generated task classes each, under the real {@code agent/target/agentmon.jar}, one per
 *   {@code agentmon.histograms} mode. Once all three have printed {@code done} (and sit idle),
 *   each is scraped in text, OpenMetrics and protobuf, plain and gzipped: bytes of the whole
 *   response and of the {@code agentmon_task_duration_seconds} family alone, and the client-side
 *   time of a scrape (request sent to last byte read, one kept-alive connection per worker),
 *   median and p90 over {@code --scrapes} scrapes after {@code --warmup}. The scrapes are
 *   interleaved: each round scrapes every (format, encoding) of every mode, the modes' order
 *   rotating, so that whatever else the machine does falls on each mode alike.</li>
 *   <li>Memory per task label: the worker with {@code --small} (10) and {@code --large} (1000)
 *   tasks, with the agent ({@code agentmon.histograms=both}) and without it (no
 *   {@code -javaagent}), {@code --rounds} times each. After {@code done} (and, with the agent, one
 *   text scrape that checks every task has its own label) the worker itself runs
 *   {@code System.gc()} and reports heap used (the least of five readings) and Metaspace used
 *   (asked on stdin, so no JMX connection and no {@code jcmd} attach: the numbers come from the
 *   worker's own {@code Runtime} and memory pool beans); native memory by category from Native
 *   Memory Tracking ({@code -XX:NativeMemoryTracking=summary}, read with {@code jcmd <pid>
 *   VM.native_memory summary}); RSS from {@code /proc/<pid>/status}, with the heap fixed and
 *   touched at start so it does not move RSS.
 *   Per label = (large - small) / (large - small tasks); the agent's share is that figure with
 *   the agent less the same without it, which takes out what the generated classes cost the
 *   worker itself.</li>
 * </ol>
 *
 * <p>Every worker with the agent runs with {@code agentmon.service=billing-worker} ({@code --service}):
 * the service label is on every series, so its length is in every byte count; the default, the
 * main class's name, would be 27 characters here. {@code --task-buckets} sets
 * {@code agentmon.task.buckets} (the classic bounds) for all of them.
 *
 * <p>The series budget ({@code agentmon.series.max}) is raised to {@code --series-max} (100000)
 * in every run: the default (10000) holds 147 task labels (68 series each), and beyond it labels
 * fold into {@code other}, which would hide what a label costs.
 */
public final class ScrapeCost {

    static final String FAMILY = "agentmon_task_duration_seconds";
    static final String[] MODES = {"classic", "native", "both"};
    static final String PROTOBUF_ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    /** The three formats a scraper may ask for, by the {@code Accept} header that asks. */
    enum Format {
        TEXT("text", "text/plain;version=0.0.4"),
        OPENMETRICS("OpenMetrics", "application/openmetrics-text;version=1.0.0"),
        PROTOBUF("protobuf", PROTOBUF_ACCEPT);

        final String title;
        final String accept;

        Format(String title, String accept) {
            this.title = title;
            this.accept = accept;
        }
    }

    private static final Pattern SERVING = Pattern.compile("agentmon: .* serving http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final Pattern DONE = Pattern.compile("^done tasks=(\\d+) runs=(\\d+) failures=(\\d+)");
    private static final Pattern HEAP = Pattern.compile("^heap used=(\\d+) metaspace=(-?\\d+) classes=(-?\\d+)");

    // Settings, from the command line (--name value).
    private final Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    private final String classpath = System.getProperty("java.class.path");
    private String agentJar = "agent/target/agentmon.jar";
    private int tasks = 150;
    private int runs = 200;
    private int scrapes = 300;
    private int warmup = 50;
    private int small = 10;
    private int large = 1000;
    private int rounds = 3;
    private int seriesMax = 100_000;
    private String heapOption = "512m";
    private String service = "billing-worker";
    private String taskBuckets;
    /** Classic buckets per duration series: the bounds and +Inf (12 default bounds). */
    private int classicBuckets = 13;
    private long doneTimeoutSeconds = 600;
    private boolean skipScrape;
    private boolean skipMemory;

    private final WorkerJvm.Group workers = new WorkerJvm.Group();
    /** The agent's port, of each worker started with it. */
    private final Map<WorkerJvm, Integer> ports = new java.util.IdentityHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ScrapeCost() {
    }

    public static void main(String[] args) throws Exception {
        ScrapeCost bench = new ScrapeCost();
        bench.parse(args);
        Thread cleanup = new Thread(bench::killAll, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        int status = 0;
        try {
            bench.run();
        } catch (Exception | AssertionError e) {
            System.err.println("ScrapeCost failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            bench.killAll();
        }
        System.exit(status);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--skip-scrape")) {
                skipScrape = true;
                continue;
            }
            if (name.equals("--skip-memory")) {
                skipMemory = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("no value after " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--agent": agentJar = value; break;
                case "--tasks": tasks = Integer.parseInt(value); break;
                case "--runs": runs = Integer.parseInt(value); break;
                case "--scrapes": scrapes = Integer.parseInt(value); break;
                case "--warmup": warmup = Integer.parseInt(value); break;
                case "--small": small = Integer.parseInt(value); break;
                case "--large": large = Integer.parseInt(value); break;
                case "--rounds": rounds = Integer.parseInt(value); break;
                case "--series-max": seriesMax = Integer.parseInt(value); break;
                case "--heap": heapOption = value; break;
                case "--service": service = value; break;
                case "--task-buckets":
                    taskBuckets = value;
                    classicBuckets = value.split(",").length + 1;
                    break;
                case "--done-timeout": doneTimeoutSeconds = Long.parseLong(value); break;
                default: throw new IllegalArgumentException("unknown option " + name
                        + " (known: --agent --tasks --runs --scrapes --warmup --small --large --rounds"
                        + " --series-max --heap --service --task-buckets --done-timeout --skip-scrape --skip-memory)");
            }
        }
    }

    private void run() throws Exception {
        if (!Files.isRegularFile(Paths.get(agentJar))) {
            throw new IllegalStateException(agentJar + " not found: run from the repository root after mvn package");
        }
        System.out.println("# ScrapeCost " + LocalDate.now() + ", " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load " + loadAverage());
        System.out.println("# tasks=" + tasks + " runs/task=" + runs + " scrapes=" + scrapes + " warmup=" + warmup
                + " memory: " + small + " vs " + large + " tasks x " + rounds + " rounds, worker heap " + heapOption
                + ", agentmon.service=" + service + ", agentmon.series.max=" + seriesMax
                + (taskBuckets == null ? "" : ", agentmon.task.buckets=" + taskBuckets));
        if (!skipScrape) {
            scrapeCost();
        }
        if (!skipMemory) {
            memoryPerLabel();
        }
        System.out.println();
        System.out.println("# load at the end " + loadAverage());
    }

    // ---------------------------------------------------------------- scrape size and time

    private void scrapeCost() throws Exception {
        Map<String, WorkerJvm> byMode = new LinkedHashMap<>();
        for (String mode : MODES) {
            // One after the other: three workers spinning at once on two cores would stretch
            // each other's runs, and each mode's durations (so its native buckets) would differ more.
            WorkerJvm worker = start(tasks, true, mode, false, "scrape-" + mode);
            awaitDone(worker, tasks);
            byMode.put(mode, worker);
        }
        System.out.println("# workers done, load " + loadAverage());

        // Sizes, and a check that every mode serves what it says, from one scrape of each kind.
        Map<String, Map<Format, Sizes>> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, WorkerJvm> entry : byMode.entrySet()) {
            String mode = entry.getKey();
            WorkerJvm worker = entry.getValue();
            Map<Format, Sizes> forMode = new LinkedHashMap<>();
            for (Format format : Format.values()) {
                Scrape plain = scrape(port(worker), format, false);
                Scrape zipped = scrape(port(worker), format, true);
                // Counts are fixed once a worker is idle, but its JVM gauges move: the two bodies differ in a few digits.
                int unzipped = gunzip(zipped.body).length;
                if (Math.abs(unzipped - plain.body.length) > plain.body.length / 20) {
                    throw new AssertionError(mode + " " + format.title + ": the gzipped body unzips to " + unzipped
                            + " bytes, the plain one is " + plain.body.length);
                }
                byte[] family = format == Format.PROTOBUF ? protobufFamily(plain.body) : textFamily(plain.body);
                forMode.put(format, new Sizes(family.length, gzip(family).length));
                check(mode, format, plain.body, family);
            }
            sizes.put(mode, forMode);
        }

        // Time (and whole-response bytes) over interleaved rounds.
        Map<String, long[]> nanos = new LinkedHashMap<>();
        Map<String, long[]> bytes = new LinkedHashMap<>();
        int total = warmup + scrapes;
        for (int round = 0; round < total; round++) {
            for (Format format : Format.values()) {
                for (boolean gzip : new boolean[] {false, true}) {
                    for (int m = 0; m < MODES.length; m++) {
                        String mode = MODES[(m + round) % MODES.length];
                        Scrape scrape = scrape(port(byMode.get(mode)), format, gzip);
                        if (round >= warmup) {
                            String key = key(mode, format, gzip);
                            nanos.computeIfAbsent(key, k -> new long[scrapes])[round - warmup] = scrape.nanos;
                            bytes.computeIfAbsent(key, k -> new long[scrapes])[round - warmup] = scrape.body.length;
                        }
                    }
                }
            }
        }
        System.out.println("# scrapes done, load " + loadAverage());
        for (WorkerJvm worker : byMode.values()) {
            worker.exit();
        }

        System.out.println();
        System.out.println("### Bytes per scrape (" + tasks + " task labels: " + 3 * tasks + " duration histograms)");
        System.out.println();
        System.out.println("Whole response: median over the " + scrapes + " timed scrapes. Task family: the "
                + "`" + FAMILY + "` lines (text formats) or MetricFamily message with its length prefix (protobuf), "
                + "gzipped alone at the default level for its gzip figure.");
        System.out.println();
        System.out.println("| histograms | format | whole response | gzipped | task family | gzipped | family bytes per task | gzipped per task |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Format format : Format.values()) {
            for (String mode : MODES) {
                Sizes family = sizes.get(mode).get(format);
                long whole = median(bytes.get(key(mode, format, false)));
                long wholeZipped = median(bytes.get(key(mode, format, true)));
                System.out.printf(Locale.ROOT, "| `%s` | %s | %,d | %,d | %,d | %,d | %,d | %,d |%n", mode, format.title,
                        whole, wholeZipped, family.plain, family.gzipped,
                        Math.round((double) family.plain / tasks), Math.round((double) family.gzipped / tasks));
            }
        }
        System.out.println();
        System.out.println("### Time per scrape, ms (client side, request to last byte; median / p90 of " + scrapes + ")");
        System.out.println();
        System.out.println("| histograms | format | plain median | plain p90 | gzip median | gzip p90 |");
        System.out.println("|---|---|---|---|---|---|");
        for (Format format : Format.values()) {
            for (String mode : MODES) {
                long[] plain = nanos.get(key(mode, format, false));
                long[] zipped = nanos.get(key(mode, format, true));
                System.out.printf(Locale.ROOT, "| `%s` | %s | %.2f | %.2f | %.2f | %.2f |%n", mode, format.title,
                        median(plain) / 1e6, percentile(plain, 0.9) / 1e6, median(zipped) / 1e6, percentile(zipped, 0.9) / 1e6);
            }
        }
    }

    private static String key(String mode, Format format, boolean gzip) {
        return mode + "/" + format + "/" + gzip;
    }

    /** Does each mode serve the series and buckets it promises? Prints what it found. */
    private void check(String mode, Format format, byte[] body, byte[] family) {
        if (format != Format.PROTOBUF) {
            Set<String> labels = new TreeSet<>();
            int buckets = 0;
            for (String line : new String(family, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(FAMILY + "_count{")) {
                    labels.add(label(line, "task"));
                } else if (line.startsWith(FAMILY + "_bucket{")) {
                    buckets++;
                }
            }
            if (labels.size() != tasks || labels.contains("other")) {
                throw new AssertionError(mode + " " + format.title + ": " + labels.size() + " task labels, expected "
                        + tasks + " (is agentmon.series.max high enough?) " + labels);
            }
            if (buckets != 3 * tasks * classicBuckets) {
                throw new AssertionError(mode + " " + format.title + ": " + buckets + " classic bucket lines, expected "
                        + 3 * tasks * classicBuckets);
            }
            return;
        }
        Histograms found = protobufHistograms(family);
        System.out.printf(Locale.ROOT, "# %-7s protobuf %s: %d series, %d classic buckets, %d native series with %d spans and %d bucket deltas (%.1f per series holding data)%n",
                mode, FAMILY, found.series, found.classicBuckets, found.nativeSeries, found.spans, found.deltas,
                found.nativeWithData == 0 ? 0.0 : (double) found.deltas / found.nativeWithData);
        if (found.series != 3 * tasks) {
            throw new AssertionError(mode + " protobuf: " + found.series + " series, expected " + 3 * tasks);
        }
        boolean classic = found.classicBuckets > 0;
        boolean nativeBuckets = found.nativeSeries > 0;
        boolean expectClassic = !mode.equals("native");
        boolean expectNative = !mode.equals("classic");
        if (classic != expectClassic || nativeBuckets != expectNative) {
            throw new AssertionError(mode + " protobuf: classic buckets " + found.classicBuckets + ", native series "
                    + found.nativeSeries);
        }
    }

    private static String label(String line, String name) {
        Matcher m = Pattern.compile("[{,]" + name + "=\"([^\"]*)\"").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    // ---------------------------------------------------------------- memory per label

    private void memoryPerLabel() throws Exception {
        // results[agent ? 1 : 0][large ? 1 : 0] = one Memory per round
        List<List<List<Memory>>> results = new ArrayList<>();
        for (int agent = 0; agent < 2; agent++) {
            results.add(new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>())));
        }
        for (int round = 0; round < rounds; round++) {
            for (int size = 0; size < 2; size++) {
                for (int agent = 1; agent >= 0; agent--) {
                    int n = size == 0 ? small : large;
                    WorkerJvm worker = start(n, agent == 1, "both", true, "memory-" + (agent == 1 ? "agent" : "plain") + "-" + n + "-r" + round);
                    awaitDone(worker, n);
                    if (agent == 1) {
                        // One scrape first: it checks the labels and leaves whatever a scrape keeps.
                        byte[] text = scrape(port(worker), Format.TEXT, false).body;
                        Set<String> labels = new TreeSet<>();
                        for (String line : new String(textFamily(text), StandardCharsets.UTF_8).split("\n")) {
                            if (line.startsWith(FAMILY + "_count{")) {
                                labels.add(label(line, "task"));
                            }
                        }
                        if (labels.size() != n || labels.contains("other")) {
                            throw new AssertionError("memory run with " + n + " tasks: " + labels.size() + " task labels");
                        }
                    }
                    Memory memory = memory(worker);
                    System.out.printf(Locale.ROOT, "# memory %-6s %5d tasks round %d:", agent == 1 ? "agent" : "plain", n, round);
                    for (int what = 0; what < Memory.NAMES.length; what++) {
                        System.out.printf(Locale.ROOT, " %s %,d;", Memory.SHORT[what], memory.values[what]);
                    }
                    System.out.println();
                    results.get(agent).get(size).add(memory);
                    worker.exit();
                }
            }
        }

        int labels = large - small;
        System.out.println();
        System.out.println("### Memory per task label (" + small + " vs " + large + " tasks, `agentmon.histograms=both`, median of "
                + rounds + " rounds; bytes per label = (" + large + " tasks - " + small + " tasks) / " + labels + ")");
        System.out.println();
        System.out.println("| what | with agent | without agent | added by the agent, per label |");
        System.out.println("|---|---|---|---|");
        for (int what = 0; what < Memory.NAMES.length; what++) {
            double withAgent = perLabel(results.get(1), what, labels);
            double without = perLabel(results.get(0), what, labels);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | **%,.0f** |%n", Memory.NAMES[what], withAgent, without, withAgent - without);
        }
    }

    private static double perLabel(List<List<Memory>> bySize, int what, int labels) {
        double smallValue = medianOf(bySize.get(0), what);
        double largeValue = medianOf(bySize.get(1), what);
        return (largeValue - smallValue) / labels;
    }

    private static double medianOf(List<Memory> memories, int what) {
        long[] values = new long[memories.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = memories.get(i).values[what];
        }
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }

    // ---------------------------------------------------------------- workers

    /**
     * Starts a worker. For memory runs the heap is fixed and touched in full at start
     * ({@code -Xms} = {@code -Xmx}, {@code -XX:+AlwaysPreTouch}), so that RSS does not move with
     * how far the heap grew, and soft references not used since the last collection are cleared
     * by every collection ({@code -XX:SoftRefLRUPolicyMSPerMB=0}), so that the heap figure is
     * what is strongly held, not what a cache happened to keep.
     */
    private WorkerJvm start(int taskCount, boolean agent, String mode, boolean memory, String name) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xmx" + heapOption);
        if (memory) {
            command.add("-Xms" + heapOption);
            command.add("-XX:+AlwaysPreTouch");
            command.add("-XX:SoftRefLRUPolicyMSPerMB=0");
            command.add("-XX:NativeMemoryTracking=summary");
        }
        if (agent) {
            command.add("-javaagent:" + agentJar);
            command.add("-Dagentmon.port=0");
            command.add("-Dagentmon.host=127.0.0.1");
            command.add("-Dagentmon.tasks=benchgen.Task*#run");
            command.add("-Dagentmon.histograms=" + mode);
            command.add("-Dagentmon.series.max=" + seriesMax);
            command.add("-Dagentmon.service=" + service);
            if (taskBuckets != null) {
                command.add("-Dagentmon.task.buckets=" + taskBuckets);
            }
        }
        command.add("-cp");
        command.add(classpath);
        command.add("benchworker.ManyTasksWorker");
        command.add(String.valueOf(taskCount));
        command.add(String.valueOf(runs));
        WorkerJvm worker = workers.start(name, command);
        if (agent) {
            ports.put(worker, Integer.parseInt(worker.await(SERVING, 120, "the agent's start-up line").group(1)));
        }
        return worker;
    }

    private int port(WorkerJvm worker) {
        Integer port = ports.get(worker);
        if (port == null) {
            throw new IllegalStateException(worker.name + " runs without the agent: nothing to scrape");
        }
        return port;
    }

    private void killAll() {
        workers.killAll();
    }

    void awaitDone(WorkerJvm worker, int expectedTasks) {
        Matcher done = worker.await(DONE, doneTimeoutSeconds, "`done`");
        if (Integer.parseInt(done.group(1)) != expectedTasks) {
            throw new IllegalStateException(worker.name + ": " + done.group());
        }
    }

    Memory memory(WorkerJvm worker) throws IOException, InterruptedException {
        worker.send("heap");
        Matcher m = worker.await(HEAP, 120, "the heap line");
        Map<String, Long> nmt = WorkerJvm.nativeMemory(worker.pid());
        System.out.println("# NMT committed, " + worker.name + ": " + nmt);
        // Arena Chunk and Compiler swing by up to 20 and 10 MB with what the JIT is compiling at
        // that moment (seen between rounds of one setting), and hold nothing the agent keeps.
        long outsideHeap = nmt.get("Total") - nmt.get("Java Heap") - nmt.getOrDefault("Arena Chunk", 0L)
                - nmt.getOrDefault("Compiler", 0L);
        return new Memory(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), nmt.getOrDefault("Code", -1L),
                nmt.getOrDefault("Internal", -1L), nmt.getOrDefault("Symbol", -1L), outsideHeap, WorkerJvm.rss(worker.pid()));
    }

    /** One worker's memory figures, in the order of {@link #NAMES}. */
    static final class Memory {
        static final String[] NAMES = {
            "heap used after `System.gc()` (least of five readings)",
            "Metaspace used (class space included)",
            "NMT Code (JIT-compiled code)",
            "NMT Internal",
            "NMT Symbol",
            "NMT committed outside the Java heap (JIT compiler and arena memory left out)",
            "RSS (heap fixed and touched at start)",
        };
        static final String[] SHORT = {"heap", "metaspace", "code", "internal", "symbol", "native", "RSS"};
        final long[] values;

        Memory(long... values) {
            this.values = values;
        }
    }

    private static String loadAverage() {
        return WorkerJvm.loadAverage();
    }

    // ---------------------------------------------------------------- HTTP

    static final class Scrape {
        final byte[] body;
        final long nanos;

        Scrape(byte[] body, long nanos) {
            this.body = body;
            this.nanos = nanos;
        }
    }

    private Scrape scrape(int port, Format format, boolean gzip) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", format.accept);
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        HttpRequest built = request.GET().build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        long nanos = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics on port " + port + " (" + format.title + "): status " + response.statusCode());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        boolean protobuf = type.startsWith("application/vnd.google.protobuf");
        if (protobuf != (format == Format.PROTOBUF)
                || (format == Format.OPENMETRICS) != type.startsWith("application/openmetrics-text")) {
            throw new IllegalStateException("asked for " + format.accept + ", got Content-Type " + type);
        }
        boolean zipped = response.headers().firstValue("Content-Encoding").orElse("").equals("gzip");
        if (zipped != gzip) {
            throw new IllegalStateException("asked " + (gzip ? "with" : "without") + " gzip, got Content-Encoding "
                    + response.headers().firstValue("Content-Encoding").orElse("none"));
        }
        return new Scrape(response.body(), nanos);
    }

    // ---------------------------------------------------------------- the task family's bytes

    /**
     * The lines of {@link #FAMILY} in a text or OpenMetrics body, each with its newline: its
     * {@code # HELP}/{@code # TYPE}/{@code # UNIT} lines and its samples, up to the next family.
     */
    static byte[] textFamily(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String current = null;
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.startsWith("#")) {
                String[] words = line.split(" ", 4);
                current = words.length >= 3 && !words[1].equals("EOF") ? words[2] : null;
            } else if (line.isEmpty()) {
                continue;
            } else if (current != null && current.equals(FAMILY)) {
                int end = line.indexOf('{');
                String sample = line.substring(0, end >= 0 ? end : line.indexOf(' '));
                if (!sample.startsWith(FAMILY)) {
                    throw new AssertionError("a sample of " + sample + " inside the " + FAMILY + " block");
                }
            }
            if (FAMILY.equals(current)) {
                byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        if (out.size() == 0) {
            throw new AssertionError("no " + FAMILY + " in the scrape");
        }
        return out.toByteArray();
    }

    /** The length-delimited MetricFamily message named {@link #FAMILY}, its length prefix included. */
    static byte[] protobufFamily(byte[] body) {
        Reader reader = new Reader(body, 0, body.length);
        while (reader.more()) {
            int start = reader.position;
            int length = (int) reader.varint();
            int messageStart = reader.position;
            if (FAMILY.equals(familyName(body, messageStart, messageStart + length))) {
                return Arrays.copyOfRange(body, start, messageStart + length);
            }
            reader.position = messageStart + length;
        }
        throw new AssertionError("no " + FAMILY + " MetricFamily in the protobuf scrape");
    }

    private static String familyName(byte[] body, int from, int to) {
        Reader reader = new Reader(body, from, to);
        while (reader.more()) {
            long tag = reader.varint();
            if (tag == ((1 << 3) | 2)) { // MetricFamily.name = 1, length-delimited
                int length = (int) reader.varint();
                return new String(body, reader.position, length, StandardCharsets.UTF_8);
            }
            reader.skip((int) (tag & 7));
        }
        return null;
    }

    static final class Histograms {
        int series;
        int classicBuckets;
        int nativeSeries;
        int nativeWithData;
        int spans;
        int deltas;
    }

    /**
     * Counts, in one delimited MetricFamily: its Metric messages (field 4), and in each one's
     * Histogram (field 7) the classic buckets (field 3), whether it is native (schema, field 5,
     * or a zero threshold, field 6), the positive spans (12) and deltas (13, packed or not).
     */
    static Histograms protobufHistograms(byte[] delimited) {
        Histograms found = new Histograms();
        Reader outer = new Reader(delimited, 0, delimited.length);
        int length = (int) outer.varint();
        Reader family = new Reader(delimited, outer.position, outer.position + length);
        while (family.more()) {
            long tag = family.varint();
            if (tag != ((4 << 3) | 2)) {
                family.skip((int) (tag & 7));
                continue;
            }
            found.series++;
            Reader metric = family.sub();
            while (metric.more()) {
                long metricTag = metric.varint();
                if (metricTag != ((7 << 3) | 2)) {
                    metric.skip((int) (metricTag & 7));
                    continue;
                }
                Reader histogram = metric.sub();
                boolean isNative = false;
                int deltas = 0;
                while (histogram.more()) {
                    long field = histogram.varint();
                    int number = (int) (field >>> 3);
                    int wire = (int) (field & 7);
                    if (number == 3 && wire == 2) {
                        found.classicBuckets++;
                        histogram.skip(wire);
                    } else if ((number == 5 || number == 6) && !isNative) {
                        isNative = true;
                        histogram.skip(wire);
                    } else if (number == 12 && wire == 2) {
                        found.spans++;
                        histogram.skip(wire);
                    } else if (number == 13 && wire == 2) { // packed sint64
                        Reader packed = histogram.sub();
                        while (packed.more()) {
                            packed.varint();
                            deltas++;
                        }
                    } else if (number == 13 && wire == 0) {
                        histogram.varint();
                        deltas++;
                    } else {
                        histogram.skip(wire);
                    }
                }
                if (isNative) {
                    found.nativeSeries++;
                    found.deltas += deltas;
                    if (deltas > 0) {
                        found.nativeWithData++;
                    }
                }
            }
        }
        return found;
    }

    /** Just enough of the protobuf wire format: varints, and skipping a field by its wire type. */
    static final class Reader {
        final byte[] bytes;
        int position;
        final int end;

        Reader(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.position = from;
            this.end = to;
        }

        boolean more() {
            return position < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new AssertionError("truncated varint");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new AssertionError("varint longer than 10 bytes");
        }

        /** The length-delimited field that starts here, as a reader; this one moves past it. */
        Reader sub() {
            int length = (int) varint();
            Reader sub = new Reader(bytes, position, position + length);
            position += length;
            return sub;
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0: varint(); break;
                case 1: position += 8; break;
                case 2:
                    int length = (int) varint(); // not position += varint(): that adds to the position before the varint
                    position += length;
                    break;
                case 5: position += 4; break;
                default: throw new AssertionError("wire type " + wireType + " at " + position);
            }
            if (position > end) {
                throw new AssertionError("field runs past its message");
            }
        }
    }

    // ---------------------------------------------------------------- small helpers

    static final class Sizes {
        final long plain;
        final long gzipped;

        Sizes(long plain, long gzipped) {
            this.plain = plain;
            this.gzipped = gzipped;
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    static long median(long[] values) {
        return WorkerJvm.median(values);
    }

    static long percentile(long[] values, double p) {
        return WorkerJvm.percentile(values, p);
    }
}

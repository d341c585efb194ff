package io.agentmon.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What one Prometheus text scrape costs with N task series, agentmon against Micrometer's own
 * {@code PrometheusMeterRegistry} holding the same meters (issue 12). See BENCHMARKS.md, "Scrape
 * against Micrometer (issue 12)".
 *
 * <ul>
 *   <li>{@code agentmonHttp}, {@code agentmonHttpGzip}: a forked JVM with the real
 *   {@code agent/target/agentmon.jar} attached; at set-up it makes one task class per label
 *   ({@link GeneratedTasks}), which the agent weaves, runs each {@link ScrapeWork#RUNS} times,
 *   then every operation is one {@code GET /metrics} of agentmon's own endpoint over loopback
 *   ({@link LoopbackHttp}), plain or gzipped: what Prometheus gets.</li>
 *   <li>{@code micrometerScrape}: a forked JVM without the agent, holding a
 *   {@link MicrometerSide} registry with the same meters and recorded values; each operation is
 *   {@code registry.scrape()}, the text format as a {@code String}.</li>
 *   <li>{@code micrometerHttp}, {@code micrometerHttpGzip}: the same registry served over the
 *   JDK's {@code com.sun.net.httpserver} by a handler shaped like agentmon's, scraped by the same
 *   client, so both sides pay HTTP alike.</li>
 * </ul>
 *
 * <p>{@code series} is the number of task series wanted, N; each side gets the task-label count
 * closest to it (agentmon 51 series a label, Micrometer 54: see the classes). Each trial checks,
 * at set-up, that a scrape holds exactly the labels and series it should and the recorded run
 * counts ({@link ScrapeWork#SUCCESSES} successes and one failure per label), and prints one
 * {@code scrape-check} line with the series and bytes; a trial that does not match fails.
 *
 * <p>Run from the repository root (the agent path is relative), e.g. {@code java -jar
 * benchmarks/target/benchmarks.jar ScrapeBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScrapeBenchmark {

    static final String SERVICE = "billing-worker";
    /** agentmon.series.max for every agentmon fork: 1961 labels reserve 69 series each (135,309). */
    static final String SERIES_MAX = "200000";

    /**
     * Series agentmon exports per task label without a deadline: 3 histograms of 15, one failure
     * counter, the active, stuck and oldest-in-flight gauges, 2 timeout counters.
     */
    static final int AGENTMON_SERIES_PER_LABEL = 3 * 15 + 1 + 3 + 2;

    static int labelsFor(int series, int perLabel) {
        return Math.max(1, (int) Math.round((double) series / perLabel));
    }

    /**
     * Process CPU time per operation over the measured iterations (every thread of the JVM:
     * server, client, GC, JIT, agent threads), printed at the end of the trial as a
     * {@code scrape-cpu} line: a second view of the cost that a busy machine stretches less
     * than the wall-clock average, since time spent waiting for a core is not in it.
     */
    public abstract static class Side {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
        long operations;
        private long iterationCpu;
        private long iterationThreadCpu;
        private long iterationOperations;
        private long measuredCpu;
        private long measuredThreadCpu;
        private long measuredOperations;
        private boolean measuring;

        @Setup(Level.Iteration)
        public void startIteration(IterationParams params) {
            measuring = params.getType() == IterationType.MEASUREMENT;
            iterationOperations = operations;
            iterationThreadCpu = javaThreadsCpu();
            iterationCpu = OS.getProcessCpuTime();
        }

        @TearDown(Level.Iteration)
        public void endIteration() {
            if (measuring) {
                measuredCpu += OS.getProcessCpuTime() - iterationCpu;
                measuredThreadCpu += javaThreadsCpu() - iterationThreadCpu;
                measuredOperations += operations - iterationOperations;
            }
        }

        /**
         * CPU time of the JVM's live Java threads (server, client, agent and JMH threads; not the
         * JIT compiler's or the GC's), which leaves out compilation still going on and the GC's
         * share of the allocation reported beside it.
         */
        private static long javaThreadsCpu() {
            long total = 0;
            for (long id : THREADS.getAllThreadIds()) {
                long cpu = THREADS.getThreadCpuTime(id);
                if (cpu > 0) {
                    total += cpu;
                }
            }
            return total;
        }

        void printCpu(String side, int series) {
            if (measuredOperations > 0) {
                System.out.printf(java.util.Locale.ROOT, "%nscrape-cpu side=%s N=%d cpuMsPerOp=%.3f threadCpuMsPerOp=%.3f ops=%d%n",
                        side, series, measuredCpu / 1e6 / measuredOperations, measuredThreadCpu / 1e6 / measuredOperations,
                        measuredOperations);
            }
        }

        /** With {@code -Dscrape.dump=<dir>} (e.g. by {@code -jvmArgsPrepend}), writes the plain scrape there. */
        static void dump(String side, int series, byte[] body) throws IOException {
            String dir = System.getProperty("scrape.dump");
            if (dir != null) {
                java.nio.file.Path path = java.nio.file.Paths.get(dir);
                java.nio.file.Files.createDirectories(path);
                java.nio.file.Files.write(path.resolve(side + "-" + series + ".txt"), body);
            }
        }
    }

    /** The agentmon side: the real agent in this JVM, scraped over its own endpoint. */
    @State(Scope.Benchmark)
    public static class Agentmon extends Side {
        @Param({"150", "1000", "10000", "100000"})
        public int series;

        LoopbackHttp client;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws Exception {
            int labels = labelsFor(series, AGENTMON_SERIES_PER_LABEL);
            int port = agentPort();
            long start = System.nanoTime();
            Runnable[] tasks = GeneratedTasks.load(labels);
            long loaded = System.nanoTime();
            GeneratedTasks.runAll(tasks, 16);
            long recorded = System.nanoTime() - loaded;
            Check check = Check.of(port, "agentmon", series, labels, AGENTMON_SERIES_PER_LABEL);
            dump("agentmon", series, check.body);
            System.out.println("scrape-check " + check + " loadMs=" + (loaded - start) / 1_000_000
                    + " recordMs=" + recorded / 1_000_000);
            client = new LoopbackHttp(port, "/metrics", params.getBenchmark().endsWith("Gzip"));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            printCpu("agentmon", series);
            if (client != null) {
                client.close();
            }
        }

        private static int agentPort() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String url;
            while ((url = System.getProperty("io.agentmon.endpoint")) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("agentmon is not serving in this JVM after 120 s: is "
                            + "agent/target/agentmon.jar attached (run from the repository root)?");
                }
                Thread.sleep(50);
            }
            // http://127.0.0.1:PORT/metrics
            String rest = url.substring(url.indexOf("://") + 3);
            return Integer.parseInt(rest.substring(rest.indexOf(':') + 1, rest.indexOf('/')));
        }
    }

    /** The Micrometer side: its own registry with the same meters, no agent in the JVM. */
    @State(Scope.Benchmark)
    public static class Micrometer extends Side {
        @Param({"150", "1000", "10000", "100000"})
        public int series;

        MicrometerSide side;
        LoopbackHttp client;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws Exception {
            try {
                Class.forName("io.agentmon.bootstrap.TaskRecorders", false, null);
                throw new IllegalStateException("agentmon is attached to the Micrometer side's JVM");
            } catch (ClassNotFoundException expected) {
                // no agent here
            }
            int labels = labelsFor(series, MicrometerSide.SERIES_PER_LABEL);
            side = new MicrometerSide(SERVICE, labels);
            int port = side.serve();
            Check check = Check.of(port, "micrometer", series, labels, MicrometerSide.SERIES_PER_LABEL);
            dump("micrometer", series, check.body);
            String scraped = side.registry.scrape();
            if (!scraped.startsWith("# HELP") || scraped.contains("# EOF")) {
                throw new IllegalStateException("registry.scrape() did not give the Prometheus text format");
            }
            Check direct = Check.parse(scraped.getBytes(StandardCharsets.UTF_8), "micrometer", series, labels,
                    MicrometerSide.SERIES_PER_LABEL);
            System.out.println("scrape-check " + check + " scrapeStringBytes=" + direct.bytes);
            String name = params.getBenchmark();
            if (name.contains("Http")) {
                client = new LoopbackHttp(port, "/metrics", name.endsWith("Gzip"));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            printCpu("micrometer", series);
            if (client != null) {
                client.close();
            }
            side.stop();
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {
        "-javaagent:" + TaskProbeBenchmark.AGENT_JAR,
        "-Dagentmon.tasks=" + GeneratedTasks.MATCHER,
        "-Dagentmon.port=0",
        "-Dagentmon.host=127.0.0.1",
        "-Dagentmon.service=" + SERVICE,
        "-Dagentmon.series.max=" + SERIES_MAX,
        "-Xms2g", "-Xmx2g", PlainThreadsExecutor.JMH_EXECUTOR, PlainThreadsExecutor.JMH_EXECUTOR_CLASS})
    public long agentmonHttp(Agentmon agentmon) throws IOException {
        agentmon.operations++;
        return agentmon.client.get();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {
        "-javaagent:" + TaskProbeBenchmark.AGENT_JAR,
        "-Dagentmon.tasks=" + GeneratedTasks.MATCHER,
        "-Dagentmon.port=0",
        "-Dagentmon.host=127.0.0.1",
        "-Dagentmon.service=" + SERVICE,
        "-Dagentmon.series.max=" + SERIES_MAX,
        "-Xms2g", "-Xmx2g", PlainThreadsExecutor.JMH_EXECUTOR, PlainThreadsExecutor.JMH_EXECUTOR_CLASS})
    public long agentmonHttpGzip(Agentmon agentmon) throws IOException {
        agentmon.operations++;
        return agentmon.client.get();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", MicrometerSide.NO_DELAY, PlainThreadsExecutor.JMH_EXECUTOR, PlainThreadsExecutor.JMH_EXECUTOR_CLASS})
    public String micrometerScrape(Micrometer micrometer) {
        micrometer.operations++;
        return micrometer.side.registry.scrape();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", MicrometerSide.NO_DELAY, PlainThreadsExecutor.JMH_EXECUTOR, PlainThreadsExecutor.JMH_EXECUTOR_CLASS})
    public long micrometerHttp(Micrometer micrometer) throws IOException {
        micrometer.operations++;
        return micrometer.client.get();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", MicrometerSide.NO_DELAY, PlainThreadsExecutor.JMH_EXECUTOR, PlainThreadsExecutor.JMH_EXECUTOR_CLASS})
    public long micrometerHttpGzip(Micrometer micrometer) throws IOException {
        micrometer.operations++;
        return micrometer.client.get();
    }

    /** What one scrape holds, checked against what was recorded. */
    static final class Check {
        String side;
        int target;
        int labels;
        int series;
        int taskSeries;
        long bytes;
        long gzipBytes;
        /** Bytes of the scrape without agentmon's own families ({@link #withoutAgentsOwn}), plain and gzipped. */
        long sharedBytes;
        long sharedGzipBytes;
        byte[] body;

        /** Scrapes {@code /metrics} plain and gzipped, and checks both. */
        static Check of(int port, String side, int target, int labels, int perLabel) throws IOException {
            byte[] plain;
            byte[] zipped;
            try (LoopbackHttp text = new LoopbackHttp(port, "/metrics", false);
                    LoopbackHttp gzip = new LoopbackHttp(port, "/metrics", true)) {
                plain = text.body();
                zipped = gzip.body();
            }
            Check check = parse(plain, side, target, labels, perLabel);
            Check unzipped = parse(gunzip(zipped), side, target, labels, perLabel);
            // The task series are fixed once recorded; the JVM binders' may differ between two scrapes
            // (a GC cause seen for the first time, say), so only those must match exactly.
            if (unzipped.taskSeries != check.taskSeries || Math.abs(unzipped.series - check.series) > 20) {
                throw new IllegalStateException(side + ": the gzipped scrape has " + unzipped.series
                        + " series (" + unzipped.taskSeries + " task series), the plain one " + check.series
                        + " (" + check.taskSeries + ")");
            }
            check.gzipBytes = zipped.length;
            check.body = plain;
            byte[] shared = withoutAgentsOwn(plain);
            check.sharedBytes = shared.length;
            check.sharedGzipBytes = gzip(shared).length;
            return check;
        }

        /**
         * The scrape without the families agentmon keeps about itself (its version, its drop
         * counters, its exported spans), which have no meter on the Micrometer side: what is left
         * is the same meters on both. Every Micrometer family is kept, {@code _max} included.
         */
        static byte[] withoutAgentsOwn(byte[] body) {
            StringBuilder kept = new StringBuilder(body.length);
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                String name = line.startsWith("# ") ? line.split(" ", 4)[2] : line.split("[{ ]", 2)[0];
                if (!AGENTS_OWN.contains(name)) {
                    kept.append(line).append('\n');
                }
            }
            return kept.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static final Set<String> AGENTS_OWN =
                Set.of("agentmon_info", "agentmon_dropped_total", "agentmon_spans_exported_total");

        /** What the endpoint's gzip writes (the JDK's deflater at its default level), for a body of our own. */
        static byte[] gzip(byte[] body) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
                zip.write(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        static Check parse(byte[] body, String side, int target, int labels, int perLabel) {
            Check check = new Check();
            check.side = side;
            check.target = target;
            check.labels = labels;
            check.bytes = body.length;
            Set<String> tasks = new HashSet<>();
            double success = 0;
            double failure = 0;
            double timeout = 0;
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                check.series++;
                if (!line.startsWith("agentmon_task_") && !line.startsWith("agentmon_tasks_")) {
                    continue;
                }
                check.taskSeries++;
                int at = line.indexOf("task=\"");
                if (at >= 0) {
                    tasks.add(line.substring(at + 6, line.indexOf('"', at + 6)));
                }
                if (line.startsWith("agentmon_task_duration_seconds_count{")) {
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    if (line.contains("outcome=\"success\"")) {
                        success += value;
                    } else if (line.contains("outcome=\"failure\"")) {
                        failure += value;
                    } else if (line.contains("outcome=\"timeout\"")) {
                        timeout += value;
                    }
                }
            }
            String problem = null;
            if (tasks.size() != labels) {
                problem = tasks.size() + " task labels, not " + labels;
            } else if (check.taskSeries != labels * perLabel) {
                problem = check.taskSeries + " task series, not " + labels + " x " + perLabel;
            } else if (success != (double) labels * ScrapeWork.SUCCESSES || failure != labels || timeout != 0) {
                problem = "run counts success=" + success + " failure=" + failure + " timeout=" + timeout
                        + ", not " + (long) labels * ScrapeWork.SUCCESSES + ", " + labels + ", 0";
            }
            if (problem != null) {
                throw new IllegalStateException(side + " scrape for N=" + target + ": " + problem);
            }
            return check;
        }

        private static byte[] gunzip(byte[] zipped) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("the gzipped scrape does not unzip", e);
            }
        }

        @Override
        public String toString() {
            return "side=" + side + " N=" + target + " labels=" + labels + " taskSeries=" + taskSeries
                    + " series=" + series + " bytes=" + bytes + " gzipBytes=" + gzipBytes
                    + " sharedBytes=" + sharedBytes + " sharedGzipBytes=" + sharedGzipBytes;
        }
    }
}

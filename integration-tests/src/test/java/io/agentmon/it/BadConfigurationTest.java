package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when the configuration is wrong: one line on stderr naming the culprit and a
 * worker that runs on unmonitored, or, in strict mode, a JVM that refuses to start. And the
 * other sources of configuration (agent arguments, a properties file) really taking effect.
 */
class BadConfigurationTest {

    private static final int JOBS = 20;
    /** Long enough after the run for an agent that wrongly started anyway to have said so. */
    private static final String HOLD_SECONDS = "3";
    private static final String TASKS = "com.acme.worker.jobs.Job+#execute";
    private static final String[] KINDS = {"IngestJob", "TransformJob", "FetchJob", "BuildJob"};

    @TempDir
    Path dir;

    // ------------------------------------------------------------ the worker runs on, unmonitored

    @Test
    void unknownSystemProperty() throws Exception {
        String line = runsOnUnmonitored(worker().property("agentmon.prot", "9300"));
        assertTrue(line.contains("agentmon.prot"), line);
        assertTrue(line.contains("system property"), line);
    }

    @Test
    void malformedMatcher() throws Exception {
        String line = runsOnUnmonitored(worker().property("agentmon.tasks", "com.acme.Worker"));
        assertTrue(line.contains("agentmon.tasks"), line);
        assertTrue(line.contains("com.acme.Worker"), line);
    }

    @Test
    void badPort() throws Exception {
        String line = runsOnUnmonitored(worker().property("agentmon.port", "abc"));
        assertTrue(line.contains("agentmon.port='abc'"), line);
    }

    @Test
    void portAlreadyTaken() throws Exception {
        try (ServerSocket taken = takenPort()) {
            int port = taken.getLocalPort();
            String line = runsOnUnmonitored(worker()
                    .property("agentmon.host", "127.0.0.1")
                    .property("agentmon.port", String.valueOf(port))
                    .property("agentmon.tasks", TASKS));
            assertTrue(line.contains("127.0.0.1:" + port), line);
            assertTrue(line.contains("agentmon.port"), line);
        }
    }

    @Test
    void unknownAgentArgument() throws Exception {
        String line = runsOnUnmonitored(worker().agentArgs("prot=9300"));
        assertTrue(line.contains("'prot'"), line);
        assertTrue(line.contains("agent argument"), line);
    }

    @Test
    void unknownEnvironmentVariable() throws Exception {
        String line = runsOnUnmonitored(worker().env("AGENTMON_PROT", "9300"));
        assertTrue(line.contains("AGENTMON_PROT"), line);
        assertTrue(line.contains("environment variable"), line);
    }

    // ------------------------------------------------------------ bounded inputs (issue 9)

    @Test
    void devZeroAsTheConfigurationFile() throws Exception {
        // Used to be an OutOfMemoryError in premain and a dead worker (exit 134).
        String line = runsOnUnmonitored(worker().property("agentmon.config", "/dev/zero"));
        assertTrue(line.contains("agentmon.config: file '/dev/zero'"), line);
        assertTrue(line.contains("is not a regular file"), line);
    }

    @Test
    void aFiftyMegabyteConfigurationFile() throws Exception {
        Path big = dir.resolve("big.properties");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(50L * 1024 * 1024);
        }
        String line = runsOnUnmonitored(worker().property("agentmon.config", big.toString()));
        assertTrue(line.contains("over the limit of 1048576"), line);
    }

    @Test
    void tenThousandBucketBounds() throws Exception {
        StringBuilder bounds = new StringBuilder();
        for (int i = 1; i <= 10_000; i++) {
            bounds.append(i == 1 ? "" : ",").append(i).append("ms");
        }
        String line = runsOnUnmonitored(worker().property("agentmon.tasks", TASKS)
                .property("agentmon.task.buckets", bounds.toString()));
        assertTrue(line.contains("agentmon.task.buckets='1ms,2ms,"), line);
        assertTrue(line.length() < 400, line);
        String counted = runsOnUnmonitored(worker().property("agentmon.tasks", TASKS)
                .property("agentmon.task.buckets", bounds.substring(0, bounds.indexOf(",101ms"))));
        assertTrue(counted.contains("100 bucket bounds, over the limit of 64"), counted);
    }

    @Test
    void aCarriageReturnAndAHugeValueStayOnOneShortLine() throws Exception {
        String line = runsOnUnmonitored(worker().property("agentmon.port", "93\r00"));
        assertTrue(line.contains("agentmon.port='93\\r00'"), line);
        String huge = runsOnUnmonitored(worker().property("agentmon.tasks", "a.B#" + "c".repeat(100_000)));
        assertTrue(huge.contains("...(100004 chars)"), huge);
        assertTrue(huge.length() < 400, huge);
    }

    /**
     * Runs the worker to its end and checks that it was not disturbed: exit code 0, every job in
     * its tally, and exactly one agentmon line on stderr, which is returned.
     */
    private String runsOnUnmonitored(WorkerProcess.Builder builder) throws IOException {
        Path tally = dir.resolve("tally.properties");
        try (WorkerProcess worker = builder.sampleWorker(workerArgs(tally, HOLD_SECONDS)).start()) {
            int exit = worker.awaitExit(120);
            assertEquals(0, exit, "the worker's exit code\nstdout:\n" + worker.stdout() + "\nstderr:\n" + worker.stderr());
            assertEquals(String.valueOf(JOBS), worker.awaitProperties(tally, 1).getProperty("total.count"),
                    "the worker ran all its jobs");
            List<String> lines = agentmonLines(worker.stderr());
            assertEquals(1, lines.size(), "exactly one agentmon line on stderr:\n" + worker.stderr());
            String line = lines.get(0);
            assertTrue(line.endsWith("; the worker runs on unmonitored"), line);
            return line;
        }
    }

    // ------------------------------------------------------------ a bad otel.* setting: tracing off, metrics on

    /**
     * OTEL_* variables are often meant for some other tool in the same container: one agentmon
     * cannot use switches tracing off, says which, and leaves the metrics alone.
     */
    @Test
    void badOtelSettingSwitchesOnlyTracingOff() throws Exception {
        Path tally = dir.resolve("tally.properties");
        try (WorkerProcess worker = worker()
                .onLoopback()
                .property("agentmon.tasks", TASKS)
                .env("OTEL_TRACES_EXPORTER", "zipkin")
                .sampleWorker(workerArgs(tally, "60"))
                .start()) {
            int port = worker.agentPort();
            worker.awaitProperties(tally, 120);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            assertEquals(JOBS, scrape.sum("agentmon_task_duration_seconds_count"), "every job counted:\n" + scrape.text());
            List<String> lines = agentmonLines(worker.stderr());
            assertEquals(2, lines.size(), "the otel line and the serving line:\n" + worker.stderr());
            assertTrue(lines.get(0).contains("otel.traces.exporter='zipkin' (environment variable OTEL_TRACES_EXPORTER)"),
                    lines.get(0));
            assertTrue(lines.get(0).endsWith("; tracing is off, metrics are recorded"), lines.get(0));
            assertTrue(lines.get(1).contains("serving http://127.0.0.1:"), lines.get(1));
        }
    }

    @Test
    void strictWithBadOtelSetting() throws Exception {
        String output = refusesToStart(worker()
                .property("agentmon.strict", "true")
                .property("otel.traces.exporter", "otlp")
                .property("otel.exporter.otlp.protocol", "http/json"));
        assertTrue(output.contains("otel.exporter.otlp.protocol='http/json'"), output);
    }

    // ------------------------------------------------------------ strict: the JVM refuses to start

    @Test
    void strictWithBadPort() throws Exception {
        String output = refusesToStart(worker()
                .property("agentmon.strict", "true")
                .property("agentmon.port", "abc"));
        assertTrue(output.contains("agentmon.port='abc'"), output);
    }

    @Test
    void strictWithPortAlreadyTaken() throws Exception {
        try (ServerSocket taken = takenPort()) {
            int port = taken.getLocalPort();
            String output = refusesToStart(worker()
                    .property("agentmon.strict", "true")
                    .property("agentmon.host", "127.0.0.1")
                    .property("agentmon.port", String.valueOf(port)));
            assertTrue(output.contains("127.0.0.1:" + port), output);
            assertTrue(output.contains("agentmon.port"), output);
        }
    }

    /**
     * Strict mode asked for in the properties file, not on the command line: premain must still
     * wait for the bind and refuse. (It once trusted only the command line, so the start thread
     * stayed silent, as it does when strict, and premain went on: no line, no refusal.)
     */
    @Test
    void strictFromTheConfigFileWithPortAlreadyTaken() throws Exception {
        try (ServerSocket taken = takenPort()) {
            int port = taken.getLocalPort();
            Path file = propertiesFile("agentmon.strict=true", "agentmon.host=127.0.0.1", "agentmon.port=" + port);
            String output = refusesToStart(worker().property("agentmon.config", file.toString()));
            assertTrue(output.contains("127.0.0.1:" + port), output);
        }
    }

    private String refusesToStart(WorkerProcess.Builder builder) throws IOException {
        Path tally = dir.resolve("tally.properties");
        // Its own working directory: had premain thrown, the JVM would abort and might leave a core file.
        Path workDir = Files.createDirectories(dir.resolve("cwd"));
        try (WorkerProcess worker = builder.directory(workDir).sampleWorker(workerArgs(tally, "0")).start()) {
            int exit = worker.awaitExit(60);
            String output = worker.stdout() + worker.stderr();
            assertEquals(1, exit, "strict mode ends the JVM with status 1\n" + output);
            assertFalse(output.contains("InvocationTargetException") || output.contains("FATAL ERROR")
                    || output.contains("\tat "), "one clear line, no stack:\n" + output);
            assertFalse(Files.exists(tally), "the worker ran:\n" + output);
            assertFalse(worker.stdout().contains("sample-worker:"), "the worker's main ran:\n" + output);
            assertTrue(output.contains("agentmon.strict=true: refusing to start"), output);
            return output;
        }
    }

    // ------------------------------------------------------------ good configuration takes effect

    @Test
    void agentArguments() throws Exception {
        Path tally = dir.resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .agentArgs("port=0,host=127.0.0.1,tasks=" + TASKS)
                .sampleWorker(workerArgs(tally, "60"))
                .start()) {
            Scrape scrape = scrapeAfterTheRun(worker, tally);
            assertTrue(worker.stderr().contains("serving http://127.0.0.1:"), worker.stderr());
            for (String kind : KINDS) {
                assertTrue(scrape.sum("agentmon_task_duration_seconds_count", "task", kind + ".execute") > 0,
                        kind + " counted:\n" + scrape.text());
            }
        }
    }

    @Test
    void agentArgumentMatcherListWithLabels() throws Exception {
        // A label= prefix and a comma inside the tasks list must not end the list; the key after it must.
        Path tally = dir.resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .agentArgs("tasks=ingest=com.acme.worker.jobs.IngestJob#execute," + TASKS + ",port=0,host=127.0.0.1")
                .sampleWorker(workerArgs(tally, "60"))
                .start()) {
            Scrape scrape = scrapeAfterTheRun(worker, tally);
            assertEquals(Set.of("ingest", "TransformJob.execute", "FetchJob.execute", "BuildJob.execute"),
                    labelValues(scrape, "agentmon_task_duration_seconds_count", "task"));
        }
    }

    @Test
    void configFile() throws Exception {
        Path file = propertiesFile(
                "agentmon.port=0",
                "agentmon.host=127.0.0.1",
                "agentmon.tasks=" + TASKS,
                "agentmon.service=from-the-file",
                "agentmon.task.buckets=10ms,100ms,1s,10s");
        Path tally = dir.resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .property("agentmon.config", file.toString())
                .sampleWorker(workerArgs(tally, "60"))
                .start()) {
            Scrape scrape = scrapeAfterTheRun(worker, tally);
            for (Scrape.Sample sample : scrape.samples()) {
                assertEquals("from-the-file", sample.labels.get("service"), "service label on " + sample);
            }
            assertEquals(Set.of("0.01", "0.1", "1.0", "10.0", "+Inf"), labelValues(scrape,
                    "agentmon_task_duration_seconds_bucket", "le"), "the file's bucket bounds");
        }
    }

    /** Waits for the bounded run to finish, scrapes, and checks every job was counted once. */
    private static Scrape scrapeAfterTheRun(WorkerProcess worker, Path tallyFile) throws IOException {
        int port = worker.agentPort();
        Properties tally = worker.awaitProperties(tallyFile, 120);
        Scrape scrape = WorkerProcess.Http.scrape(port);
        assertEquals(JOBS, Long.parseLong(tally.getProperty("total.count")));
        assertEquals(JOBS, scrape.sum("agentmon_task_duration_seconds_count"), "every job counted once:\n" + scrape.text());
        List<String> lines = agentmonLines(worker.stderr());
        assertEquals(1, lines.size(), "only the serving line:\n" + worker.stderr());
        return scrape;
    }

    // ------------------------------------------------------------ helpers

    private static WorkerProcess.Builder worker() {
        return WorkerProcess.builder(Jdks.current());
    }

    private static String[] workerArgs(Path tally, String holdSeconds) {
        return new String[] {"--jobs", String.valueOf(JOBS), "--threads", "4", "--tally", tally.toString(),
            "--hold-seconds", holdSeconds};
    }

    private static ServerSocket takenPort() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(false);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return socket;
    }

    private Path propertiesFile(String... lines) throws IOException {
        Path file = dir.resolve("agentmon.properties");
        Files.write(file, List.of(lines), StandardCharsets.ISO_8859_1);
        return file;
    }

    private static List<String> agentmonLines(String stderr) {
        List<String> lines = new ArrayList<>();
        for (String line : stderr.split("\\R")) {
            if (line.startsWith("agentmon:")) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static Set<String> labelValues(Scrape scrape, String name, String label) {
        Set<String> values = new TreeSet<>();
        for (Scrape.Sample sample : scrape.find(name)) {
            values.add(sample.labels.get(label));
        }
        return values;
    }
}

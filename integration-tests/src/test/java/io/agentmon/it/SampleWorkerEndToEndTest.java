package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test that matters: the sample worker runs under the agent as a separate JVM, and what
 * its /metrics says equals what the worker itself counted.
 */
class SampleWorkerEndToEndTest {

    private static final String[] KINDS = {"IngestJob", "TransformJob", "FetchJob", "BuildJob"};
    private static final String[] OUTCOMES = {"success", "failure", "timeout"};
    private static final int JOBS = 400;

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void scrapedCountsEqualTheWorkersOwnTally(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("tally").resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", "com.acme.worker.jobs.Job+#execute")
                .property("agentmon.docker", "com.acme.worker.containers.ContainerAllocator#allocate")
                .property("agentmon.docker.cpu", "arg0")
                .property("agentmon.docker.memory", "arg1")
                .property("agentmon.docker.release", "com.acme.worker.containers.ContainerAllocator#release")
                .sampleWorker("--jobs", String.valueOf(JOBS), "--threads", "4",
                        "--tally", tallyFile.toString(), "--hold-seconds", "60")
                .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 120);
            Scrape scrape = WorkerProcess.Http.scrape(port);

            assertEquals(JOBS, Long.parseLong(tally.getProperty("total.count")));
            long scrapedTotal = 0;
            for (String kind : KINDS) {
                String task = kind + ".execute";
                for (String outcome : OUTCOMES) {
                    long expected = count(tally, kind + "." + outcome + ".count");
                    String[] labels = {"task", task, "outcome", outcome};
                    double count = scrape.value("agentmon_task_duration_seconds_count", labels);
                    assertEquals(expected, count, task + " " + outcome + " count");
                    assertEquals(count, scrape.value("agentmon_task_duration_seconds_bucket",
                            "task", task, "outcome", outcome, "le", "+Inf"), "+Inf bucket equals count");
                    assertDurationWithinWorkersBounds(tally, kind, outcome,
                            scrape.value("agentmon_task_duration_seconds_sum", labels));
                    scrapedTotal += (long) count;
                }
                assertFailuresByException(tally, scrape, kind, task);
                // Every timeout here comes from FetchJob's Future.get(40 ms), seen by the woven
                // FutureTask.get, and passed on as the job's exception: one timeout, under future.
                assertEquals(0, scrape.value("agentmon_task_timeouts_total", "task", task, "reason", "exception"),
                        task + " timeouts not counted twice");
                assertEquals(count(tally, kind + ".timeout.count"),
                        scrape.value("agentmon_task_timeouts_total", "task", task, "reason", "future"), task + " future timeouts");
                assertEquals(0, scrape.value("agentmon_tasks_active", "task", task), task + " in flight after the run");
            }
            assertEquals(JOBS, scrapedTotal);

            // The worker's own container allocator, described by configuration.
            assertEquals(count(tally, "containers.allocated"),
                    scrape.value("agentmon_docker_allocations_total", "outcome", "success"), "allocations");
            assertEquals(count(tally, "containers.failed"),
                    scrape.value("agentmon_docker_allocations_total", "outcome", "failure"), "failed allocations");
            assertEquals(count(tally, "containers.allocated") - count(tally, "containers.released"),
                    scrape.value("agentmon_docker_containers_active"), "containers alive after the run");
            assertEquals(0, scrape.value("agentmon_docker_memory_limit_bytes"), "all memory given back");
            assertTrue(count(tally, "containers.allocated") > 0, "some builds ran containers");

            // The run exercised every outcome, so the comparison above was not of zeros.
            assertTrue(count(tally, "FetchJob.timeout.count") > 0, "some fetches timed out");
            assertTrue(count(tally, "IngestJob.failure.count") > 0, "some ingests failed");

            String service = "com.acme.worker.SampleWorker";
            for (Scrape.Sample sample : scrape.samples()) {
                assertEquals(service, sample.labels.get("service"), "service label on " + sample);
            }
            assertEquals(1, scrape.value("agentmon_info", "java_version", javaVersionOf(scrape)));
            assertTrue(scrape.find("jvm_memory_used_bytes").size() > 0, "JVM memory metrics present");
            assertTrue(scrape.find("process_cpu_usage").size() == 1, "process CPU present");
            assertTrue(scrape.find("system_load_average_1m").size() == 1, "load average present");

            // The agent adds nothing to the worker's stderr but its one start-up line (and the
            // JVM's own note about class data sharing once the boot class path is appended).
            for (String line : worker.stderr().split("\n")) {
                assertTrue(line.isEmpty() || line.startsWith("agentmon: ") || line.contains("Sharing is only supported for boot loader classes"),
                        "unexpected stderr line: " + line);
            }
        }
    }

    private static String javaVersionOf(Scrape scrape) {
        return scrape.find("agentmon_info").get(0).labels.get("java_version");
    }

    /** The worker times each call from outside execute(), so the agent's sum can only be a little smaller. */
    private static void assertDurationWithinWorkersBounds(Properties tally, String kind, String outcome, double agentSeconds) {
        long runs = count(tally, kind + "." + outcome + ".count");
        double workerSeconds = count(tally, kind + "." + outcome + ".nanos") / 1e9;
        double slackSeconds = runs * 0.002; // at most 2 ms per run between the worker's clock read and ours
        assertTrue(agentSeconds <= workerSeconds + 1e-6,
                kind + " " + outcome + ": agent sum " + agentSeconds + "s exceeds the worker's " + workerSeconds + "s");
        assertTrue(agentSeconds >= workerSeconds - slackSeconds,
                kind + " " + outcome + ": agent sum " + agentSeconds + "s is far below the worker's " + workerSeconds + "s");
    }

    private static void assertFailuresByException(Properties tally, Scrape scrape, String kind, String task) {
        Set<String> exceptions = new TreeSet<>();
        for (String key : tally.stringPropertyNames()) {
            if (key.startsWith(kind + ".exception.") && !key.endsWith(".TimeoutException")) {
                exceptions.add(key.substring((kind + ".exception.").length()));
            }
        }
        for (String exception : exceptions) {
            assertEquals(count(tally, kind + ".exception." + exception),
                    scrape.value("agentmon_task_failures_total", "task", task, "exception", exception),
                    task + " failures with " + exception);
        }
        assertEquals(count(tally, kind + ".failure.count"), scrape.sum("agentmon_task_failures_total", "task", task),
                task + ": failures by exception add up to the failure outcome");
    }

    private static long count(Properties tally, String key) {
        return Long.parseLong(tally.getProperty(key, "0"));
    }
}

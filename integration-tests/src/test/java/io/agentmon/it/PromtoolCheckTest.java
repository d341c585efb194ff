package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Promtool;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exposition checked by Prometheus's own tools, as a user's CI would: the sample worker's
 * /metrics after a real run, in the Prometheus text format and in OpenMetrics.
 *
 * <p>{@code promtool check metrics} parses the text format only (prometheus/prometheus#8932:
 * it has no OpenMetrics parser and stops at the first OpenMetrics-only construct, such as an
 * {@code info} type or a {@code \"} in HELP). The OpenMetrics scrape therefore goes through
 * promtool's OpenMetrics parser instead, the one {@code promtool tsdb create-blocks-from
 * openmetrics} shares with Prometheus's scraper, which needs a timestamp on every sample.
 */
class PromtoolCheckTest {

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

    /**
     * promtool lint findings on metrics of Micrometer's binders, not agentmon's own, tolerated
     * until agentmon decides how to name them (DESIGN.md keeps Micrometer's standard names;
     * the proposed fix is a MeterFilter in AgentMeterRegistry that replaces these three with
     * {@code jvm_compilation_time_seconds_total}, {@code process_cpu_seconds_total} and
     * {@code jvm_available_processors}). Each entry is promtool's exact line; any other finding,
     * on an {@code agentmon_} metric or any other, fails the test. With this set empty the test
     * is the plain "exit code 0".
     */
    private static final Set<String> KNOWN_BINDER_FINDINGS = Set.of(
            // JvmCompilationMetrics: jvm.compilation.time has base unit "ms"
            "jvm_compilation_time_ms_total metric names should not contain abbreviated units",
            // ProcessorMetrics: process.cpu.time has base unit "ns"
            "process_cpu_time_ns_total metric names should not contain abbreviated units",
            // ProcessorMetrics: system.cpu.count is a gauge ending in _count
            "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");

    @TempDir
    static Path dir;

    private static WorkerProcess worker;
    private static int port;

    @BeforeAll
    static void runTheWorker() throws IOException {
        Path tally = dir.resolve("tally.properties");
        worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", "com.acme.worker.jobs.Job+#execute")
                .sampleWorker("--jobs", "200", "--threads", "4", "--tally", tally.toString(), "--hold-seconds", "60")
                .start();
        port = worker.agentPort();
        worker.awaitProperties(tally, 120); // the bounded run is over: every outcome has happened
    }

    @AfterAll
    static void stopTheWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void prometheusTextPassesPromtoolCheckMetrics() throws Exception {
        WorkerProcess.Response response = WorkerProcess.Http.request(port, "GET", "/metrics", Map.of());
        assertEquals(200, response.status, response.toString());
        assertTrue(response.contentType.startsWith("text/plain; version=0.0.4"), response.contentType);
        assertExercised(response.body);

        Promtool.Result result = Promtool.run(response.bytes, "check", "metrics");
        Set<String> findings = new TreeSet<>(result.lines());
        findings.removeAll(KNOWN_BINDER_FINDINGS);
        boolean onlyKnownFindings = result.exit == 0 || result.exit == 3 && findings.isEmpty();
        if (!onlyKnownFindings) {
            fail("promtool check metrics exited " + result.exit + ":\n" + result.output
                    + "\n(findings not on the known Micrometer-binder list: " + findings + ")\n--- exposition:\n"
                    + response.body);
        }
    }

    @Test
    void openMetricsPassesPromtoolsOpenMetricsParser() throws Exception {
        WorkerProcess.Response response = WorkerProcess.Http.request(port, "GET", "/metrics",
                Map.of("Accept", OPENMETRICS));
        assertEquals(200, response.status, response.toString());
        assertTrue(response.contentType.startsWith("application/openmetrics-text; version=1.0.0"), response.contentType);
        assertExercised(response.body);

        Path input = dir.resolve("openmetrics.txt");
        Path blocks = Files.createDirectories(dir.resolve("blocks"));
        Files.write(input, withTimestamps(response.body, System.currentTimeMillis() / 1000)
                .getBytes(StandardCharsets.UTF_8));
        Promtool.Result result = Promtool.run(new byte[0], "tsdb", "create-blocks-from", "openmetrics",
                input.toString(), blocks.toString());
        assertEquals(0, result.exit, "promtool's OpenMetrics parser rejected the scrape:\n" + result.output
                + "\n--- exposition:\n" + response.body);
    }

    /** The scrape holds what the checks are meant to see: task histograms, failures and timeouts. */
    private static void assertExercised(String body) {
        for (String needle : new String[] {"agentmon_task_duration_seconds_bucket{", "agentmon_task_failures_total{",
            "agentmon_task_timeouts_total{", "agentmon_tasks_active{", "agentmon_info{", "jvm_memory_used_bytes{"}) {
            assertTrue(body.contains(needle), "the scrape has " + needle + "\n" + body);
        }
    }

    /**
     * Appends {@code timestamp} (seconds) to every sample line, as the backfill parser requires;
     * nothing else changes. An exemplar ({@code # {...}}) stays after the timestamp's place.
     */
    static String withTimestamps(String exposition, long timestamp) {
        StringBuilder out = new StringBuilder();
        for (String line : exposition.split("\n", -1)) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int exemplar = line.indexOf(" # {");
                line = exemplar < 0 ? line + " " + timestamp
                        : line.substring(0, exemplar) + " " + timestamp + line.substring(exemplar);
            }
            out.append(line).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }
}

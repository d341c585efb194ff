package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.AppServerStyleWorker;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Application servers (WildFly and the like) choose their own java.util.logging LogManager and
 * MBeanServerBuilder from their main method, through system properties the JDK reads once, when
 * logging or the platform MBean server first initialises. An agent that touched either before
 * (its own logging, the JDK HTTP server's System.Logger, a Micrometer binder asking for the
 * platform MBean server) would leave the worker with the JDK's defaults.
 *
 * <p>To make that discriminating, the worker sets its properties only after the agent is fully
 * up and has served a scrape (which reads every Micrometer binder) and its readiness: the
 * fixture blocks on stdin until the test has done both.
 */
class WorkerOwnedLoggingAndJmxTest {

    private static final int JOBS = 700;
    private static final int FAILING = JOBS / 7; // every seventh job throws
    private static final String TASK = "AppServerStyleWorker.handle";

    /**
     * Each JDK, without and with tracing: the OpenTelemetry SDK inside the agent uses
     * java.util.logging, so with tracing configured it must still wait for the first export.
     */
    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path java : Jdks.all()) {
            cases.add(Arguments.of(java, false));
            cases.add(Arguments.of(java, true));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} tracing={1}")
    @MethodSource("cases")
    void workerInstallsItsOwnLogManagerAndMBeanServerAfterTheAgentIsUp(Path java, boolean tracing) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start();
                WorkerProcess worker = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", AppServerStyleWorker.class.getName() + "#handle")
                .property("otel.traces.exporter", tracing ? "otlp" : "none")
                .property("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
                .fixture(AppServerStyleWorker.class, Collections.emptyList(), String.valueOf(JOBS))
                .start()) {
            worker.waitFor(30, "the worker's 'waiting' line", () -> worker.stdout().startsWith("waiting\n"));
            int port = worker.agentPort();

            // Everything the agent does at its start and on a scrape happens now, before the worker sets up.
            Scrape first = WorkerProcess.Http.scrape(port);
            for (String metric : new String[] {"jvm_memory_used_bytes", "jvm_gc_live_data_size_bytes",
                    "jvm_threads_live_threads", "jvm_classes_loaded_classes", "jvm_info", "process_cpu_usage",
                    "process_uptime_seconds", "process_files_open_files", "disk_free_bytes", "agentmon_info"}) {
                assertFalse(first.find(metric).isEmpty(), metric + " in the first scrape (its binder was read)");
            }
            assertEquals(0, first.value("agentmon_task_duration_seconds_count", "task", TASK, "outcome", "success"),
                    "no job has run yet");
            WorkerProcess.Response openMetrics = WorkerProcess.Http.get(port, "/metrics",
                    "application/openmetrics-text; version=1.0.0");
            assertEquals(200, openMetrics.status);
            assertTrue(openMetrics.body.endsWith("# EOF\n"), "OpenMetrics exposition");
            WorkerProcess.Response ready = WorkerProcess.Http.get(port, "/health/ready", null);
            assertEquals(200, ready.status);
            assertTrue(ready.body.contains("\"status\":\"READY\"") && ready.body.contains("\"wovenMethods\":1,"), ready.body);
            assertEquals(404, WorkerProcess.Http.get(port, "/no-such-path", null).status);

            worker.writeLine("go");
            worker.waitFor(60, "the worker's 'done' line", () -> worker.stdout().contains("\ndone\n"));
            Map<String, String> out = keyValues(worker.stdout());

            String diagnosis = "\nstdout:\n" + worker.stdout() + "\nstderr:\n" + worker.stderr();
            // All of them, so that a failure shows which of the two subsystems was taken early (getting
            // the platform MBean server early takes both: it registers the java.util.logging MXBean).
            assertAll("the worker's own logging and JMX" + diagnosis,
                () -> assertEquals(AppServerStyleWorker.OwnLogManager.class.getName(), out.get("logmanager.class"),
                        "the worker's LogManager: the JDK's default means java.util.logging was initialised before"),
                () -> assertEquals("1", out.get("logmanager.own.constructed")),
                () -> assertEquals("1", out.get("mbeanserver.own.built"),
                        "servers built by the worker's MBeanServerBuilder: 0 means the platform MBean server existed before"),
                () -> assertEquals("true", out.get("mbeanserver.platform.is.own")),
                () -> assertEquals("true", out.get("mbeanserver.has.runtime.mxbean")));
            assertEquals(String.valueOf(JOBS - FAILING), out.get("jobs.succeeded"));
            assertEquals(String.valueOf(FAILING), out.get("jobs.failed"));

            // Every job ran before 'done': the counts are final and exact.
            Scrape after = WorkerProcess.Http.scrape(port);
            assertEquals(JOBS - FAILING, after.value("agentmon_task_duration_seconds_count",
                    "task", TASK, "outcome", "success"), "successful runs\n" + after.text());
            assertEquals(FAILING, after.value("agentmon_task_duration_seconds_count",
                    "task", TASK, "outcome", "failure"), "failed runs");
            assertEquals(FAILING, after.value("agentmon_task_failures_total",
                    "task", TASK, "exception", "IllegalStateException"), "failures by exception");
            assertEquals(FAILING, after.sum("agentmon_task_failures_total", "task", TASK));
            assertEquals(0, after.value("agentmon_tasks_active", "task", TASK));
            if (tracing) {
                assertEquals(JOBS, receiver.awaitSpans(JOBS, 30).size(), "a span per job, exported after the worker set up");
            } else {
                assertEquals(0, receiver.spans().size());
            }

            worker.writeLine("exit");
            assertEquals(0, worker.awaitExit(30), diagnosis);
            assertFalse(worker.stderr().contains("constructed before"), worker.stderr());
            assertFalse(worker.stderr().contains("Exception"), worker.stderr());
        }
    }

    private static Map<String, String> keyValues(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }
}

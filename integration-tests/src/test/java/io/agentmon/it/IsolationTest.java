package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.OwnLibrariesWorker;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.LibraryJars;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A worker that ships its own, older Micrometer (1.9) and Byte Buddy (1.12) runs under the agent
 * exactly as it runs without it: the agent's newer copies of both are relocated, so the worker's
 * classes resolve to the worker's jars, and its output does not change. The agent still times
 * the worker's task method, and counts it exactly.
 *
 * <p>The worker's classpath is only its libraries' jars (from the local Maven repository, paths
 * handed over by the build) and the fixture classes: nothing of the test's own classpath.
 */
class IsolationTest {

    private static final int JOBS = 1000;
    private static final String TASK = "OwnLibrariesWorker.process";

    /**
     * JDK 17 and Temurin 25. Byte Buddy 1.12.23 officially knows class files up to Java 20, but
     * the worker only generates a subclass from loaded types (it never parses a Java 25 class
     * file), which works on 25 without {@code net.bytebuddy.experimental}; so both JDKs run, and
     * the worker sees no flag that the test would have had to add for it.
     */
    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void workerKeepsItsOwnMicrometerAndByteBuddy(Path java) throws Exception {
        List<Path> classpath = Arrays.asList(
                LibraryJars.of("worker.micrometer.jar"), LibraryJars.of("worker.hdrhistogram.jar"), LibraryJars.of("worker.latencyutils.jar"),
                LibraryJars.of("worker.bytebuddy.jar"));

        String withoutAgent;
        try (WorkerProcess worker = WorkerProcess.builder(java).withoutAgent()
                .fixture(OwnLibrariesWorker.class, classpath, String.valueOf(JOBS))
                .start()) {
            worker.writeLine("exit"); // read once the worker has printed everything
            assertEquals(0, worker.awaitExit(60), "exit code without the agent\n" + worker.stderr());
            withoutAgent = worker.stdout();
        }

        try (WorkerProcess worker = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", OwnLibrariesWorker.class.getName() + "#process")
                .fixture(OwnLibrariesWorker.class, classpath, String.valueOf(JOBS))
                .start()) {
            int port = worker.agentPort();
            worker.waitFor(60, "the worker's 'done' line", () -> worker.stdout().contains("\ndone\n"));

            // Every job ran before 'done', so the counts are final: exact, no polling for them.
            Scrape scrape = WorkerProcess.Http.scrape(port);
            String[] success = {"task", TASK, "outcome", "success"};
            assertEquals(JOBS, scrape.value("agentmon_task_duration_seconds_count", success), "task runs\n" + scrape.text());
            assertEquals(JOBS, scrape.value("agentmon_task_duration_seconds_bucket",
                    "task", TASK, "outcome", "success", "le", "+Inf"), "+Inf bucket");
            assertEquals(0, scrape.value("agentmon_task_duration_seconds_count", "task", TASK, "outcome", "failure"));
            assertEquals(0, scrape.sum("agentmon_task_failures_total", "task", TASK));
            assertEquals(0, scrape.value("agentmon_tasks_active", "task", TASK));
            String ready = WorkerProcess.Http.get(port, "/health/ready", null).body;
            assertTrue(ready.contains("\"wovenMethods\":1,") && ready.contains("\"instrumentationErrors\":0"), ready);

            worker.writeLine("exit");
            assertEquals(0, worker.awaitExit(60), "exit code with the agent\n" + worker.stderr());
            String withAgent = worker.stdout();
            assertEquals(withoutAgent, withAgent, "the worker's output under the agent");
            assertFalse(worker.stderr().contains("Exception"), worker.stderr());
            assertFalse(worker.stderr().contains("agentmon: could not"), worker.stderr());
        }

        // Equal outputs prove nothing if both runs were broken: the output is the known one,
        Map<String, String> out = keyValues(withoutAgent);
        assertEquals(String.valueOf(JOBS), out.get("jobs.processed"));
        assertEquals(String.valueOf((long) (JOBS - 1) * JOBS * (2 * JOBS - 1) / 6), out.get("jobs.checksum"));
        assertEquals(JOBS + ".0", out.get("micrometer.counter"));
        assertEquals(String.valueOf(JOBS), out.get("micrometer.timer.count"));
        assertEquals("30000.0", out.get("micrometer.timer.total.ms"), "1000 runs of 10..50 ms, 30 ms on average");
        assertEquals("50.0", out.get("micrometer.timer.max.ms"));
        assertEquals("30", out.get("micrometer.timer.p0.5.ms"));
        assertEquals("generated hello", out.get("generated.greet"));
        assertEquals(OwnLibrariesWorker.Greeter.class.getName(), out.get("generated.superclass"));
        assertEquals("net.bytebuddy.dynamic.loading.ByteArrayClassLoader", out.get("generated.loader"));

        // ... and its library classes are its own: from its jars, in its versions, by its class loader.
        assertLoadedFrom(out, "micrometer", "io.micrometer.core.instrument.MeterRegistry",
                LibraryJars.of("worker.micrometer.jar"), System.getProperty("worker.micrometer.version"));
        assertLoadedFrom(out, "bytebuddy", "net.bytebuddy.ByteBuddy",
                LibraryJars.of("worker.bytebuddy.jar"), System.getProperty("worker.bytebuddy.version"));
        assertLoadedFrom(out, "hdrhistogram", "org.HdrHistogram.Histogram", LibraryJars.of("worker.hdrhistogram.jar"), null);

        // Under these libraries' names its class loader finds its own jars only (relocated
        // copies live under io.agentmon.shaded), and nothing of the libraries it does not ship.
        String micrometer = "[" + LibraryJars.of("worker.micrometer.jar").getFileName() + "]";
        String byteBuddy = "[" + LibraryJars.of("worker.bytebuddy.jar").getFileName() + "]";
        assertEquals(micrometer, out.get("resource.io/micrometer/core/instrument/MeterRegistry.class"));
        assertEquals(micrometer, out.get("resource.io/micrometer/core/instrument/binder/jvm/JvmMemoryMetrics.class"));
        assertEquals(micrometer, out.get("resource.META-INF/micrometer-core.properties"));
        assertEquals(byteBuddy, out.get("resource.net/bytebuddy/ByteBuddy.class"));
        assertEquals(byteBuddy, out.get("resource.net/bytebuddy/agent/builder/AgentBuilder.class"));
        assertEquals("[" + LibraryJars.of("worker.hdrhistogram.jar").getFileName() + "]", out.get("resource.org/HdrHistogram/Histogram.class"));
        int notShipped = 0;
        for (Map.Entry<String, String> entry : out.entrySet()) {
            if (entry.getKey().startsWith("visible.")) {
                assertEquals("false", entry.getValue(), entry.getKey());
                notShipped++;
            }
        }
        assertEquals(5, notShipped, "classes probed that the worker does not ship");
    }

    private static void assertLoadedFrom(Map<String, String> out, String library, String className, Path jar,
            String version) throws IOException {
        assertEquals(className, out.get(library + ".class"));
        assertEquals("system", out.get(library + ".loader"), library + " class loader");
        assertEquals(jar.toRealPath(), Paths.get(out.get(library + ".location")).toRealPath(), library + " jar");
        if (version != null) {
            assertEquals(version, out.get(library + ".version"), library + " version");
        }
    }

    private static Map<String, String> keyValues(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                String previous = values.put(line.substring(0, equals), line.substring(equals + 1));
                assertEquals(null, previous, "key printed twice: " + line);
            }
        }
        return values;
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.agents.BesideOtelWorker;
import io.agentmon.it.fixtures.agents.SupertypeReadingAgent;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.LibraryJars;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * agentmon beside the OpenTelemetry Java agent (from Maven Central), loaded before it and after
 * it: both start cleanly, agentmon weaves every JDK class of its fixed instrumentation although
 * the other agent changed them first (it adds an interface of its own to FutureTask,
 * CompletableFuture, ThreadPoolExecutor$Worker, ForkJoinWorkerThread), and its task, pool and
 * future-timeout figures equal the worker's own tally. Before, with the OTel agent first, those
 * four classes were left unwoven (10 of these 40 future timeouts counted: only ForkJoinTask was
 * woven) and /health/ready still said READY;
 * with agentmon first, CompletableFuture was (20 of 40).
 */
class OtherAgentsTest {

    private static final String WORKER = BesideOtelWorker.class.getName();

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path java : Jdks.all()) {
            String jdk = java.getParent().getParent().getFileName().toString();
            cases.add(Arguments.of(jdk, java, true));
            cases.add(Arguments.of(jdk, java, false));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} otel first: {2}")
    @MethodSource("cases")
    void bothAgentsWorkAndAgentmonsFiguresStayExact(String jdk, Path java, boolean otelFirst) throws Exception {
        String otel = "-javaagent:" + LibraryJars.of("otel.javaagent.jar").toAbsolutePath();
        String agentmon = "-javaagent:" + WorkerProcess.AGENT_JAR.toAbsolutePath();
        String stderr = runBeside(java, otelFirst ? otel : agentmon, otelFirst ? agentmon : otel, Map.of());
        assertTrue(stderr.contains("opentelemetry-javaagent - version: "), "the OTel agent started:\n" + stderr);
        assertFalse(stderr.contains(" ERROR "), "the OTel agent reports no error:\n" + stderr);
    }

    /**
     * The cause of the failure above that came once in six CI runs (2026-12-01), made certain: an
     * agent after agentmon whose transformer reads JDK class files when a URL protocol class loads.
     * When agentmon's own first read of a JDK class file (through a {@code jrt:} URL) came only
     * once that transformer was there, loading {@code JavaRuntimeURLConnection} ran it, its read
     * went through the same handler, and the {@link ClassCircularityError} this made is recorded by
     * the JVM for good: every later {@code jrt:} read failed. Byte Buddy then wove none of the
     * JDK's pools and futures; these are agentmon's own weaver's now, which reads no class file, so
     * the worker here also has an event on its main class: Byte Buddy weaves that class once both
     * agents are there, describing it from class files up to {@code java.lang.Object}'s. agentmon
     * reads one such class file in premain, before any later agent.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.agentmon.it.support.Jdks#all")
    void anAgentAfterAgentmonReadingClassFilesLeavesItsHooksWoven(Path java) throws Exception {
        Path jar = Files.createTempDirectory("reader").resolve("reader-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), SupertypeReadingAgent.class.getName());
        String agentClass = SupertypeReadingAgent.class.getName().replace('.', '/');
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (String entry : List.of(agentClass + ".class", agentClass + "$1.class")) { // the agent and its transformer
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(WorkerProcess.FIXTURE_CLASSES.resolve(entry)));
            }
        }
        // A timeout matcher by annotation, which only Byte Buddy decides: it reads the worker's main class, once both
        // agents are there. (Names, supertypes and plain events are agentmon's own weavers', which read no JDK class file.)
        String stderr = runBeside(java, "-javaagent:" + WorkerProcess.AGENT_JAR.toAbsolutePath(), "-javaagent:" + jar,
                Map.of("agentmon.timeouts", "@java.lang.Deprecated"));
        assertTrue(stderr.contains("reader agent: started"), stderr);
        assertFalse(stderr.contains("reader agent: java.lang"), "the reader agent's own reads work too:\n" + stderr);
    }

    /** Runs the worker under the two agents, in this order, and holds agentmon's figures to its tally; returns its stderr. */
    private static String runBeside(Path java, String firstAgent, String secondAgent, Map<String, String> more) throws Exception {
        Path tallyFile = Files.createTempDirectory("agents").resolve("tally.properties");
        WorkerProcess.Builder builder = WorkerProcess.builder(java)
                .withoutAgent()
                .jvmArg(firstAgent)
                .jvmArg(secondAgent)
                // The OTel agent runs in full but exports nowhere: no collector is needed.
                .property("otel.traces.exporter", "none")
                .property("otel.metrics.exporter", "none")
                .property("otel.logs.exporter", "none")
                .onLoopback()
                .property("agentmon.tasks", WORKER + "#task")
                .fixture(BesideOtelWorker.class, Collections.emptyList(), tallyFile.toString());
        more.forEach(builder::property);
        try (WorkerProcess worker = builder.start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 120);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            String stderr = worker.stderr();
            String ready = WorkerProcess.Http.get(port, "/health/ready", null).body;
            // Said with every failure below: what agentmon reported, and what it counted.
            String seen = "\n/health/ready: " + ready + "\nagentmon on stderr:\n" + agentmonLines(stderr)
                    + "\nscraped: " + scrape.find("agentmon_task_timeouts_total") + scrape.find("agentmon_executor_completed_tasks_total");

            long timeouts = count(tally, "futureTask") + count(tally, "completable") + count(tally, "forkJoinTask")
                    + count(tally, "orTimeout");
            assertEquals(40, timeouts, "the worker's own tally: " + tally);
            assertEquals(timeouts, scrape.sum("agentmon_task_timeouts_total", "reason", "future"),
                    "every timed-out get() and orTimeout" + seen);
            assertEquals(count(tally, "runs"), scrape.sum("agentmon_task_duration_seconds_count", "task", "BesideOtelWorker.task"), seen);
            assertEquals(count(tally, "runs"), 60);
            // The fixture's own pool ran its tasks and the ten that waited to time out.
            assertEquals(40, scrape.value("agentmon_executor_completed_tasks_total", "pool", "beside"), seen);
            assertFalse(stderr.contains("could not weave"), stderr);
            assertFalse(stderr.contains("could not instrument"), stderr);

            assertTrue(ready.contains("\"status\":\"READY\""), ready);
            assertTrue(ready.contains("\"lostHooks\":[]"), ready);
            assertTrue(ready.contains("\"instrumentationErrors\":0"), ready);
            return stderr;
        }
    }

    private static String agentmonLines(String stderr) {
        StringBuilder lines = new StringBuilder();
        for (String line : stderr.split("\n")) {
            if (line.startsWith("agentmon")) {
                lines.append(line).append('\n');
            }
        }
        return lines.toString();
    }

    private static long count(Properties tally, String key) {
        return Long.parseLong(tally.getProperty(key, "0"));
    }
}

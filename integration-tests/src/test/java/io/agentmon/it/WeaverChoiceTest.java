package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.weaver.NamedTaskFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which weaver takes a task, seen in a real JVM: a worker whose tasks are named {@code Class#method}
 * or {@code Type+#method} has them woven by agentmon's own weaver (for the second, with the
 * supertypes read from class files), and its main thread never builds Byte Buddy (that building
 * is most of what the agent used to add to a short worker's start); an {@code @Annotation}
 * matcher is still Byte Buddy's, so there the main thread does build it. Either way the counts
 * equal the worker's own. Every case runs on both JDKs; the JVM's class-load log, with thread
 * ids, says which thread loaded what.
 */
class WeaverChoiceTest {

    private static final String FIXTURE = NamedTaskFixture.class.getName();
    /** Loaded only when Byte Buddy's transformer is built. */
    static final String BYTE_BUDDY_BUILT = "io.agentmon.shaded.bytebuddy.agent.builder.AgentBuilder$Default";
    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)\\] (\\S+) ");

    static List<Path> jdks() {
        return Jdks.all();
    }

    /**
     * On both JDKs. Until 2026-12-02 this held on JDK 17 only: on JDK 25 the configuration's
     * durations and the histogram bounds used BigDecimal in premain, whose first use loads
     * {@code ForkJoinTask} (BigInteger's parallel multiply) and {@code ForkJoinPool}; those are
     * hooked, so the install retransformed them and built Byte Buddy inside premain.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void namedTasksAreWovenByAgentmonsWeaverWithoutByteBuddyOnTheMainThread(Path java) throws Exception {
        List<String> mainThread = run(java, FIXTURE + "#work", "NamedTaskFixture.work");
        assertTrue(mainThread.contains(FIXTURE), "the fixture's main class loaded on the thread examined");
        assertFalse(mainThread.contains(BYTE_BUDDY_BUILT), "Byte Buddy was built on the main thread");
        assertFalse(mainThread.contains("java.math.BigInteger"), "BigInteger loaded on the main thread");
    }

    /** Job+#run: the Doubler two levels below Job is timed, its supertypes read from class files. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void supertypeTasksAreWovenByAgentmonsWeaverToo(Path java) throws Exception {
        List<String> mainThread = run(java, FIXTURE + "#work," + FIXTURE + "$Job+#run", "NamedTaskFixture.work");
        assertTrue(mainThread.contains(FIXTURE + "$Doubler"), "the job's class loaded on the thread examined");
        assertFalse(mainThread.contains(BYTE_BUDDY_BUILT), "Byte Buddy was built on the main thread");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anAnnotationMatcherHasTheMainThreadBuildByteBuddy(Path java) throws Exception {
        // The control: if this failed to see Byte Buddy built, the tests above could pass with the gate gone.
        List<String> mainThread = run(java, FIXTURE + "#work," + FIXTURE + "$Job+#run,@com.acme.Monitored", "NamedTaskFixture.work");
        assertTrue(mainThread.contains(BYTE_BUDDY_BUILT), "Byte Buddy not built on the main thread");
    }

    /** Runs the fixture, checks its counts against the scrape, and returns the classes its main thread loaded, in order. */
    private static List<String> run(Path java, String tasks, String label) throws Exception {
        Path dir = Files.createTempDirectory("weaver");
        Path tallyFile = dir.resolve("tally.properties");
        Path classLog = dir.resolve("classes.log");
        try (WorkerProcess worker = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", tasks)
                .property("agentmon.frameworks", "none")
                .jvmArg("-Xlog:class+load:file=" + classLog + ":tid")
                .fixture(NamedTaskFixture.class, Collections.emptyList(), tallyFile.toString())
                .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 60);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            assertEquals(21, Long.parseLong(tally.getProperty("success")), "the fixture's own tally");
            assertEquals(10, Long.parseLong(tally.getProperty("failure")), "the fixture's own tally");
            assertEquals(21.0, scrape.value("agentmon_task_duration_seconds_count", "task", label, "outcome", "success"));
            assertEquals(10.0, scrape.value("agentmon_task_duration_seconds_count", "task", label, "outcome", "failure"));
            if (tasks.contains("$Job+#run")) {
                assertEquals(7, Long.parseLong(tally.getProperty("jobs")), "the fixture's own tally");
                assertEquals(7.0, scrape.value("agentmon_task_duration_seconds_count",
                        "task", "NamedTaskFixture$Doubler.run", "outcome", "success"));
            }
            return mainThreadClasses(Files.readAllLines(classLog));
        }
    }

    /** The classes loaded by the thread that loaded the fixture's main class. */
    private static List<String> mainThreadClasses(List<String> log) {
        String mainThread = null;
        for (String line : log) {
            Matcher m = LINE.matcher(line);
            if (m.find() && m.group(2).equals(FIXTURE)) {
                mainThread = m.group(1);
            }
        }
        assertNotNull(mainThread, "the fixture's main class is not in the class-load log");
        List<String> classes = new ArrayList<>();
        for (String line : log) {
            Matcher m = LINE.matcher(line);
            if (m.find() && m.group(1).equals(mainThread)) {
                classes.add(m.group(2));
            }
        }
        return classes;
    }
}

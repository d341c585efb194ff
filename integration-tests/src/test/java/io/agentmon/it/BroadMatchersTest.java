package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.broad.BroadMatcherWorker;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No matcher, however broad, may hang or stall the worker: each one from issue 9, in a JVM of
 * its own, and the worker's {@code main} must run to its end and exit 0 within a bound. One
 * that can only reach the JDK is refused with one line naming it (the worker runs on
 * unmonitored); one that reaches the JDK and the worker is narrowed to the worker, with one
 * line naming it, and the worker's own task is still counted exactly.
 */
class BroadMatchersTest {

    private static final String WORKER = BroadMatcherWorker.class.getName();
    private static final String WORK = WORKER + "#work";
    private static final String WORK_LABEL = "BroadMatcherWorker.work";
    /** A bound on a JVM's whole life that a hang cannot meet: these take a few seconds. */
    private static final int MAIN_SECONDS = 60;
    private static final int RUNS = 40;

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path java : Jdks.all()) {
            String jdk = java.getParent().getParent().getFileName().toString();
            for (String tasks : new String[] {"*#*", "*+#*"}) {
                cases.add(Arguments.of(jdk, java, "agentmon.tasks", tasks, false));
            }
            for (String tasks : new String[] {"java.*#*", "java.util.concurrent.*#*", "java.util.concurrent.atomic.*#*",
                    "java.lang.invoke.*#*", "java.lang.Thread#*"}) {
                cases.add(Arguments.of(jdk, java, "agentmon.tasks", tasks, true));
            }
            // The other matcher lists go through the same weaving: broad ones beside an exact task.
            for (String key : new String[] {"agentmon.timeouts", "agentmon.docker", "agentmon.docker.release", "agentmon.events.all"}) {
                cases.add(Arguments.of(jdk, java, key, "*#*", false));
            }
            cases.add(Arguments.of(jdk, java, "agentmon.timeouts", "java.util.concurrent.*#*", true));
        }
        // -Dbroad.matchers=REGEX keeps the cases whose "jdk key=matcher" it finds, e.g. to show
        // an older agent.jar (-Dagentmon.jar=...) hanging without waiting for every case.
        String only = System.getProperty("broad.matchers");
        if (only != null) {
            java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(only);
            cases.removeIf(c -> !pattern.matcher(c.get()[0] + " " + c.get()[2] + "=" + c.get()[3]).find());
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {2}={3}")
    @MethodSource("cases")
    void mainRunsToItsEnd(String jdk, Path java, String key, String matcher, boolean refused) throws Exception {
        WorkerProcess.Builder builder = WorkerProcess.builder(java)
                .onLoopback()
                .property(key, matcher);
        if (!key.equals("agentmon.tasks")) {
            builder.property("agentmon.tasks", WORK);
        }
        if (key.equals("agentmon.docker")) {
            builder.property("agentmon.docker.release", "*#*"); // allocations and releases at once: keys' equals run in probes
        }
        long start = System.nanoTime();
        try (WorkerProcess worker = builder.fixture(BroadMatcherWorker.class, Collections.emptyList()).start()) {
            worker.waitFor(MAIN_SECONDS, "main's 'done' line", () -> worker.stdout().contains("done "));
            long mainMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(worker.stdout().contains("done " + RUNS + " distinct 4"), worker.stdout());
            List<String> lines = agentLines(worker.stderr());
            if (refused) {
                assertEquals(1, lines.size(), "one line, and no start-up line: " + lines);
                String line = lines.get(0);
                assertTrue(line.contains("configuration error: " + key + "='" + matcher + "'"), line);
                assertTrue(line.contains("can only match java.* classes, which are never woven"), line);
            } else {
                int port = worker.agentPort();
                List<String> narrowed = new ArrayList<>(agentLines(worker.stderr()));
                narrowed.removeIf(line -> !line.contains("only the worker's own classes it matches are"));
                List<String> keys = new ArrayList<>(Collections.singletonList(key));
                if (key.equals("agentmon.docker")) {
                    keys.add("agentmon.docker.release");
                }
                assertEquals(keys.size(), narrowed.size(), "one line per broad matcher: " + narrowed);
                for (int i = 0; i < keys.size(); i++) {
                    assertTrue(narrowed.get(i).startsWith("agentmon: " + keys.get(i) + "='" + matcher + "'"), narrowed.get(i));
                }
                assertFalse(worker.stderr().contains("could not instrument"), worker.stderr());
                Scrape scrape = WorkerProcess.Http.scrape(port);
                assertEquals(RUNS, scrape.sum("agentmon_task_duration_seconds_count", "task", WORK_LABEL),
                        "every run of the worker's own task, once: " + scrape.find("agentmon_task_duration_seconds_count"));
                assertEquals(0, scrape.sum("agentmon_task_duration_seconds_count", "outcome", "failure"),
                        "no woven method fails for being woven");
                String ready = WorkerProcess.Http.get(port, "/health/ready", null).body;
                assertTrue(ready.contains("\"instrumentationErrors\":0"), ready);
            }
            worker.writeLine("exit");
            assertEquals(0, worker.awaitExit(MAIN_SECONDS));
            System.out.printf("BroadMatchersTest %s %s=%s: main done after %d ms, exited after %d ms%n", jdk, key, matcher,
                    mainMillis, (System.nanoTime() - start) / 1_000_000);
            assertFalse(worker.stderr().contains("StackOverflowError"), worker.stderr());
        }
    }

    private static List<String> agentLines(String stderr) {
        List<String> lines = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (line.startsWith("agentmon: ")) {
                lines.add(line);
            }
        }
        return lines;
    }
}

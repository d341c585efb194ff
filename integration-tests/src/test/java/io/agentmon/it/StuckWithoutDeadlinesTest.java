package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.stuck.StuckFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
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
 * Stuck work on a worker nobody gave deadlines: the age of the oldest run in flight always has a
 * series and lies within the fixture's own measurement of that run, and a run in flight longer
 * than {@code agentmon.task.stuck.after} is stuck unless its task's own deadline says otherwise.
 */
class StuckWithoutDeadlinesTest {

    private static final String FIXTURE = StuckFixture.class.getName();
    private static final String T = "StuckFixture.";
    private static final String OLDEST = "agentmon_task_oldest_inflight_seconds";
    private static final String STUCK = "agentmon_tasks_stuck";
    private static final Pattern AGE_LINE = Pattern.compile("(?m)^age (\\d+) (\\d+)\\r?\\n");

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theOldestRunAgesAndIsStuckAfterTheDefaultTimeWithNoDeadline(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("stuck").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", FIXTURE + "#block," + FIXTURE + "#hold," + FIXTURE + "#quick")
                .property("agentmon.task.stuck.after", "1s")
                .property("agentmon.task.deadline." + T + "hold", "1h")
                .fixture(StuckFixture.class, Collections.emptyList(), tallyFile.toString())
                .start()) {
            int port = fixture.agentPort();
            fixture.waitFor(30, "the fixture's 'blocked' line", () -> fixture.stdout().contains("blocked"));

            // The agent's clock starts between the fixture's two readings, so its age at the scrape
            // is at least the inner age read before it and at most the outer age read after it.
            double previous = -1;
            for (int i = 0; i < 3; i++) {
                long[] before = age(fixture);
                Scrape scrape = WorkerProcess.Http.scrape(port);
                long[] after = age(fixture);
                double oldest = scrape.value(OLDEST, "task", T + "block");
                assertTrue(oldest >= before[0] / 1e9, "agent " + oldest + " s < fixture's inner " + before[0] / 1e9 + " s");
                assertTrue(oldest <= after[1] / 1e9, "agent " + oldest + " s > fixture's outer " + after[1] / 1e9 + " s");
                assertTrue(oldest > previous, "the oldest run's age grows: " + oldest + " after " + previous);
                previous = oldest;
                assertEquals(2, scrape.value("agentmon_tasks_active", "task", T + "block"));
                assertEquals(0, scrape.value(OLDEST, "task", T + "quick"), "a task with none in flight has 0, not no data");
                assertEquals(0, scrape.value(STUCK, "task", T + "quick"), "a task with no deadline has a stuck series");
                double stuck = scrape.value(STUCK, "task", T + "block");
                if (after[1] < 1_000_000_000L) {
                    assertEquals(0, stuck, "no run had been in flight for 1 s yet");
                }
                WorkerProcess.Http.pause(200);
            }

            // Past agentmon.task.stuck.after (1 s): both runs of block() are stuck; hold()'s own
            // one-hour deadline replaces the default, so it is not.
            fixture.waitFor(30, "both runs of block() stuck", () -> value(port, STUCK, T + "block") == 2);
            fixture.waitFor(30, "hold() in flight for over 1 s", () -> value(port, OLDEST, T + "hold") > 1.0);
            Scrape stuck = WorkerProcess.Http.scrape(port);
            assertEquals(2, stuck.value(STUCK, "task", T + "block"));
            assertEquals(0, stuck.value(STUCK, "task", T + "hold"), "its deadline is an hour");
            assertTrue(stuck.value(OLDEST, "task", T + "block") > 1.0);
            String tasks = WorkerProcess.Http.get(port, "/tasks", null).body;
            assertEquals(2, occurrences(tasks, "\"stuck\":true"), tasks);
            assertEquals(1, occurrences(tasks, "\"stuck\":false"), tasks);

            fixture.writeLine("release");
            Properties tally = fixture.awaitProperties(tallyFile, 60);
            Scrape done = WorkerProcess.Http.scrape(port);
            for (String task : new String[] {"block", "hold", "quick"}) {
                assertEquals(0, done.value(OLDEST, "task", T + task), task + ": none in flight");
                assertEquals(0, done.value(STUCK, "task", T + task), task + ": none stuck");
                assertEquals(Long.parseLong(tally.getProperty(task)),
                        done.value("agentmon_task_duration_seconds_count", "task", T + task, "outcome", "success"), task);
            }
            assertEquals(2, Long.parseLong(tally.getProperty("block")));
        }
    }

    /** Asks the fixture for the oldest run's ages: {inner, outer} in nanoseconds. */
    private static long[] age(WorkerProcess fixture) throws IOException {
        int answered = answers(fixture.stdout()).size();
        fixture.writeLine("age");
        fixture.waitFor(30, "the fixture's age line", () -> answers(fixture.stdout()).size() > answered);
        List<long[]> all = answers(fixture.stdout());
        return all.get(all.size() - 1);
    }

    /** The fixture's complete age lines so far. */
    private static List<long[]> answers(String stdout) {
        List<long[]> ages = new ArrayList<>();
        Matcher line = AGE_LINE.matcher(stdout);
        while (line.find()) {
            ages.add(new long[] {Long.parseLong(line.group(1)), Long.parseLong(line.group(2))});
        }
        return ages;
    }

    private static double value(int port, String metric, String task) {
        try {
            return WorkerProcess.Http.scrape(port).valueOrZero(metric, "task", task);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}

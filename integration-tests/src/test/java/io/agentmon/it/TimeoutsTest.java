package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.timeouts.TimeoutsFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every timeout source against a fixture that counts its own: deadlines (global and per task),
 * stuck runs and {@code /tasks}, the worker's own handler, the JDK's timed futures and
 * {@code orTimeout}. Durations sit far from the deadlines, so every count is exact.
 */
class TimeoutsTest {

    private static final String FIXTURE = "io.agentmon.it.fixtures.timeouts.TimeoutsFixture";
    private static final String T = "TimeoutsFixture.";

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyTimeoutSourceIsCountedForTheRightTask(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("timeouts").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", FIXTURE + "#hang," + FIXTURE + "#quick," + FIXTURE + "#slow,"
                        + FIXTURE + "#poll," + FIXTURE + "#busy," + FIXTURE + "#waitFor*Future*," + FIXTURE + "#waitForForkJoinTask,"
                        + FIXTURE + "#rethrowsGetTimeout," + FIXTURE + "#retriesThenSucceeds," + FIXTURE + "#throwsOwnTimeout")
                .property("agentmon.timeouts", FIXTURE + "#onTimeout")
                .property("agentmon.task.deadline", "100ms")
                .property("agentmon.task.deadline." + T + "slow", "10s")
                .property("agentmon.tasks.stacks", "true")
                .jvmArg("-XX:+UnlockDiagnosticVMOptions").jvmArg("-XX:+BytecodeVerificationLocal") // the JDK's futures, as woven, pass the verifier
                .fixture(TimeoutsFixture.class, Collections.emptyList(), tallyFile.toString())
                .start()) {
            int port = fixture.agentPort();
            fixture.waitFor(30, "the fixture's 'hanging' line", () -> fixture.stdout().contains("hanging"));

            // Two runs of hang() block: once past their 100 ms deadline they are stuck.
            fixture.waitFor(30, "two stuck runs of hang()", () -> stuck(port) == 2);
            Scrape during = WorkerProcess.Http.scrape(port);
            assertEquals(2, during.value("agentmon_tasks_active", "task", T + "hang"));
            String tasks = WorkerProcess.Http.get(port, "/tasks", null).body;
            assertEquals(2, occurrences(tasks, "\"task\":\"" + T + "hang\""), tasks);
            assertEquals(2, occurrences(tasks, "\"stuck\":true"), tasks);
            assertEquals(2, occurrences(tasks, "\"thread\":\"hanger\""), tasks);
            assertTrue(tasks.contains("CountDownLatch.await"), "stacks show where the runs wait: " + tasks);
            assertTrue(tasks.contains("\"deadlineSeconds\":0.100000"), tasks);

            fixture.writeLine("release");
            Properties tally = fixture.awaitProperties(tallyFile, 60);
            Scrape scrape = WorkerProcess.Http.scrape(port);

            assertEquals(0, scrape.value("agentmon_tasks_stuck", "task", T + "hang"), "released runs are no longer stuck");
            assertEquals(0, scrape.value("agentmon_tasks_active", "task", T + "hang"));
            assertEquals(count(tally, "hang"), deadline(scrape, "hang"), "both hung runs finished after their deadline");
            assertEquals(count(tally, "hang"), 2);
            assertEquals(0, deadline(scrape, "quick"), "1 ms runs meet a 100 ms deadline");
            assertEquals(0, deadline(scrape, "slow"), "300 ms runs meet their own 10 s deadline");
            assertEquals(3, count(tally, "slow"));

            assertEquals(count(tally, "poll"), timeouts(scrape, T + "poll", "handler"), "handler calls inside poll()");
            assertEquals(count(tally, "handler.outside"), timeouts(scrape, T + "onTimeout", "handler"),
                    "a handler call outside any task counts under the handler's own label");

            assertEquals(count(tally, "waitForFutureTask.timedOut"), timeouts(scrape, T + "waitForFutureTask", "future"));
            assertEquals(count(tally, "waitForCompletableFuture.timedOut"),
                    timeouts(scrape, T + "waitForCompletableFuture", "future"));
            assertEquals(count(tally, "waitForForkJoinTask.timedOut"), timeouts(scrape, T + "waitForForkJoinTask", "future"));
            assertEquals(count(tally, "waitForBusyTask.timedOut"), timeouts(scrape, T + "busy", "future"),
                    "a timed-out get() is blamed on the task its runner is running");
            assertEquals(count(tally, "orTimeout"), timeouts(scrape, "unknown", "future"),
                    "orTimeout fires on the JDK's delayer thread, where no task runs");
            assertEquals(2, count(tally, "waitForBusyTask.timedOut"));

            // A timeout is counted once: a timed-out get passed on as the run's exception is the
            // future's timeout, not also an exception one; the outcome is still timeout.
            assertEquals(3, count(tally, "rethrowsGetTimeout.thrown"));
            assertEquals(count(tally, "rethrowsGetTimeout.timedOut"), timeouts(scrape, T + "rethrowsGetTimeout", "future"));
            assertEquals(0, timeouts(scrape, T + "rethrowsGetTimeout", "exception"), "the rethrown get timeout again");
            assertEquals(3, outcome(scrape, "rethrowsGetTimeout", "timeout"));
            // Three timed-out waits, then success: three timeouts, a successful run.
            assertEquals(6, count(tally, "retriesThenSucceeds.timedOut"));
            assertEquals(6, timeouts(scrape, T + "retriesThenSucceeds", "future"));
            assertEquals(0, timeouts(scrape, T + "retriesThenSucceeds", "exception"));
            assertEquals(count(tally, "retriesThenSucceeds.succeeded"), outcome(scrape, "retriesThenSucceeds", "success"));
            // A TimeoutException of the task's own, with no wait behind it, is the exception reason.
            assertEquals(count(tally, "throwsOwnTimeout.thrown"), timeouts(scrape, T + "throwsOwnTimeout", "exception"));
            assertEquals(0, timeouts(scrape, T + "throwsOwnTimeout", "future"));
            assertEquals(2, outcome(scrape, "throwsOwnTimeout", "timeout"));
            assertEquals(1, count(tally, "orTimeout"));
        }
    }

    private static double stuck(int port) {
        try {
            return WorkerProcess.Http.scrape(port).valueOrZero("agentmon_tasks_stuck", "task", T + "hang");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static double outcome(Scrape scrape, String method, String outcome) {
        return scrape.value("agentmon_task_duration_seconds_count", "task", T + method, "outcome", outcome);
    }

    private static double deadline(Scrape scrape, String method) {
        return timeouts(scrape, T + method, "deadline");
    }

    private static double timeouts(Scrape scrape, String task, String reason) {
        return scrape.value("agentmon_task_timeouts_total", "task", task, "reason", reason);
    }

    private static long count(Properties tally, String key) {
        return Long.parseLong(tally.getProperty(key, "0"));
    }

    private static int occurrences(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.executors.ExecutorsFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker's thread pools, with no configuration but a name override: a saturated pool's
 * depth, threads (core, maximum, busy, idle), queue room and rejections exactly, its queue waits
 * within the fixture's own measurement and its run times around it, a ForkJoinPool's busy
 * threads and parallelism, and a dropped pool that is collected and disappears. The JDK's pool
 * classes are woven by agentmon's own weaver: the JVM verifies them as it would any class
 * ({@code -XX:+BytecodeVerificationLocal}, a diagnostic flag: the JDK's own classes are not
 * verified by default), and no thread ever builds Byte Buddy.
 */
class ExecutorsTest {

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void poolsReportExactlyWhatTheyHold(Path java) throws Exception {
        Path dir = Files.createTempDirectory("executors");
        Path tallyFile = dir.resolve("tally.properties");
        Path classLog = dir.resolve("classes.log");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.executor.name.ingest", "ingestion")
                .jvmArg("-XX:+UnlockDiagnosticVMOptions").jvmArg("-XX:+BytecodeVerificationLocal")
                .jvmArg("-Xlog:class+load:file=" + classLog)
                .fixture(ExecutorsFixture.class, Collections.emptyList(), tallyFile.toString())
                .start()) {
            int port = fixture.agentPort();
            fixture.waitFor(30, "'saturated'", () -> fixture.stdout().contains("saturated"));

            Scrape saturated = WorkerProcess.Http.scrape(port);
            assertEquals(3, saturated.value("agentmon_executor_queued_tasks", "pool", "ingestion"));
            assertEquals(2, saturated.value("agentmon_executor_active_threads", "pool", "ingestion"));
            assertEquals(2, saturated.value("agentmon_executor_pool_threads", "pool", "ingestion"));
            assertEquals(2, saturated.value("agentmon_executor_rejected_tasks_total", "pool", "ingestion"));
            assertEquals(0, saturated.value("agentmon_executor_completed_tasks_total", "pool", "ingestion"));
            assertEquals(2, saturated.value("agentmon_executor_queue_wait_seconds_count", "pool", "ingestion"),
                    "the two tasks that started at once have their (near zero) wait recorded");
            // "Queue full and every thread busy", in one look.
            assertEquals(0, saturated.value("agentmon_executor_queue_remaining_tasks", "pool", "ingestion"));
            assertEquals(0, saturated.value("agentmon_executor_idle_threads", "pool", "ingestion"));
            assertEquals(1, saturated.value("agentmon_executor_core_threads", "pool", "ingestion"));
            assertEquals(2, saturated.value("agentmon_executor_max_threads", "pool", "ingestion"));
            assertEquals(0, saturated.value("agentmon_executor_run_seconds_count", "pool", "ingestion"),
                    "no task has finished yet");
            assertEquals(2, saturated.value("agentmon_executor_active_threads", "pool", "crunch"));
            assertEquals(0, saturated.value("agentmon_executor_idle_threads", "pool", "crunch"));
            assertEquals(2, saturated.value("agentmon_executor_parallelism_threads", "pool", "crunch"));
            assertEquals(0, saturated.value("agentmon_executor_queued_tasks", "pool", "ticker"),
                    "a periodic task not yet due is not waiting for a thread");
            assertEquals(1, saturated.value("agentmon_executor_scheduled_tasks", "pool", "ticker"));
            assertTrue(saturated.find("agentmon_executor_scheduled_tasks", "pool", "ingestion").isEmpty(),
                    "scheduled tasks only for scheduled pools");
            assertTrue(saturated.find("agentmon_executor_max_threads", "pool", "crunch").isEmpty(),
                    "a ForkJoinPool has no maximum to report");
            assertEquals(2, saturated.value("agentmon_executor_pool_threads", "pool", "crunch"));
            assertTrue(saturated.find("agentmon_executor_queued_tasks", "pool", "ingest").isEmpty(), "renamed, not doubled");
            assertTrue(saturated.find("agentmon_executor_pool_threads", "pool", "ForkJoinPool.commonPool").isEmpty(),
                    "the common pool exists (ForkJoinPool is loaded) but has run nothing: it is not reported yet");

            fixture.writeLine("go");
            Properties tally = fixture.awaitProperties(tallyFile, 60);
            Scrape done = WorkerProcess.Http.scrape(port);
            long accepted = Long.parseLong(tally.getProperty("ingest.accepted"));
            assertEquals(5, accepted);
            assertEquals(Long.parseLong(tally.getProperty("ingest.rejected")),
                    done.value("agentmon_executor_rejected_tasks_total", "pool", "ingestion"));
            assertEquals(accepted, done.value("agentmon_executor_completed_tasks_total", "pool", "ingestion"));
            assertEquals(accepted, done.value("agentmon_executor_queue_wait_seconds_count", "pool", "ingestion"));
            assertEquals(0, done.value("agentmon_executor_queued_tasks", "pool", "ingestion"));
            assertEquals(0, done.value("agentmon_executor_active_threads", "pool", "ingestion"));
            assertEquals(0, done.value("agentmon_executor_active_threads", "pool", "crunch"));
            assertTrue(done.value("agentmon_executor_pool_threads", "pool", "ForkJoinPool.commonPool") >= 1,
                    "the common pool is reported from its first task on");
            assertEquals(Long.parseLong(tally.getProperty("common.parallelism")),
                    done.value("agentmon_executor_parallelism_threads", "pool", "ForkJoinPool.commonPool"));
            assertEquals(Long.parseLong(tally.getProperty("ingest.capacity")),
                    done.value("agentmon_executor_queue_remaining_tasks", "pool", "ingestion"));
            assertEquals(3, Long.parseLong(tally.getProperty("ingest.capacity")));
            assertEquals(Long.parseLong(tally.getProperty("ingest.core")), done.value("agentmon_executor_core_threads", "pool", "ingestion"));
            assertEquals(Long.parseLong(tally.getProperty("ingest.max")), done.value("agentmon_executor_max_threads", "pool", "ingestion"));
            assertEquals(done.value("agentmon_executor_pool_threads", "pool", "ingestion"),
                    done.value("agentmon_executor_idle_threads", "pool", "ingestion"), "every thread idle");

            // A task's run time is recorded when its thread next looks at the queue, which follows
            // the task's own end: wait (bounded) for the two threads to get there.
            long finished = Long.parseLong(tally.getProperty("ingest.finished"));
            assertEquals(accepted, finished);
            Scrape ran = done;
            for (int i = 0; i < 100 && ran.value("agentmon_executor_run_seconds_count", "pool", "ingestion") < finished; i++) {
                Thread.sleep(50);
                ran = WorkerProcess.Http.scrape(port);
            }
            assertEquals(finished, ran.value("agentmon_executor_run_seconds_count", "pool", "ingestion"));
            // The fixture timed each run from its first line to its last: ours (from the pool
            // thread taking the task to its next look at the queue) lies around it.
            double agentRun = ran.value("agentmon_executor_run_seconds_sum", "pool", "ingestion");
            double fixtureRun = Long.parseLong(tally.getProperty("ingest.runNanos")) / 1e9;
            assertTrue(agentRun >= fixtureRun, "agent " + agentRun + "s < fixture " + fixtureRun + "s");
            assertTrue(agentRun <= fixtureRun + finished * 0.050, "agent " + agentRun + "s >> fixture " + fixtureRun + "s");

            // The fixture timed each wait from before submit() to inside the task: ours lies within.
            double agentWait = done.value("agentmon_executor_queue_wait_seconds_sum", "pool", "ingestion");
            double fixtureWait = Long.parseLong(tally.getProperty("ingest.waitNanos")) / 1e9;
            assertTrue(agentWait <= fixtureWait, "agent " + agentWait + "s > fixture " + fixtureWait + "s");
            assertTrue(agentWait >= fixtureWait - accepted * 0.010, "agent " + agentWait + "s << fixture " + fixtureWait + "s");
            assertTrue(fixtureWait > 0.01, "the queued tasks really waited for the release");

            assertEquals("true", tally.getProperty("scratch.collected"), "the agent does not keep a dropped pool alive");
            assertTrue(done.find("agentmon_executor_pool_threads", "pool", "scratch").isEmpty(),
                    "a collected pool's series are gone");
            assertTrue(done.find("agentmon_executor_pool_threads", "pool", "agentmon-http").isEmpty(),
                    "the agent's own pool is not reported");
            String classes = Files.readString(classLog);
            assertTrue(classes.contains("java.util.concurrent.ThreadPoolExecutor "), "the class-load log is read");
            assertFalse(classes.contains(WeaverChoiceTest.BYTE_BUDDY_BUILT), "Byte Buddy was built for the JDK's pools");
        }
    }
}

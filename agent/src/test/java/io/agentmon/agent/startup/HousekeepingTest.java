package io.agentmon.agent.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.bootstrap.ContainerProbes;
import io.agentmon.bootstrap.Containers;
import io.agentmon.bootstrap.ExecutorProbes;
import io.agentmon.bootstrap.ExecutorRecorder;
import io.agentmon.bootstrap.ExecutorRegistry;
import io.agentmon.bootstrap.QueueWaits;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The housekeeping step over the bootstrap's tables, with no scrape and no reader anywhere: what
 * it frees it frees on its own, and nothing younger than its ages. No assertion here depends on
 * how fast the machine is: each sweep either keeps everything (ages of a day) or frees
 * everything older than a nanosecond after a pause.
 */
class HousekeepingTest {

    private static final long DAY = TimeUnit.DAYS.toNanos(1);
    private static final Housekeeping KEEPS_EVERYTHING = new Housekeeping(DAY, DAY, DAY);
    private static final Housekeeping FREES_EVERYTHING_OLD = new Housekeeping(1, 1, 1);

    @Test
    void aQueueWaitNobodyScrapesIsSweptByHousekeepingAlone() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            ExecutorProbes.created(pool);
            ExecutorRecorder recorder = ExecutorRegistry.find(pool);
            Runnable kept = () -> { };
            Runnable lost = () -> { };
            long dropped = QueueWaits.dropped();

            ExecutorProbes.submitted(kept);
            ExecutorProbes.submitted(lost);
            KEEPS_EVERYTHING.sweep();
            assertEquals(dropped, QueueWaits.dropped(), "queued for less than the age: kept");
            ExecutorProbes.taken(pool, kept);
            assertEquals(1, recorder.queueWait().count(), "a kept task's wait is measured when it is taken");

            Thread.sleep(5);
            FREES_EVERYTHING_OLD.sweep();
            assertEquals(dropped + 1, QueueWaits.dropped(), "the task that never left its queue is swept and counted");
            ExecutorProbes.taken(pool, lost);
            assertEquals(1, recorder.queueWait().count(), "a swept task's wait is not measured");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void staleContainersAreForgottenAndRunningOnesNever() throws Exception {
        ContainerProbes.dockerCreated(System.nanoTime(), "busybox", "hk-created", null, 1, 10);
        ContainerProbes.dockerCreated(System.nanoTime(), "busybox", "hk-running", null, 2, 20);
        ContainerProbes.dockerStarted("hk-running");
        long[] totals = new long[2];
        double cpus = Containers.readActive(totals);
        long active = totals[0];

        KEEPS_EVERYTHING.sweep();
        Thread.sleep(5);
        FREES_EVERYTHING_OLD.sweep();
        assertEquals(cpus, Containers.readActive(totals), 1e-9, "reading frees nothing and a running container stays");
        assertEquals(active, totals[0]);

        ContainerProbes.dockerStarted("hk-created"); // forgotten: a start of an unknown container changes nothing
        assertEquals(cpus, Containers.readActive(totals), 1e-9);
        ContainerProbes.dockerStopped("hk-running");
        ContainerProbes.dockerRemoved("hk-running");
        assertEquals(cpus - 2, Containers.readActive(totals), 1e-9);
        assertEquals(active - 1, totals[0]);
    }

    @Test
    void readsAndYoungSweepsForgetNothing() {
        ContainerProbes.dockerCreated(System.nanoTime(), "busybox", "hk-read", null, 0.5, 5);
        long[] totals = new long[2];
        double before = Containers.readActive(totals);
        assertEquals(before, Containers.readActive(totals), 1e-9);
        KEEPS_EVERYTHING.sweep();
        ContainerProbes.dockerStarted("hk-read"); // still known after the reads and the sweep
        assertEquals(before + 0.5, Containers.readActive(totals), 1e-9);
        ContainerProbes.dockerRemoved("hk-read");
    }
}

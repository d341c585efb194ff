package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The live-container table: what is alive follows create, start, stop and remove exactly. */
class ContainersTest {

    private static final long DAY = TimeUnit.DAYS.toNanos(1);

    @Test
    void aStoppedContainerIsForgottenAfterItsLastChangeNotItsAllocation() throws Exception {
        long[] totals = new long[2];
        long forget = TimeUnit.SECONDS.toNanos(1);
        ContainerProbes.dockerCreated(System.nanoTime(), "busybox", "long-runner", null, 2, 64);
        ContainerProbes.dockerStarted("long-runner");
        Thread.sleep(1_200); // it runs for longer than the forget interval
        ContainerProbes.dockerStopped("long-runner");
        Containers.forgetStale(forget); // just stopped: kept
        Containers.readActive(totals);
        ContainerProbes.dockerStarted("long-runner");
        long activeWith = totals[0];
        Containers.readActive(totals);
        assertEquals(activeWith + 1, totals[0], "started again, and known: it had changed well within the forget interval");
        ContainerProbes.dockerRemoved("long-runner");
        Containers.readActive(totals);
        assertEquals(activeWith, totals[0]);
    }

    @Test
    void dockerSizesComeFromNanoCpusElseQuotaOverPeriod() {
        long[] totals = new long[2];
        double before = Containers.readActive(totals);
        long memoryBefore = totals[1];
        long start = System.nanoTime();
        ContainerProbes.dockerCreateRan(start, "busybox", "sized-1", null, 1_500_000_000L, 50_000L, null, 256L);
        ContainerProbes.dockerCreateRan(start, "busybox", "sized-2", null, null, 50_000L, null, null);
        ContainerProbes.dockerCreateRan(start, "busybox", "sized-3", null, 0L, 300_000L, 200_000L, 1024L);
        ContainerProbes.dockerCreateRan(start, "busybox", "sized-4", null, null, null, null, null);
        for (String id : new String[] {"sized-1", "sized-2", "sized-3", "sized-4"}) {
            ContainerProbes.dockerStarted(id);
        }
        // 1.5 (NanoCPUs wins), 0.5 (quota over Docker's default 100 ms period), 1.5 (300 ms / 200 ms), 0.
        assertEquals(before + 3.5, Containers.readActive(totals), 1e-9);
        assertEquals(memoryBefore + 1280, totals[1]);
        for (String id : new String[] {"sized-1", "sized-2", "sized-3", "sized-4"}) {
            ContainerProbes.dockerRemoved(id);
        }
    }

    @Test
    void dockerLifecycle() {
        long[] totals = new long[2];
        double before = Containers.readActive(totals);
        long activeBefore = totals[0];
        long memoryBefore = totals[1];
        ContainerProbes.dockerCreated(System.nanoTime(), "busybox", "c-1", null, 1.5, 100);
        ContainerProbes.dockerCreated(System.nanoTime(), "busybox", "c-2", null, 0.5, 50);
        assertEquals(before, Containers.readActive(totals), 1e-9, "created is not alive");
        ContainerProbes.dockerStarted("c-1");
        ContainerProbes.dockerStarted(new String("c-2")); // found by equals, not identity
        assertEquals(before + 2.0, Containers.readActive(totals), 1e-9);
        assertEquals(activeBefore + 2, totals[0]);
        assertEquals(memoryBefore + 150, totals[1]);
        ContainerProbes.dockerStopped("c-1");
        ContainerProbes.dockerRemoved("c-2");
        ContainerProbes.dockerRemoved("c-2"); // a second removal changes nothing
        assertEquals(before, Containers.readActive(totals), 1e-9);
        ContainerProbes.dockerStarted("c-1"); // a stopped container may start again
        assertEquals(before + 1.5, Containers.readActive(totals), 1e-9);
        ContainerProbes.dockerRemoved("c-1");
        assertEquals(before, Containers.readActive(totals), 1e-9);
        assertEquals(activeBefore, totals[0]);
    }

    @Test
    void concurrentAllocationsAndReleasesLeaveExactlyTheLiveOnes() throws Exception {
        int threads = 4;
        int perThread = 500;
        long[] totals = new long[2];
        Containers.readActive(totals);
        long activeBefore = totals[0];
        long overflowsBefore = Containers.overflows(); // cumulative, over every test in this JVM
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    Object container = new Object();
                    ContainerProbes.allocated(System.nanoTime(), container, null, 1, 10);
                    if (i % 2 == 0) {
                        ContainerProbes.released(container);
                        ContainerProbes.released(container); // released twice: still once
                    }
                }
            }));
        }
        workers.forEach(Thread::start);
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        Containers.readActive(totals);
        long tracked = totals[0] - activeBefore + Containers.overflows() - overflowsBefore;
        assertEquals(threads * perThread / 2, tracked, "alive (or counted as untracked) after the run");
    }
}

package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * An enter that fails part-way (issue 11): the claim it made is given back, and the exit that
 * follows a failed enter records and frees nothing, so another thread's run keeps its slot.
 */
class FailedEnterTest {

    /** A method id past the table: tracing's look-up of the worker's API for it throws inside enter, after the claim. */
    private static final int BROKEN_METHOD_ID = TaskMethods.MAX_METHODS + 7;

    @Test
    void anEnterThatFailsAfterClaimingGivesTheSlotBack() {
        int probe = TaskRecorders.registerTask("failed.enter", TaskRecorder.NO_DEADLINE);
        Traces.enable(Traces.ALWAYS_ON, true, 1);
        try {
            assertThrows(IndexOutOfBoundsException.class,
                    () -> TaskProbes.enter(probe, BROKEN_METHOD_ID, System.nanoTime()));
        } finally {
            Traces.disable();
        }
        assertEquals(-1, InFlight.innermostProbe(Thread.currentThread()), "no slot left claimed by the failed run");
        assertEquals(0, TaskRecorders.recorder(probe).untracked());
    }

    @Test
    void theExitOfAFailedEnterLeavesOtherRunsAndTheCountsAlone() throws Exception {
        int other = TaskRecorders.registerTask("failed.other", TaskRecorder.NO_DEADLINE);
        int probe = TaskRecorders.registerTask("failed.exit", TaskRecorder.NO_DEADLINE);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        int[] otherSlot = new int[1];
        Thread[] otherThread = new Thread[1];
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            otherSlot[0] = TaskProbes.enter(other, TaskMethods.UNKNOWN, start);
            otherThread[0] = Thread.currentThread();
            running.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TaskProbes.exit(other, otherSlot[0], start, null);
        });
        thread.start();
        running.await();

        // What the advice passes after a failed enter: the sentinel and a start of 0.
        TaskProbes.exit(probe, TaskProbes.NOT_ENTERED, 0, null);
        TaskProbes.exit(probe, TaskProbes.NOT_ENTERED, 0, new IllegalStateException());

        assertSame(otherThread[0], InFlight.thread(otherSlot[0]), "the other run still holds its slot");
        assertEquals(0, TaskRecorders.recorder(probe).success().count());
        assertEquals(0, TaskRecorders.recorder(probe).failure().count());
        assertEquals(0, TaskRecorders.recorder(probe).success().sumNanos(), "no duration from a start of 0");
        finish.countDown();
        thread.join(10_000);
        assertEquals(1, TaskRecorders.recorder(other).success().count());
    }
}

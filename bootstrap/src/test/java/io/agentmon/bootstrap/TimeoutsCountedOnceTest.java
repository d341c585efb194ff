package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A timeout the run saw and then threw on is one timeout; one it made itself is the exception reason. */
class TimeoutsCountedOnceTest {

    private static final TimeoutException TIMEOUT = new TimeoutException();

    private static void run(int probe, int timedOutGets, boolean rethrow) {
        long start = System.nanoTime();
        int slot = TaskProbes.enter(probe, TaskMethods.UNKNOWN, start);
        for (int i = 0; i < timedOutGets; i++) {
            TimeoutProbes.futureTimedOut(null); // get(timeout) gave up, on this thread
        }
        TaskProbes.exit(probe, slot, start, rethrow ? TIMEOUT : null);
    }

    @Test
    void aRethrownGetTimeoutCountsOnceUnderFuture() {
        int probe = TaskRecorders.registerTask("once.rethrows", TaskRecorder.NO_DEADLINE);
        for (int i = 0; i < 5; i++) {
            run(probe, 1, true);
        }
        TaskRecorder recorder = TaskRecorders.recorder(probe);
        assertEquals(5, recorder.futureTimeouts());
        assertEquals(0, recorder.exceptionTimeouts());
        assertEquals(5, recorder.timeout().count(), "the outcome stays timeout");
    }

    @Test
    void threeTimedOutWaitsThenSuccessCountThree() {
        int probe = TaskRecorders.registerTask("once.retries", TaskRecorder.NO_DEADLINE);
        run(probe, 3, false);
        TaskRecorder recorder = TaskRecorders.recorder(probe);
        assertEquals(3, recorder.futureTimeouts());
        assertEquals(0, recorder.exceptionTimeouts());
        assertEquals(1, recorder.success().count());
    }

    @Test
    void aTimeoutOfTheRunsOwnIsTheExceptionReasonAndTheNextRunStartsClean() {
        int probe = TaskRecorders.registerTask("once.own", TaskRecorder.NO_DEADLINE);
        run(probe, 1, false); // saw a timeout, succeeded: the slot's count must not carry over
        run(probe, 0, true);
        TaskRecorder recorder = TaskRecorders.recorder(probe);
        assertEquals(1, recorder.futureTimeouts());
        assertEquals(1, recorder.exceptionTimeouts());
    }

    @Test
    void aTimeoutThrownOnThroughEnclosingRunsCountsOnce() {
        int outer = TaskRecorders.registerTask("once.outer", TaskRecorder.NO_DEADLINE);
        int inner = TaskRecorders.registerTask("once.inner", TaskRecorder.NO_DEADLINE);
        long start = System.nanoTime();
        int outerSlot = TaskProbes.enter(outer, TaskMethods.UNKNOWN, start);
        run(inner, 1, true); // the inner run saw and threw on its get timeout
        TaskProbes.exit(outer, outerSlot, start, TIMEOUT); // and the outer one throws it on again
        assertEquals(1, TaskRecorders.recorder(inner).futureTimeouts());
        assertEquals(0, TaskRecorders.recorder(inner).exceptionTimeouts());
        assertEquals(0, TaskRecorders.recorder(outer).exceptionTimeouts());
        assertEquals(1, TaskRecorders.recorder(outer).timeout().count(), "both runs' outcome is timeout");

        start = System.nanoTime();
        outerSlot = TaskProbes.enter(outer, TaskMethods.UNKNOWN, start);
        run(inner, 0, true); // the inner run's own timeout
        TaskProbes.exit(outer, outerSlot, start, TIMEOUT);
        assertEquals(1, TaskRecorders.recorder(inner).exceptionTimeouts());
        assertEquals(0, TaskRecorders.recorder(outer).exceptionTimeouts());
    }

    @Test
    void aSiblingRunDoesNotInheritATimeout() {
        int outer = TaskRecorders.registerTask("once.parent", TaskRecorder.NO_DEADLINE);
        int inner = TaskRecorders.registerTask("once.child", TaskRecorder.NO_DEADLINE);
        long start = System.nanoTime();
        int outerSlot = TaskProbes.enter(outer, TaskMethods.UNKNOWN, start);
        run(inner, 1, false); // the child handled its timed-out get and succeeded
        TaskProbes.exit(outer, outerSlot, start, TIMEOUT); // the parent's timeout is its own
        assertEquals(1, TaskRecorders.recorder(outer).exceptionTimeouts());
    }
}

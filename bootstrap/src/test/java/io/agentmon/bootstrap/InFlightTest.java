package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class InFlightTest {

    @Test
    void nestedRunsAreListedAndTheInnermostIsFound() {
        int outer = TaskRecorders.registerTask("inflight.outer", TaskRecorder.NO_DEADLINE);
        int inner = TaskRecorders.registerTask("inflight.inner", 1);
        long start = System.nanoTime();
        int outerSlot = TaskProbes.enter(outer, TaskMethods.UNKNOWN, start);
        int innerSlot = TaskProbes.enter(inner, TaskMethods.UNKNOWN, start + 1);
        assertSame(Thread.currentThread(), InFlight.thread(outerSlot));
        assertEquals(inner, InFlight.probe(innerSlot));
        assertEquals(inner, InFlight.innermostProbe(Thread.currentThread()));
        TaskProbes.exit(inner, innerSlot, start + 1, null);
        assertEquals(outer, InFlight.innermostProbe(Thread.currentThread()));
        TaskProbes.exit(outer, outerSlot, start, null);
        assertEquals(-1, InFlight.innermostProbe(Thread.currentThread()));
        assertEquals(1, TaskRecorders.recorder(inner).deadlineMisses(), "ran past its 1 ns deadline");
    }

    @Test
    void runsBeyondTheTableAreCountedAsUntracked() {
        int id = TaskRecorders.registerTask("inflight.deep", TaskRecorder.NO_DEADLINE);
        int depth = InFlight.PROBE_LIMIT + 24; // more nested runs on one thread than it may probe slots for
        int[] slots = new int[depth];
        long start = System.nanoTime();
        long overflowsBefore = InFlight.overflows();
        for (int i = 0; i < depth; i++) {
            slots[i] = TaskProbes.enter(id, TaskMethods.UNKNOWN, start);
        }
        long untracked = TaskRecorders.recorder(id).untracked();
        assertEquals(untracked, InFlight.overflows() - overflowsBefore);
        assertEquals(depth - InFlight.PROBE_LIMIT, untracked, "the first PROBE_LIMIT runs found a slot, the rest none");
        for (int i = depth - 1; i >= 0; i--) {
            TaskProbes.exit(id, slots[i], start, null);
        }
        assertEquals(0, TaskRecorders.recorder(id).untracked());
        assertEquals(depth, TaskRecorders.recorder(id).success().count());
    }

    @Test
    void futureTimeoutsGoToTheRunnersTaskElseTheWaitersElseUnknown() throws Exception {
        int unknown = TaskRecorders.registerTimeoutTarget("unknown");
        TimeoutProbes.useUnknown(unknown);
        int waiting = TaskRecorders.registerTask("inflight.waiting", TaskRecorder.NO_DEADLINE);

        TimeoutProbes.futureTimedOut(null);
        assertEquals(1, TaskRecorders.recorder(unknown).futureTimeouts());

        long start = System.nanoTime();
        int slot = TaskProbes.enter(waiting, TaskMethods.UNKNOWN, start);
        TimeoutProbes.futureTimedOut(new Thread()); // a runner that runs no task
        TaskProbes.exit(waiting, slot, start, null);
        assertEquals(1, TaskRecorders.recorder(waiting).futureTimeouts());
    }
}

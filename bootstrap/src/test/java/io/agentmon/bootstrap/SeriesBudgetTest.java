package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeriesBudgetTest {

    @Test
    void aTaskLabelCostsItsHistogramsFailuresGaugesAndTimeouts() {
        // 3 outcomes x (12 bounds + +Inf + count + sum), 16 exception classes + other, 3 gauges, 4 reasons
        assertEquals(3 * 15 + 17 + 3 + 4, SeriesBudget.taskSeries(12));
        assertEquals(12 + 14 + 15, SeriesBudget.poolSeries(11, 12));
    }

    @Test
    void labelsBeyondTheBudgetShareOtherAndAreCountedOnce() {
        TaskRecorders.useBuckets(new long[] {1_000_000L, 10_000_000L});
        int cost = SeriesBudget.taskSeries(2);
        synchronized (SeriesBudget.class) {
            SeriesBudget.useLimit((int) SeriesBudget.used() + 2 * cost);
        }
        try {
            long foldedBefore = SeriesBudget.foldedLabels();
            int first = TaskRecorders.registerTask("budget.first", TaskRecorder.NO_DEADLINE);
            int second = TaskRecorders.registerTask("budget.second", TaskRecorder.NO_DEADLINE);
            int third = TaskRecorders.registerTask("budget.third", TaskRecorder.NO_DEADLINE);
            int fourth = TaskRecorders.registerTimeoutTarget("budget.fourth");
            assertNotEquals(first, second);
            assertEquals("budget.first", TaskRecorders.recorder(first).label());
            assertEquals("budget.second", TaskRecorders.recorder(second).label());
            assertEquals(SeriesBudget.OTHER, TaskRecorders.recorder(third).label());
            assertEquals(third, fourth, "every label beyond the budget shares the one recorder");
            assertTrue(TaskRecorders.recorder(third).isTask(), "other is a task once a task folds into it");
            assertEquals(third, TaskRecorders.registerTask("budget.third", TaskRecorder.NO_DEADLINE));
            assertEquals(foldedBefore + 2, SeriesBudget.foldedLabels(), "each folded label counted once");

            // Runs of a folded task are counted, under other.
            long before = TaskRecorders.recorder(third).success().count();
            long start = System.nanoTime();
            TaskProbes.exit(third, TaskProbes.enter(third, 0, start), start, null);
            assertEquals(before + 1, TaskRecorders.recorder(third).success().count());
        } finally {
            SeriesBudget.useLimit(Integer.MAX_VALUE); // the other tests in this JVM register labels too
        }
    }

    @Test
    void theAgentsOwnLabelIsOutsideTheBudget() {
        synchronized (SeriesBudget.class) {
            SeriesBudget.useLimit((int) SeriesBudget.used());
        }
        try {
            int own = TaskRecorders.registerOwn("budget.own");
            assertEquals("budget.own", TaskRecorders.recorder(own).label());
        } finally {
            SeriesBudget.useLimit(Integer.MAX_VALUE);
        }
    }
}

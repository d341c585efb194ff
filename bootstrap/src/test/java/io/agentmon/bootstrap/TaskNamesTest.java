package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Run-time labels: one recorder per distinct pair, found again with no lock or allocation, bounded. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskNamesTest {

    private enum Status { COMPLETED, STOPPED, FAILED, ABANDONED, UNKNOWN }

    @BeforeAll
    static void roomForTheLabels() {
        SeriesBudget.useLimit(Integer.MAX_VALUE); // the bound under test is TaskNames', not the budget
    }

    @Test
    void eachPairIsOneLabelScopeDotNameFoundAgainUnderTheSameId() {
        TaskNames.useDeadlines(label -> label.equals("names.job.slow") ? TimeUnit.SECONDS.toNanos(5) : TaskRecorder.NO_DEADLINE);
        try {
            int load = TaskNames.probeId("names.job", "load");
            assertEquals("names.job.load", TaskRecorders.recorder(load).label());
            assertEquals(load, TaskNames.probeId("names.job", new String("load")), "by value, not identity");
            assertNotEquals(load, TaskNames.probeId("names.other", "load"), "the same step in another job");
            assertEquals(TimeUnit.SECONDS.toNanos(5), TaskRecorders.recorder(TaskNames.probeId("names.job", "slow")).deadlineNanos());
            assertEquals("null.null", TaskRecorders.recorder(TaskNames.probeId(null, null)).label());

            long before = TaskRecorders.recorder(load).success().count();
            long start = System.nanoTime();
            TaskProbes.exit(load, TaskProbes.enter(load, TaskMethods.UNKNOWN, start), start, null);
            assertEquals(before + 1, TaskRecorders.recorder(load).success().count());
        } finally {
            TaskNames.useDeadlines(null);
        }
    }

    @Test
    void aLongNameIsCutToTheLabelLimit() {
        String step = String.join("", Collections.nCopies(300, "s"));
        String label = TaskRecorders.recorder(TaskNames.probeId("names.long", step)).label();
        assertEquals(TaskNames.MAX_LABEL_LENGTH, label.length());
        assertTrue(label.startsWith("names.long.sss"));
    }

    @Test
    void aKnownPairCostsNoAllocation() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String job = "names.alloc";
        String step = "step";
        int id = TaskNames.probeId(job, step);
        long sum = 0;
        for (int i = 0; i < 20_000; i++) { // warm: compiled, as on a worker
            sum += TaskNames.probeId(job, step);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            sum += TaskNames.probeId(job, step);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(120_000L * id, sum);
        assertTrue(allocated < 10_000, allocated + " bytes for 100000 look-ups"); // the meter's own few hundred bytes
    }

    @Test
    @Order(Integer.MAX_VALUE) // fills the table: every test after it would get other
    void pairsBeyondTheBoundShareOtherAndAreNotKept() {
        List<Integer> ids = new ArrayList<>();
        int kept = TaskNames.size();
        for (int i = kept; i < TaskNames.MAX_NAMES; i++) {
            ids.add(TaskNames.probeId("names.fill", "partition" + i));
        }
        assertEquals(TaskNames.MAX_NAMES, TaskNames.size());
        int other = TaskNames.probeId("names.fill", "one too many");
        assertEquals(SeriesBudget.OTHER, TaskRecorders.recorder(other).label());
        assertEquals(other, TaskNames.probeId("names.beyond", "another"));
        assertEquals(TaskNames.MAX_NAMES, TaskNames.size(), "the cache does not grow past its bound");
        assertTrue(TaskRecorders.recorder(ids.get(0)).label().startsWith("names.fill.partition"));
        assertEquals(ids.get(0), TaskNames.probeId("names.fill", "partition" + kept), "kept pairs keep their ids");
        assertFalse(TaskRecorders.hasLabel("names.beyond.another"), "never registered");

        long before = TaskRecorders.recorder(other).failure().count();
        long start = System.nanoTime();
        TaskProbes.exit(other, TaskProbes.enter(other, TaskMethods.UNKNOWN, start), start, new IllegalStateException());
        assertEquals(before + 1, TaskRecorders.recorder(other).failure().count(), "their runs are counted, under other");
    }

    @Test
    void aFailedStatusIsAFailureNamedByTheFirstRecordedException() {
        IllegalStateException first = new IllegalStateException("first");
        List<Throwable> failures = new CopyOnWriteArrayList<>(List.of(first, new RuntimeException("second")));
        RuntimeException thrown = new RuntimeException("thrown");
        assertSame(thrown, TaskNames.failure(thrown, Status.COMPLETED, failures), "what the run threw comes first");
        assertNull(TaskNames.failure(null, Status.COMPLETED, failures), "completed after a recovered failure");
        assertNull(TaskNames.failure(null, Status.STOPPED, List.of()), "stopped is not failed");
        assertNull(TaskNames.failure(null, null, failures), "no status known");
        assertSame(first, TaskNames.failure(null, Status.FAILED, failures));
        assertSame(first, TaskNames.failure(null, Status.UNKNOWN, failures));
        assertSame(first, TaskNames.failure(null, Status.ABANDONED, failures));
        Throwable bare = TaskNames.failure(null, Status.FAILED, List.of());
        assertEquals("FailedStatus", bare.getClass().getSimpleName());
        assertSame(bare, TaskNames.failure(null, Status.FAILED, null), "one instance: nothing allocated");
        assertEquals(Outcome.FAILURE, Outcome.of(bare));
        assertEquals(Outcome.TIMEOUT, Outcome.of(TaskNames.failure(null, Status.FAILED, List.of(new TimeoutException()))));
    }
}

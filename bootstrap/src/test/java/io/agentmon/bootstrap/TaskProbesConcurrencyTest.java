package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Many threads record into one task at once; every total must come out exact, and every run
 * must have been tracked in flight while it ran (an untracked run is counted too, so exact
 * totals alone would pass with every claim failing).
 */
class TaskProbesConcurrencyTest {

    private static final long MS = 1_000_000L;

    @Test
    void concurrentRunsAreCountedExactly() throws Exception {
        TaskRecorders.useBuckets(new long[] {1 * MS, 10 * MS, 100 * MS});
        int id = TaskRecorders.registerTask("stress.task", TaskRecorder.NO_DEADLINE);
        int threads = 8;
        int runsPerThread = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] trackedBy = new long[threads]; // runs each thread saw listed in flight, as its own
        long overflowsBefore = InFlight.overflows();
        long cellRoomBefore = CellBudget.SHARED.room();
        Throwable[] failures = {new IllegalStateException(), new IOException(), new TimeoutException()};
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                await(start);
                for (int i = 0; i < runsPerThread; i++) {
                    long begin = System.nanoTime();
                    int slot = TaskProbes.enter(id, TaskMethods.UNKNOWN, begin);
                    if (slot >= 0 && InFlight.thread(slot) == Thread.currentThread() && InFlight.probe(slot) == id
                            && InFlight.startNanos(slot) == begin) {
                        trackedBy[index]++;
                    }
                    // Every 4th run fails, rotating through the three throwables.
                    Throwable thrown = i % 4 == 3 ? failures[(i / 4) % 3] : null;
                    TaskProbes.exit(id, slot, begin, thrown);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        // The runs went into their slots' cells (SlotCells), not only into the adders.
        assertTrue(CellBudget.SHARED.room() < cellRoomBefore, "cells made");
        TaskRecorder recorder = TaskRecorders.recorder(id);
        long total = (long) threads * runsPerThread;
        long failed = total / 4;
        long timedOut = countWhere(runsPerThread, 2) * threads;
        assertEquals(total - failed, recorder.success().count());
        assertEquals(timedOut, recorder.timeout().count());
        assertEquals(failed - timedOut, recorder.failure().count());
        assertEquals(0, recorder.untracked());
        long tracked = 0;
        for (long runs : trackedBy) {
            tracked += runs;
        }
        assertEquals(total, tracked, "every run claimed a slot and was listed in flight, as this thread's, while it ran");
        assertEquals(overflowsBefore, InFlight.overflows(), "no run found the table full");
        for (int slot = 0; slot < InFlight.SLOTS; slot++) {
            assertEquals(null, InFlight.thread(slot), "slot " + slot + " released");
        }

        long byException = 0;
        for (int slot = 0; slot <= ExceptionCounts.SLOTS; slot++) {
            byException += recorder.exceptions().count(slot);
        }
        assertEquals(recorder.failure().count(), byException, "failures by exception add up");
        assertEquals(countWhere(runsPerThread, 0) * threads, countOf(recorder.exceptions(), IllegalStateException.class));
        assertEquals(countWhere(runsPerThread, 1) * threads, countOf(recorder.exceptions(), IOException.class));
    }

    @Test
    void sameLabelSharesOneRecorder() {
        int first = TaskRecorders.registerTask("shared.label", TaskRecorder.NO_DEADLINE);
        assertEquals(first, TaskRecorders.registerTimeoutTarget("shared.label"));
        assertEquals(first, TaskRecorders.registerTask("shared.label", TaskRecorder.NO_DEADLINE));
    }

    @Test
    void bucketsAreUpperInclusive() {
        DurationHistogram histogram = new DurationHistogram(new HistogramLayout(HistogramLayout.DEFAULT_SCHEMA, new long[] {10, 20}));
        histogram.record(10);
        histogram.record(11);
        histogram.record(20);
        histogram.record(21);
        histogram.record(0);
        long[] counts = histogram.bucketCounts();
        assertEquals(2, counts[0]);
        assertEquals(2, counts[1]);
        assertEquals(1, counts[2]);
        assertEquals(5, histogram.count());
        assertEquals(62, histogram.sumNanos());
    }

    @Test
    void exceptionClassesBeyondTheTableShareTheOverflow() {
        ExceptionCounts counts = new ExceptionCounts();
        Class<?>[] types = {
            RuntimeException.class, IllegalStateException.class, IllegalArgumentException.class,
            NullPointerException.class, ArithmeticException.class, ClassCastException.class,
            ArrayStoreException.class, IndexOutOfBoundsException.class, UnsupportedOperationException.class,
            SecurityException.class, IOException.class, TimeoutException.class, InterruptedException.class,
            CloneNotSupportedException.class, ReflectiveOperationException.class, Error.class,
            AssertionError.class, OutOfMemoryError.class,
        };
        for (Class<?> type : types) {
            counts.increment(type);
            counts.increment(type);
        }
        for (int slot = 0; slot < ExceptionCounts.SLOTS; slot++) {
            assertEquals(types[slot], counts.type(slot));
            assertEquals(2, counts.count(slot));
        }
        assertEquals(2L * (types.length - ExceptionCounts.SLOTS), counts.count(ExceptionCounts.SLOTS));
    }

    @Test
    void anOutcomeWithNoRunYetReadsEmptyAndGetsItsOwnHistogramOnItsFirstRun() {
        TaskRecorder recorder = new TaskRecorder("lazy.outcomes", new HistogramLayout(HistogramLayout.DEFAULT_SCHEMA, new long[] {1000}),
                TaskRecorder.NO_DEADLINE); // failure and timeout histograms are made on first use (issue 12)
        assertEquals(0, recorder.failure().count());
        assertEquals(0, recorder.timeout().count());
        assertEquals(recorder.layout(), recorder.failure().layout(), "the empty reading has the task's layout");
        recorder.recording(Outcome.FAILURE).record(5000);
        recorder.recording(Outcome.FAILURE).record(7000);
        assertEquals(2, recorder.failure().count());
        assertEquals(12000, recorder.failure().sumNanos());
        assertEquals(0, recorder.timeout().count(), "the empty timeout histogram is not the failures'");
        assertEquals(0, recorder.success().count());
        recorder.recording(Outcome.TIMEOUT).record(1);
        assertEquals(1, recorder.timeout().count());
        assertEquals(2, recorder.duration(Outcome.FAILURE).count());
        assertEquals(null, recorder.exceptions().type(0), "no failure counted by class yet");
        recorder.countingExceptions().increment(IllegalStateException.class);
        assertEquals(IllegalStateException.class, recorder.exceptions().type(0));
        assertEquals(1, recorder.exceptions().count(0));
    }

    @Test
    void slotsNotYetClaimedCountZero() {
        ExceptionCounts counts = new ExceptionCounts(); // counters are made on a slot's first claim (issue 12)
        for (int slot = 0; slot <= ExceptionCounts.SLOTS; slot++) {
            assertEquals(0, counts.count(slot), "slot " + slot);
        }
        counts.increment(IllegalStateException.class);
        assertEquals(IllegalStateException.class, counts.type(0));
        assertEquals(1, counts.count(0));
        for (int slot = 1; slot <= ExceptionCounts.SLOTS; slot++) {
            assertEquals(0, counts.count(slot), "slot " + slot);
        }
    }

    private static long countWhere(int runsPerThread, int rotation) {
        long n = 0;
        for (int i = 0; i < runsPerThread; i++) {
            if (i % 4 == 3 && (i / 4) % 3 == rotation) {
                n++;
            }
        }
        return n;
    }

    private static long countOf(ExceptionCounts counts, Class<?> type) {
        for (int slot = 0; slot < ExceptionCounts.SLOTS; slot++) {
            if (counts.type(slot) == type) {
                return counts.count(slot);
            }
        }
        return 0;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

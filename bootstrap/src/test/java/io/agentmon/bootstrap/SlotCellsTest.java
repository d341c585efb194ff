package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A histogram whose runs go partly into its in-flight slots' cells and partly into its adders
 * reads exactly as one fed only through the adders, in every view; and the cells' budget, once
 * full, sends runs to the adders without losing one. Each test has a budget of its own, so the
 * agent's shared one is neither drawn on nor filled.
 */
class SlotCellsTest {

    private static final long MS = 1_000_000L;
    private static final HistogramLayout LAYOUT =
            HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, new long[] {MS, 10 * MS, 100 * MS, 1000 * MS});

    @Test
    void runsInCellsAndInAddersReadAsIfAllWereInAdders() {
        CellBudget budget = new CellBudget(1L << 20);
        DurationHistogram mixed = new DurationHistogram(LAYOUT, budget);
        DurationHistogram reference = new DurationHistogram(LAYOUT, new CellBudget(0));
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 200_000; i++) {
            long nanos = random.nextInt(50) == 0 ? -random.nextLong(1000) : (long) Math.exp(random.nextDouble(3, 23));
            // Most runs on a few slots, as a pool's threads would, some on none, some anywhere.
            int owned = random.nextInt(10) == 0 ? -1 : random.nextInt(5) == 0 ? random.nextInt(InFlight.SLOTS) : random.nextInt(8) * 97;
            mixed.record(nanos, owned);
            reference.record(nanos, owned < 0 ? -1 : owned); // with no budget, every run goes to the adders
        }
        assertTrue(budget.room() < 1L << 20, "the cells were used");
        assertEquals(200_000, reference.count());
        assertEquals(reference.count(), mixed.count());
        assertEquals(reference.sumNanos(), mixed.sumNanos());
        assertArrayEquals(reference.slotCounts(), mixed.slotCounts());
        assertArrayEquals(reference.bucketCounts(), mixed.bucketCounts());
        long[] twice = new long[LAYOUT.slots()];
        mixed.addSlotCounts(twice);
        mixed.addSlotCounts(twice);
        long[] expected = reference.slotCounts();
        for (int s = 0; s < expected.length; s++) {
            assertEquals(2 * expected[s], twice[s], "slot " + s);
        }
    }

    @Test
    void aHistogramGetsCellsOnlyOnceItRunsOften() {
        CellBudget budget = new CellBudget(1L << 20);
        DurationHistogram histogram = new DurationHistogram(LAYOUT, budget);
        for (int run = 1; run < DurationHistogram.CELLS_AFTER; run++) {
            histogram.record(5_000L + run, 3);
            histogram.record(2 * MS, -1); // runs on no slot never make cells, however many
            histogram.record(2 * MS, -1);
        }
        assertEquals(1L << 20, budget.room(), "no cells for a task that ran rarely");
        histogram.record(5_000L, 3);
        assertEquals(1L << 20, budget.room() + SlotCells.TABLE_BYTES, "the cells' table, after the last run in the adders");
        histogram.record(5_000L, 3);
        assertTrue(budget.room() + SlotCells.TABLE_BYTES < 1L << 20, "the next run made its cell");
        assertEquals(3L * DurationHistogram.CELLS_AFTER - 1, histogram.count());
    }

    @Test
    void aFullBudgetSendsRunsToTheAddersAndLosesNone() {
        long bytes = 64 * 1024;
        CellBudget budget = new CellBudget(bytes);
        List<DurationHistogram> histograms = new ArrayList<>();
        List<DurationHistogram> references = new ArrayList<>();
        for (int h = 0; h < 20; h++) {
            histograms.add(new DurationHistogram(LAYOUT, budget));
            references.add(new DurationHistogram(LAYOUT, new CellBudget(0)));
        }
        SplittableRandom random = new SplittableRandom(7);
        int runs = 0;
        int runsAfterFull = 0;
        while (runsAfterFull < 50_000) {
            int h = random.nextInt(histograms.size());
            long nanos = (long) Math.exp(random.nextDouble(3, 23));
            int owned = random.nextInt(InFlight.SLOTS);
            histograms.get(h).record(nanos, owned);
            references.get(h).record(nanos);
            runs++;
            if (budget.exhausted()) {
                runsAfterFull++;
            }
        }
        assertTrue(budget.room() >= 0, "never past the budget");
        assertTrue(budget.room() < SlotCells.TABLE_BYTES, "filled up to the last object that fits: " + budget.room() + " left");
        assertFalse(budget.take(1), "closed once full");
        long counted = 0;
        for (int h = 0; h < histograms.size(); h++) {
            assertEquals(references.get(h).count(), histograms.get(h).count(), "histogram " + h);
            assertEquals(references.get(h).sumNanos(), histograms.get(h).sumNanos(), "histogram " + h);
            assertArrayEquals(references.get(h).slotCounts(), histograms.get(h).slotCounts(), "histogram " + h);
            counted += histograms.get(h).count();
        }
        assertEquals(runs, counted);
    }

    /** The budget's estimates are what the JVM allocates for the cells (compressed oops, as the agent's JVMs run). */
    @Test
    void theBudgetCountsTheBytesTheCellsTake() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long bytes = 4L << 20;
        CellBudget budget = new CellBudget(bytes);
        DurationHistogram[] histograms = new DurationHistogram[50];
        for (int h = 0; h < histograms.length; h++) {
            histograms[h] = new DurationHistogram(LAYOUT, budget); // made before the count starts: not the cells
        }
        // Before counting: the VarHandles' first calls (which link, and allocate), and all but the
        // last of the runs (in the adders) after which each histogram makes its cells.
        DurationHistogram first = new DurationHistogram(LAYOUT, new CellBudget(bytes));
        for (int run = 0; run <= DurationHistogram.CELLS_AFTER; run++) {
            first.record(5_000L, 1);
        }
        for (DurationHistogram histogram : histograms) {
            for (int run = 1; run < DurationHistogram.CELLS_AFTER; run++) {
                histogram.record(5_000L, 0);
            }
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int h = 0; h < histograms.length; h++) {
            for (int owned = 0; owned < 256; owned += 5) {
                histograms[h].record(5_000L << (owned % 9), owned);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        long taken = bytes - budget.room();
        assertTrue(taken > 100_000, "cells were made: " + taken);
        assertTrue(Math.abs(allocated - taken) < taken / 20,
                "the budget took " + taken + " bytes for cells the JVM allocated " + allocated + " bytes for");
    }
}

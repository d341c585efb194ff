package io.agentmon.bootstrap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * {@link SlotCells}: a run's plain adds into its in-flight slot's cell, as {@link TaskProbes#exit}
 * makes them (record, then release), are never lost when the slot passes to another thread, nor
 * seen by a reader as more than was recorded. On a one-slot {@link InFlight.Table}, so that both
 * actors' runs meet on the same slot, and each state with a {@link CellBudget} of its own, so that
 * jcstress's millions of states never fill one and send the runs to the adders. Each histogram
 * has run {@link DurationHistogram#CELLS_AFTER} times before (in its adders, and subtracted from
 * what the arbiter reports), so that it has its cells.
 */
public final class SlotCellsStress {

    private SlotCellsStress() {
    }

    private static final HistogramLayout LAYOUT = HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, new long[0]);

    /** A histogram of its own budget, already past the runs after which it makes its cells (counted: {@link #EARLIER}). */
    static DurationHistogram histogram() {
        DurationHistogram histogram = new DurationHistogram(LAYOUT, new CellBudget(1 << 16));
        for (int run = 0; run < EARLIER; run++) {
            histogram.record(1000, 0);
        }
        return histogram;
    }

    static final int EARLIER = DurationHistogram.CELLS_AFTER;

    /** One run: claims the only slot (or finds it taken), records, releases, as the probes do. */
    static void run(InFlight.Table table, DurationHistogram histogram, long nanos) {
        int slot = table.claim(Thread.currentThread(), 0, 1, 0);
        if (slot >= 0) {
            histogram.record(nanos, slot);
            table.release(slot);
        } else {
            histogram.record(nanos, -1); // an untracked run: the adders
        }
    }

    /**
     * Two threads run the same task twice each, one slot between them: every run that took the
     * slot after another read that one's counts, so all four are counted, and their sum is whole.
     */
    @JCStressTest
    @Outcome(id = "4, 4000", expect = ACCEPTABLE, desc = "Every run counted, every duration summed.")
    @Outcome(expect = FORBIDDEN, desc = "A run lost: a holder of the slot added to counts older than the last holder's.")
    @State
    public static class Handoff {
        final InFlight.Table table = new InFlight.Table(1);
        final DurationHistogram histogram = histogram();

        @Actor
        public void first() {
            run(table, histogram, 1000);
            run(table, histogram, 1000);
        }

        @Actor
        public void second() {
            run(table, histogram, 1000);
            run(table, histogram, 1000);
        }

        @Arbiter
        public void check(JJ_Result r) {
            r.r1 = histogram.count() - EARLIER;
            r.r2 = histogram.sumNanos() - 1000L * EARLIER;
        }
    }

    /**
     * A reader (the scrape) reads while a run records, on the slot an earlier run (the state's
     * constructor) recorded on: its count and its sum, read one after the other, are each between
     * the earlier run alone and both (never a torn or doubled value), and after the run the count
     * is whole.
     */
    @JCStressTest
    @Outcome(id = {"[1-2], [1-2], 2"}, expect = ACCEPTABLE, desc = "Each reading between one run and both; both after the run.")
    @Outcome(expect = FORBIDDEN, desc = "A reading past what was recorded or short of the earlier run, or a run missing after it ended.")
    @State
    public static class ReaderDuringRun {
        final InFlight.Table table = new InFlight.Table(1);
        final DurationHistogram histogram = histogram();
        long seenCount;
        long seenSum;

        public ReaderDuringRun() {
            run(table, histogram, 1000);
        }

        @Actor
        public void runner() {
            run(table, histogram, 1000);
        }

        @Actor
        public void reader() {
            seenCount = histogram.count();
            seenSum = histogram.sumNanos();
        }

        @Arbiter
        public void check(JJJ_Result r) {
            r.r1 = seenCount - EARLIER;
            r.r2 = seenSum % 1000 == 0 ? seenSum / 1000 - EARLIER : -1;
            r.r3 = histogram.count() - EARLIER;
        }
    }
}

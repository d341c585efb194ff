package io.agentmon.agent.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.metrics.HistogramPoints;
import io.agentmon.bootstrap.HistogramLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The agent's own quantiles, from the fine slots, against the exact quantiles of known samples. */
class QuantilesTest {

    private static final long MS = 1_000_000L;
    private static final long[] TASK_BOUNDS = {MS, 5 * MS, 10 * MS, 50 * MS, 100 * MS, 250 * MS, 500 * MS, 1000 * MS,
            2500 * MS, 10_000 * MS, 60_000 * MS, 300_000 * MS};

    private static double exact(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e9;
    }

    private static void assertWithin(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(actual - expected) <= relative * expected,
                what + ": expected " + expected + " within " + (relative * 100) + " %, was " + actual);
    }

    private static double[] estimate(HistogramLayout layout, long[] nanos, double... qs) {
        long[] counts = new long[layout.slots()];
        for (long value : nanos) {
            counts[layout.slot(value)]++;
        }
        double[] bounds = HistogramPoints.slotBoundsSeconds(layout);
        double[] estimates = new double[qs.length];
        for (int i = 0; i < qs.length; i++) {
            estimates[i] = Quantiles.quantile(qs[i], bounds, counts);
        }
        return estimates;
    }

    /** Lognormal run times around 2 ms, spanning four decades: the figures issue 10 found 34-115 % off. */
    @Test
    void taskQuantilesAreWithinFivePercent() {
        java.util.Random random = new java.util.Random(10);
        long[] nanos = new long[200_000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (long) (2 * MS * Math.exp(random.nextGaussian() * 1.0));
        }
        HistogramLayout layout = new HistogramLayout(HistogramLayout.DEFAULT_SCHEMA, TASK_BOUNDS);
        double[] estimates = estimate(layout, nanos, 0.50, 0.95, 0.99);
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        assertWithin(exact(sorted, 0.50), estimates[0], 0.05, "p50");
        assertWithin(exact(sorted, 0.95), estimates[1], 0.05, "p95");
        assertWithin(exact(sorted, 0.99), estimates[2], 0.05, "p99");
    }

    /** Sub-millisecond queue waits: the page showed 9.5 ms for waits averaging 0.2 ms. */
    @Test
    void subMillisecondQueueWaitsStaySubMillisecond() {
        SplittableRandom random = new SplittableRandom(11);
        long[] nanos = new long[50_000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (long) (-200_000 * Math.log(1 - random.nextDouble())); // exponential, mean 0.2 ms
        }
        long[] classic = {10 * MS, 100 * MS, 1000 * MS};
        double p95 = estimate(new HistogramLayout(HistogramLayout.DEFAULT_SCHEMA, classic), nanos, 0.95)[0];
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        assertWithin(exact(sorted, 0.95), p95, 0.05, "queue wait p95");
        assertTrue(p95 < 1e-3, "sub-millisecond: " + p95);
    }

    @Test
    void noObservationsIsNaNAndOneValueIsItsSlot() {
        HistogramLayout layout = new HistogramLayout(HistogramLayout.DEFAULT_SCHEMA, TASK_BOUNDS);
        assertTrue(Double.isNaN(Quantiles.quantile(0.5, HistogramPoints.slotBoundsSeconds(layout), new long[layout.slots()])));
        double one = estimate(layout, new long[] {3 * MS}, 0.5)[0];
        assertWithin(0.003, one, 0.09, "a single 3 ms run");
        assertEquals(layout.slots() - 1, HistogramPoints.slotBoundsSeconds(layout).length);
    }
}

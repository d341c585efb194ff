package io.agentmon.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.bootstrap.HistogramLayout;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The classic and native views of one reading, each against its own definition. */
class HistogramPointsTest {

    private static final long MS = 1_000_000L;
    private static final long[] BOUNDS = {MS, 5 * MS, 10 * MS, 50 * MS, 100 * MS, 250 * MS, 500 * MS, 1000 * MS};

    /** Durations spread over seven decades, 100 ns to 10 s, log-uniform. */
    private static long[] durations(int n) {
        SplittableRandom random = new SplittableRandom(10);
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            nanos[i] = (long) Math.pow(10, 2 + 8 * random.nextDouble());
        }
        return nanos;
    }

    /** The native bucket of {@code nanos} by the definition: the least i with nanos / 1e9 <= 2^(i/8). */
    private static int nativeIndex(long nanos) {
        int index = (int) Math.floor(8 * Math.log(nanos / 1e9) / Math.log(2)) - 2;
        while (Math.pow(2, index / 8.0) * 1e9 < nanos) {
            index++;
        }
        return index;
    }

    @Test
    void classicCountsAreExactPerBoundAndNativeCountsPerBucketAndBothAddUp() {
        HistogramLayout layout = new HistogramLayout(3, BOUNDS);
        long[] nanos = durations(50_000);
        long[] slots = new long[layout.slots()];
        long sum = 0;
        long zero = 0;
        TreeMap<Integer, Long> byIndex = new TreeMap<>();
        for (long value : nanos) {
            slots[layout.slot(value)]++;
            sum += value;
            if (value <= HistogramLayout.ZERO_THRESHOLD_NANOS) {
                zero++;
            } else {
                byIndex.merge(nativeIndex(value), 1L, Long::sum);
            }
        }
        HistogramSnapshot.HistogramDataPointSnapshot point = HistogramPoints.of(layout, slots, sum, Labels.of("task", "t"),
                Exemplars.EMPTY, true);

        ClassicHistogramBuckets classic = point.getClassicBuckets();
        assertEquals(BOUNDS.length + 1, classic.size());
        for (int b = 0; b < BOUNDS.length; b++) {
            long bound = BOUNDS[b];
            long lower = b == 0 ? Long.MIN_VALUE : BOUNDS[b - 1];
            long expected = java.util.Arrays.stream(nanos).filter(v -> v > lower && v <= bound).count();
            assertEquals(expected, classic.getCount(b), "classic bucket le=" + bound);
            assertEquals(bound / 1e9, classic.getUpperBound(b), 0);
        }

        assertTrue(point.hasNativeHistogramData());
        assertEquals(3, point.getNativeSchema());
        assertEquals(HistogramLayout.ZERO_THRESHOLD_SECONDS, point.getNativeZeroThreshold(), 0);
        assertEquals(zero, point.getNativeZeroCount());
        assertTrue(zero > 0, "some durations are in the zero bucket");
        NativeHistogramBuckets positive = point.getNativeBucketsForPositiveValues();
        TreeMap<Integer, Long> served = new TreeMap<>();
        for (int i = 0; i < positive.size(); i++) {
            assertTrue(positive.getCount(i) > 0, "only buckets that counted something are served");
            served.put(positive.getBucketIndex(i), positive.getCount(i));
        }
        assertEquals(byIndex, served);
        assertEquals(0, point.getNativeBucketsForNegativeValues().size());
        assertEquals(nanos.length, point.getCount());
        assertEquals(sum / 1e9, point.getSum(), 1e-6);
    }

    @Test
    void withoutNativeOnlyTheClassicBuckets() {
        HistogramLayout layout = new HistogramLayout(3, BOUNDS);
        long[] slots = new long[layout.slots()];
        slots[layout.slot(2 * MS)] = 5;
        HistogramSnapshot.HistogramDataPointSnapshot point = HistogramPoints.of(layout, slots, 10 * MS, Labels.EMPTY,
                Exemplars.EMPTY, false);
        assertFalse(point.hasNativeHistogramData());
        assertEquals(5, point.getClassicBuckets().getCount(1));
    }

    @Test
    void anEmptyHistogramIsStillNative() {
        HistogramLayout layout = new HistogramLayout(3, BOUNDS);
        HistogramSnapshot.HistogramDataPointSnapshot point = HistogramPoints.of(layout, new long[layout.slots()], 0,
                Labels.EMPTY, Exemplars.EMPTY, true);
        assertTrue(point.hasNativeHistogramData());
        assertEquals(0, point.getCount());
        assertEquals(0, point.getNativeBucketsForPositiveValues().size());
    }

    @Test
    void withoutClassicKeepsNativeBucketsAndLeavesClassicOnlyHistogramsAlone() {
        HistogramLayout layout = new HistogramLayout(3, BOUNDS);
        long[] slots = new long[layout.slots()];
        slots[layout.slot(3 * MS)] = 4;
        slots[layout.slot(300 * MS)] = 2;
        HistogramSnapshot both = HistogramSnapshot.builder().name("agentmon_task_duration_seconds")
                .dataPoint(HistogramPoints.of(layout, slots, 612 * MS, Labels.of("task", "t"), Exemplars.EMPTY, true)).build();
        HistogramSnapshot classicOnly = HistogramSnapshot.builder().name("http_server_requests_seconds")
                .dataPoint(HistogramPoints.of(layout, slots, 612 * MS, Labels.of("uri", "/"), Exemplars.EMPTY, false)).build();

        MetricSnapshots view = HistogramPoints.withoutClassic(new MetricSnapshots(both, classicOnly));

        HistogramSnapshot.HistogramDataPointSnapshot nativeOnly = ((HistogramSnapshot) view.get(0)).getDataPoints().get(0);
        assertTrue(nativeOnly.getClassicBuckets().isEmpty());
        assertTrue(nativeOnly.hasNativeHistogramData());
        assertEquals(6, nativeOnly.getCount());
        assertEquals(0.612, nativeOnly.getSum(), 1e-12);
        assertEquals(Labels.of("task", "t"), nativeOnly.getLabels());
        assertEquals(2, nativeOnly.getNativeBucketsForPositiveValues().size());
        HistogramSnapshot.HistogramDataPointSnapshot kept = ((HistogramSnapshot) view.get(1)).getDataPoints().get(0);
        assertFalse(kept.getClassicBuckets().isEmpty());
        assertEquals(6, kept.getCount());
    }
}

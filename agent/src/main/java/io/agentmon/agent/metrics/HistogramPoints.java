package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.DurationHistogram;
import io.agentmon.bootstrap.HistogramLayout;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One reading of a histogram's slot counters as a Prometheus histogram point in seconds: the
 * classic buckets, and with {@code nativeBuckets} the native ones too, both summed from the same
 * reading so that their counts agree exactly.
 */
public final class HistogramPoints {

    private static final double NANOS_PER_SECOND = 1e9;

    private HistogramPoints() {
    }

    /**
     * The upper bounds, in seconds, of every slot of {@code layout} but the last (which reaches
     * to the range of a long and is treated as +Inf): quantiles interpolate within a slot, at
     * most a ninth of its value wide at schema 3, instead of within a classic bucket.
     */
    public static double[] slotBoundsSeconds(HistogramLayout layout) {
        double[] seconds = new double[layout.slots() - 1];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = layout.slotUpperNanos(i) / NANOS_PER_SECOND;
        }
        return seconds;
    }

    static HistogramSnapshot.HistogramDataPointSnapshot of(DurationHistogram histogram, Labels labels, boolean nativeBuckets) {
        return of(histogram, labels, Exemplars.EMPTY, nativeBuckets);
    }

    /**
     * With exemplars (OpenMetrics and protobuf show them; the classic text format has none).
     * Without native buckets the classic counts are summed straight from the slot counters that
     * exist, with no array per slot of the layout (438 at the default bounds).
     */
    static HistogramSnapshot.HistogramDataPointSnapshot of(DurationHistogram histogram, Labels labels, Exemplars exemplars,
            boolean nativeBuckets) {
        if (nativeBuckets) {
            return of(histogram.layout(), histogram.slotCounts(), histogram.sumNanos(), labels, exemplars, true);
        }
        return point(histogram.layout(), histogram.bucketCounts(), histogram.sumNanos(), labels, exemplars);
    }

    /** {@code slotCounts}: per slot of {@code layout} (several histograms of one layout may be added up first). */
    public static HistogramSnapshot.HistogramDataPointSnapshot of(HistogramLayout layout, long[] slotCounts, long sumNanos,
            Labels labels, Exemplars exemplars, boolean nativeBuckets) {
        HistogramSnapshot.HistogramDataPointSnapshot.Builder point = classic(layout, layout.classicCounts(slotCounts), labels);
        if (nativeBuckets) {
            addNative(point, layout, slotCounts);
        }
        point.sum(sumNanos / NANOS_PER_SECOND).exemplars(exemplars);
        return point.build();
    }

    /** A point with classic buckets only, from per-bucket counts (the last is +Inf). */
    private static HistogramSnapshot.HistogramDataPointSnapshot point(HistogramLayout layout, long[] bucketCounts,
            long sumNanos, Labels labels, Exemplars exemplars) {
        return classic(layout, bucketCounts, labels).sum(sumNanos / NANOS_PER_SECOND).exemplars(exemplars).build();
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot.Builder classic(HistogramLayout layout, long[] bucketCounts,
            Labels labels) {
        // ClassicHistogramBuckets.of copies both arrays: the layout's bounds can be passed as they are.
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(layout.classicBoundsSeconds(), bucketCounts));
    }

    /** Slots summed per native bucket, only the buckets that counted something (native buckets are sparse). */
    private static void addNative(HistogramSnapshot.HistogramDataPointSnapshot.Builder point, HistogramLayout layout,
            long[] slotCounts) {
        long zero = 0;
        int used = 0;
        int[] indexes = new int[slotCounts.length];
        long[] counts = new long[slotCounts.length];
        for (int slot = 0; slot < slotCounts.length; slot++) {
            long count = slotCounts[slot];
            if (count == 0) {
                continue;
            }
            int index = layout.nativeIndex(slot);
            if (index == HistogramLayout.ZERO_BUCKET) {
                zero += count;
            } else if (used > 0 && indexes[used - 1] == index) {
                counts[used - 1] += count; // a native bucket a classic bound splits into two slots
            } else {
                indexes[used] = index;
                counts[used] = count;
                used++;
            }
        }
        point.nativeSchema(layout.schema())
                .nativeZeroThreshold(HistogramLayout.ZERO_THRESHOLD_SECONDS)
                .nativeZeroCount(zero)
                .nativeBucketsForPositiveValues(NativeHistogramBuckets.of(
                        Arrays.copyOf(indexes, used), Arrays.copyOf(counts, used)))
                .nativeBucketsForNegativeValues(NativeHistogramBuckets.EMPTY);
    }

    /**
     * The same snapshots with the classic buckets of every histogram that has native ones left
     * out: what a protobuf scrape carries with {@code agentmon.histograms=native}. Histograms with
     * only classic buckets (Micrometer's) are kept as they are.
     */
    public static MetricSnapshots withoutClassic(MetricSnapshots snapshots) {
        MetricSnapshots.Builder result = MetricSnapshots.builder();
        for (MetricSnapshot snapshot : snapshots) {
            if (!(snapshot instanceof HistogramSnapshot)) {
                result.metricSnapshot(snapshot);
                continue;
            }
            HistogramSnapshot histogram = (HistogramSnapshot) snapshot;
            List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>(histogram.getDataPoints().size());
            for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.getDataPoints()) {
                points.add(point.hasNativeHistogramData() ? nativeOnly(point) : point);
            }
            result.metricSnapshot(new HistogramSnapshot(histogram.isGaugeHistogram(), histogram.getMetadata(), points));
        }
        return result.build();
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot nativeOnly(HistogramSnapshot.HistogramDataPointSnapshot point) {
        return new HistogramSnapshot.HistogramDataPointSnapshot(point.getNativeSchema(), point.getNativeZeroCount(),
                point.getNativeZeroThreshold(), point.getNativeBucketsForPositiveValues(),
                point.getNativeBucketsForNegativeValues(), point.hasSum() ? point.getSum() : Double.NaN, point.getLabels(),
                point.getExemplars(), point.hasCreatedTimestamp() ? point.getCreatedTimestampMillis() : 0L);
    }
}

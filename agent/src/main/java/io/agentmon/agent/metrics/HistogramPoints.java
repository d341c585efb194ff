package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.DurationHistogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/** Nanosecond bucket counts as a Prometheus histogram point in seconds. */
final class HistogramPoints {

    private static final double NANOS_PER_SECOND = 1e9;

    private HistogramPoints() {
    }

    static HistogramSnapshot.HistogramDataPointSnapshot of(DurationHistogram histogram, Labels labels) {
        return of(histogram, labels, Exemplars.EMPTY);
    }

    /** With exemplars (OpenMetrics and protobuf show them; the classic text format has none). */
    static HistogramSnapshot.HistogramDataPointSnapshot of(DurationHistogram histogram, Labels labels, Exemplars exemplars) {
        return of(histogram.boundsNanos(), histogram.bucketCounts(), histogram.sumNanos(), labels, exemplars);
    }

    static HistogramSnapshot.HistogramDataPointSnapshot of(long[] boundsNanos, long[] counts, long sumNanos, Labels labels) {
        return of(boundsNanos, counts, sumNanos, labels, Exemplars.EMPTY);
    }

    /** {@code counts} per bucket (not cumulative), one more than {@code boundsNanos}: the last is +Inf. */
    static HistogramSnapshot.HistogramDataPointSnapshot of(long[] boundsNanos, long[] counts, long sumNanos, Labels labels,
            Exemplars exemplars) {
        double[] bounds = new double[counts.length];
        for (int i = 0; i < boundsNanos.length; i++) {
            bounds[i] = boundsNanos[i] / NANOS_PER_SECOND;
        }
        bounds[counts.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                .sum(sumNanos / NANOS_PER_SECOND)
                .exemplars(exemplars)
                .build();
    }
}

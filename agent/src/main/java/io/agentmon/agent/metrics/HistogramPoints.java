package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.DurationHistogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/** Nanosecond bucket counts as a Prometheus histogram point in seconds. */
final class HistogramPoints {

    private static final double NANOS_PER_SECOND = 1e9;

    private HistogramPoints() {
    }

    static HistogramSnapshot.HistogramDataPointSnapshot of(DurationHistogram histogram, Labels labels) {
        return of(histogram.boundsNanos(), histogram.bucketCounts(), histogram.sumNanos(), labels);
    }

    /** {@code counts} per bucket (not cumulative), one more than {@code boundsNanos}: the last is +Inf. */
    static HistogramSnapshot.HistogramDataPointSnapshot of(long[] boundsNanos, long[] counts, long sumNanos, Labels labels) {
        double[] bounds = new double[counts.length];
        for (int i = 0; i < boundsNanos.length; i++) {
            bounds[i] = boundsNanos[i] / NANOS_PER_SECOND;
        }
        bounds[counts.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                .sum(sumNanos / NANOS_PER_SECOND)
                .build();
    }
}

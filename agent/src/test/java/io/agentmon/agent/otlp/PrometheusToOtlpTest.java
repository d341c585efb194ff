package io.agentmon.agent.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.metrics.HistogramPoints;
import io.agentmon.bootstrap.HistogramLayout;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native buckets become OTLP exponential buckets covering the same ranges with the same counts. */
class PrometheusToOtlpTest {

    private static final long MS = 1_000_000L;
    private final PrometheusToOtlp converter = new PrometheusToOtlp(Resource.empty(),
            InstrumentationScopeInfo.create("agentmon"), 1L);

    private static MetricSnapshots histogram(long[] nanos, boolean nativeBuckets) {
        HistogramLayout layout = new HistogramLayout(3, new long[] {MS, 10 * MS, 100 * MS});
        long[] slots = new long[layout.slots()];
        long sum = 0;
        for (long value : nanos) {
            slots[layout.slot(value)]++;
            sum += value;
        }
        return new MetricSnapshots(HistogramSnapshot.builder().name("agentmon_task_duration_seconds").unit(Unit.SECONDS)
                .dataPoint(HistogramPoints.of(layout, slots, sum, Labels.of("task", "t"), Exemplars.EMPTY, nativeBuckets))
                .build());
    }

    private MetricData convertOne(MetricSnapshots snapshots) {
        List<String> skipped = new ArrayList<>();
        List<MetricData> metrics = converter.convert(snapshots, 2L, skipped);
        assertTrue(skipped.isEmpty(), skipped.toString());
        assertEquals(1, metrics.size());
        return metrics.get(0);
    }

    @Test
    void nativeBucketsAreSentAsAnExponentialHistogram() {
        long[] nanos = {500, 2 * MS, 2 * MS, 2 * MS + 50_000, 40 * MS, 3_000 * MS};
        MetricData metric = convertOne(histogram(nanos, true));
        assertEquals(MetricDataType.EXPONENTIAL_HISTOGRAM, metric.getType());
        ExponentialHistogramPointData point = metric.getExponentialHistogramData().getPoints().iterator().next();
        assertEquals(3, point.getScale());
        assertEquals(nanos.length, point.getCount());
        assertEquals(1, point.getZeroCount(), "500 ns is in the zero bucket");
        ExponentialHistogramBuckets positive = point.getPositiveBuckets();
        long total = 0;
        double base = Math.pow(2, Math.pow(2, -3));
        for (int i = 0; i < positive.getBucketCounts().size(); i++) {
            int index = positive.getOffset() + i;
            double lower = Math.pow(base, index);
            double upper = Math.pow(base, index + 1);
            long expected = 0;
            for (long value : nanos) {
                double seconds = value / 1e9;
                if (value > HistogramLayout.ZERO_THRESHOLD_NANOS && seconds > lower && seconds <= upper) {
                    expected++;
                }
            }
            assertEquals(expected, (long) positive.getBucketCounts().get(i), "OTLP bucket " + index + " (" + lower + ", " + upper + "]");
            total += positive.getBucketCounts().get(i);
        }
        assertEquals(nanos.length - 1, total);
        assertEquals(0, point.getNegativeBuckets().getBucketCounts().size());
        assertEquals(java.util.Arrays.stream(nanos).sum() / 1e9, point.getSum(), 1e-12);
        assertEquals("s", metric.getUnit());
    }

    @Test
    void classicOnlyHistogramsStayExplicitBucketHistograms() {
        MetricData metric = convertOne(histogram(new long[] {2 * MS, 40 * MS}, false));
        assertEquals(MetricDataType.HISTOGRAM, metric.getType());
        HistogramPointData point = metric.getHistogramData().getPoints().iterator().next();
        assertEquals(List.of(0.001, 0.01, 0.1), point.getBoundaries());
        assertEquals(List.of(0L, 1L, 1L, 0L), point.getCounts());
    }
}

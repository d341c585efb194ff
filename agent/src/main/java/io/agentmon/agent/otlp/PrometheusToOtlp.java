package io.agentmon.agent.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One scrape of the Prometheus registry as OTLP metric data, so that a push carries exactly the
 * numbers {@code /metrics} shows. Names stay the Prometheus names (a counter's without
 * {@code _total}, as the snapshot has it; an info metric's with {@code _info}); labels become
 * attributes. Everything is cumulative from the agent's start: the recorders only ever grow,
 * so no state is kept between pushes.
 *
 * <ul>
 *   <li>counter: monotonic cumulative sum</li>
 *   <li>gauge, unknown: gauge</li>
 *   <li>histogram with native buckets (agentmon's, unless {@code agentmon.histograms=classic}):
 *       cumulative exponential histogram</li>
 *   <li>classic histogram: cumulative explicit-bucket histogram (the finite upper bounds, per-bucket
 *       counts, sum and count)</li>
 *   <li>summary: summary (count, sum, quantiles), the OTLP type made for it</li>
 *   <li>info: gauge of value 1 with the info labels, as Prometheus shows it</li>
 *   <li>state set: gauge per state, 1 or 0, the state in an attribute named like the metric</li>
 * </ul>
 */
final class PrometheusToOtlp {

    private static final List<DoubleExemplarData> NO_EXEMPLARS = Collections.emptyList();

    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final long startEpochNanos;

    PrometheusToOtlp(Resource resource, InstrumentationScopeInfo scope, long startEpochNanos) {
        this.resource = resource;
        this.scope = scope;
        this.startEpochNanos = startEpochNanos;
    }

    /**
     * The metrics of one scrape, taken at {@code epochNanos}. A metric that cannot be converted
     * is left out and named in {@code skipped}, so one odd meter cannot stop every push.
     */
    List<MetricData> convert(MetricSnapshots snapshots, long epochNanos, List<String> skipped) {
        List<MetricData> metrics = new ArrayList<>(snapshots.size());
        for (MetricSnapshot snapshot : snapshots) {
            try {
                MetricData metric = convert(snapshot, epochNanos);
                if (metric != null) {
                    metrics.add(metric);
                }
            } catch (RuntimeException e) {
                skipped.add(snapshot.getMetadata().getPrometheusName() + " (" + e + ")");
            }
        }
        return metrics;
    }

    private MetricData convert(MetricSnapshot snapshot, long now) {
        MetricMetadata meta = snapshot.getMetadata();
        String name = meta.getPrometheusName();
        String help = meta.getHelp() == null ? "" : meta.getHelp();
        String unit = unit(meta);
        if (snapshot instanceof CounterSnapshot) {
            List<DoublePointData> points = new ArrayList<>();
            for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) snapshot).getDataPoints()) {
                points.add(DoublePointData.create(startEpochNanos, now, attributes(point.getLabels()), point.getValue(), NO_EXEMPLARS));
            }
            return metric(MetricDataType.DOUBLE_SUM, name, help, unit,
                    SumData.createDoubleSumData(true, AggregationTemporality.CUMULATIVE, points));
        }
        if (snapshot instanceof GaugeSnapshot) {
            List<DoublePointData> points = new ArrayList<>();
            for (GaugeSnapshot.GaugeDataPointSnapshot point : ((GaugeSnapshot) snapshot).getDataPoints()) {
                points.add(DoublePointData.create(startEpochNanos, now, attributes(point.getLabels()), point.getValue(), NO_EXEMPLARS));
            }
            return gauge(name, help, unit, points);
        }
        if (snapshot instanceof UnknownSnapshot) {
            List<DoublePointData> points = new ArrayList<>();
            for (UnknownSnapshot.UnknownDataPointSnapshot point : ((UnknownSnapshot) snapshot).getDataPoints()) {
                points.add(DoublePointData.create(startEpochNanos, now, attributes(point.getLabels()), point.getValue(), NO_EXEMPLARS));
            }
            return gauge(name, help, unit, points);
        }
        if (snapshot instanceof HistogramSnapshot) {
            return histogram((HistogramSnapshot) snapshot, name, help, unit, now);
        }
        if (snapshot instanceof SummarySnapshot) {
            return summary((SummarySnapshot) snapshot, name, help, unit, now);
        }
        if (snapshot instanceof InfoSnapshot) {
            List<DoublePointData> points = new ArrayList<>();
            for (InfoSnapshot.InfoDataPointSnapshot point : ((InfoSnapshot) snapshot).getDataPoints()) {
                points.add(DoublePointData.create(startEpochNanos, now, attributes(point.getLabels()), 1, NO_EXEMPLARS));
            }
            return gauge(name + "_info", help, "", points);
        }
        if (snapshot instanceof StateSetSnapshot) {
            List<DoublePointData> points = new ArrayList<>();
            for (StateSetSnapshot.StateSetDataPointSnapshot point : ((StateSetSnapshot) snapshot).getDataPoints()) {
                for (int i = 0; i < point.size(); i++) {
                    Attributes attributes = attributes(point.getLabels()).toBuilder().put(name, point.getName(i)).build();
                    points.add(DoublePointData.create(startEpochNanos, now, attributes, point.isTrue(i) ? 1 : 0, NO_EXEMPLARS));
                }
            }
            return gauge(name, help, "", points);
        }
        return null; // a snapshot type newer than this code: left out rather than guessed at
    }

    private MetricData metric(MetricDataType type, String name, String help, String unit, Data<?> data) {
        return new PushedMetric(resource, scope, name, help, unit, type, data);
    }

    private MetricData gauge(String name, String help, String unit, List<DoublePointData> points) {
        return metric(MetricDataType.DOUBLE_GAUGE, name, help, unit, GaugeData.createDoubleGaugeData(points));
    }

    private MetricData histogram(HistogramSnapshot snapshot, String name, String help, String unit, long now) {
        if (!snapshot.getDataPoints().isEmpty() && snapshot.getDataPoints().stream().allMatch(
                HistogramSnapshot.HistogramDataPointSnapshot::hasNativeHistogramData)) {
            return exponentialHistogram(snapshot, name, help, unit, now);
        }
        List<HistogramPointData> points = new ArrayList<>();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
            if (!point.hasClassicHistogramData()) {
                continue;
            }
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            // Prometheus's last bucket is +Inf; OTLP leaves it implicit: n bounds, n + 1 counts.
            List<Double> bounds = new ArrayList<>(buckets.size());
            List<Long> counts = new ArrayList<>(buckets.size() + 1);
            for (int i = 0; i < buckets.size(); i++) {
                if (buckets.getUpperBound(i) != Double.POSITIVE_INFINITY) {
                    bounds.add(buckets.getUpperBound(i));
                }
                counts.add(buckets.getCount(i)); // already per bucket, not cumulative
            }
            if (counts.size() == bounds.size()) {
                counts.add(0L); // no +Inf bucket given: nothing lies above the last bound
            }
            double sum = point.hasSum() ? point.getSum() : 0;
            points.add(HistogramPointData.create(startEpochNanos, now, attributes(point.getLabels()),
                    sum, false, 0, false, 0, bounds, counts));
        }
        return metric(MetricDataType.HISTOGRAM, name, help, unit,
                HistogramData.create(AggregationTemporality.CUMULATIVE, points));
    }

    /**
     * Native buckets as an OTLP exponential histogram: the scale is the schema, and OTLP's bucket
     * {@code i} is {@code (base^i, base^(i+1)]} where Prometheus's is {@code (base^(i-1), base^i]},
     * so every index moves down by one. OTLP buckets are dense from an offset, so the gaps between
     * Prometheus's sparse buckets are filled with zeros. The SDK's point has no zero threshold:
     * the zero count is sent with the implied threshold 0, though it holds durations up to the
     * native histogram's threshold (2^-20 s).
     */
    private MetricData exponentialHistogram(HistogramSnapshot snapshot, String name, String help, String unit, long now) {
        List<ExponentialHistogramPointData> points = new ArrayList<>();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
            int scale = point.getNativeSchema();
            points.add(ExponentialHistogramPointData.create(scale, point.hasSum() ? point.getSum() : 0,
                    point.getNativeZeroCount(), false, 0, false, 0,
                    buckets(scale, point.getNativeBucketsForPositiveValues()),
                    buckets(scale, point.getNativeBucketsForNegativeValues()),
                    startEpochNanos, now, attributes(point.getLabels()), Collections.emptyList()));
        }
        return metric(MetricDataType.EXPONENTIAL_HISTOGRAM, name, help, unit,
                ExponentialHistogramData.create(AggregationTemporality.CUMULATIVE, points));
    }

    private static ExponentialHistogramBuckets buckets(int scale, NativeHistogramBuckets sparse) {
        if (sparse.size() == 0) {
            return ExponentialHistogramBuckets.create(scale, 0, Collections.emptyList());
        }
        int first = sparse.getBucketIndex(0);
        int last = sparse.getBucketIndex(sparse.size() - 1);
        List<Long> counts = new ArrayList<>(Collections.nCopies(last - first + 1, 0L));
        for (int i = 0; i < sparse.size(); i++) {
            counts.set(sparse.getBucketIndex(i) - first, sparse.getCount(i));
        }
        return ExponentialHistogramBuckets.create(scale, first - 1, counts);
    }

    private MetricData summary(SummarySnapshot snapshot, String name, String help, String unit, long now) {
        List<SummaryPointData> points = new ArrayList<>();
        for (SummarySnapshot.SummaryDataPointSnapshot point : snapshot.getDataPoints()) {
            List<ValueAtQuantile> quantiles = new ArrayList<>(point.getQuantiles().size());
            for (Quantile quantile : point.getQuantiles()) {
                quantiles.add(ValueAtQuantile.create(quantile.getQuantile(), quantile.getValue()));
            }
            points.add(SummaryPointData.create(startEpochNanos, now, attributes(point.getLabels()),
                    point.hasCount() ? point.getCount() : 0, point.hasSum() ? point.getSum() : 0,
                    quantiles.isEmpty() ? Collections.emptyList() : quantiles));
        }
        return metric(MetricDataType.SUMMARY, name, help, unit, SummaryData.create(points));
    }

    private static Attributes attributes(Labels labels) {
        AttributesBuilder attributes = Attributes.builder();
        for (int i = 0; i < labels.size(); i++) {
            attributes.put(labels.getPrometheusName(i), labels.getValue(i));
        }
        return attributes.build();
    }

    /** The UCUM unit OTLP expects for the Prometheus base units agentmon and Micrometer use. */
    private static String unit(MetricMetadata meta) {
        if (!meta.hasUnit()) {
            return "";
        }
        String unit = meta.getUnit().toString();
        switch (unit) {
            case "seconds": return "s";
            case "bytes": return "By";
            case "ratio": return "1";
            default: return unit;
        }
    }
}

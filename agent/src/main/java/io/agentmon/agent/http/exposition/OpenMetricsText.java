package io.agentmon.agent.http.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.TextFormatUtil;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.IOException;
import java.io.OutputStream;

/**
 * OpenMetrics 1.0 text, what Prometheus asks for first unless it wants native histograms. The
 * same bytes as client_java's {@code OpenMetricsTextFormatWriter} in its default form (exemplars
 * on counters and histogram buckets only, no {@code _created} series) from the same snapshots,
 * written through a {@link TextSink} for the reason {@link PrometheusText} gives.
 */
public final class OpenMetricsText extends TextFormat {

    public static final String CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public OpenMetricsText() {
        super(CONTENT_TYPE, "application/openmetrics-text");
    }

    @Override
    public void write(OutputStream out, MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        TextSink sink = new TextSink(out);
        for (MetricSnapshot raw : TextFormatUtil.mergeDuplicates(snapshots)) {
            MetricSnapshot snapshot = SnapshotEscaper.escapeMetricSnapshot(raw, scheme);
            if (snapshot.getDataPoints().isEmpty()) {
                continue;
            }
            MetricMetadata metadata = snapshot.getMetadata();
            if (snapshot instanceof CounterSnapshot) {
                SeriesStart series = new SeriesStart(sink, ExpositionNames.withSuffix(metadata, "_total", scheme), scheme);
                header(sink, withoutSuffix(series.name, "_total"), "counter", metadata);
                for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) snapshot).getDataPoints()) {
                    series.start(point.getLabels());
                    sink.number(point.getValue());
                    end(sink, point, point.getExemplar(), scheme);
                }
            } else if (snapshot instanceof GaugeSnapshot) {
                SeriesStart series = new SeriesStart(sink, SnapshotEscaper.getMetadataName(metadata, scheme), scheme);
                header(sink, series.name, "gauge", metadata);
                for (GaugeSnapshot.GaugeDataPointSnapshot point : ((GaugeSnapshot) snapshot).getDataPoints()) {
                    series.start(point.getLabels());
                    sink.number(point.getValue());
                    end(sink, point, null, scheme);
                }
            } else if (snapshot instanceof HistogramSnapshot) {
                histogram(sink, (HistogramSnapshot) snapshot, scheme);
            } else if (snapshot instanceof SummarySnapshot) {
                summary(sink, (SummarySnapshot) snapshot, scheme);
            } else if (snapshot instanceof InfoSnapshot) {
                SeriesStart series = new SeriesStart(sink, ExpositionNames.withSuffix(metadata, "_info", scheme), scheme);
                header(sink, withoutSuffix(series.name, "_info"), "info", metadata);
                for (InfoSnapshot.InfoDataPointSnapshot point : ((InfoSnapshot) snapshot).getDataPoints()) {
                    series.start(point.getLabels());
                    sink.ascii('1');
                    end(sink, point, null, scheme);
                }
            } else if (snapshot instanceof StateSetSnapshot) {
                stateSet(sink, (StateSetSnapshot) snapshot, "stateset", scheme);
            } else if (snapshot instanceof UnknownSnapshot) {
                SeriesStart series = new SeriesStart(sink, SnapshotEscaper.getMetadataName(metadata, scheme), scheme);
                header(sink, series.name, "unknown", metadata);
                for (UnknownSnapshot.UnknownDataPointSnapshot point : ((UnknownSnapshot) snapshot).getDataPoints()) {
                    series.start(point.getLabels());
                    sink.number(point.getValue());
                    end(sink, point, null, scheme);
                }
            }
        }
        sink.text("# EOF\n");
        sink.flush();
    }

    /** Buckets with the exemplar that fell in each; count and sum only when both are known. */
    private void histogram(TextSink sink, HistogramSnapshot snapshot, EscapingScheme scheme) throws IOException {
        MetricMetadata metadata = snapshot.getMetadata();
        boolean gauge = snapshot.isGaugeHistogram();
        String name = SnapshotEscaper.getMetadataName(metadata, scheme);
        header(sink, name, gauge ? "gaugehistogram" : "histogram", metadata);
        SeriesStart bucket = new SeriesStart(sink, name + "_bucket", scheme);
        SeriesStart count = new SeriesStart(sink, name + (gauge ? "_gcount" : "_count"), scheme);
        SeriesStart sum = new SeriesStart(sink, name + (gauge ? "_gsum" : "_sum"), scheme);
        for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
            ClassicHistogramBuckets buckets = point.getClassicBuckets().isEmpty()
                    ? ClassicHistogramBuckets.of(new double[] {Double.POSITIVE_INFINITY}, new long[] {point.getCount()})
                    : point.getClassicBuckets();
            Exemplars exemplars = point.getExemplars();
            long cumulative = 0;
            for (int i = 0; i < buckets.size(); i++) {
                cumulative += buckets.getCount(i);
                bucket.start(point.getLabels(), "le", buckets.getUpperBound(i));
                sink.number(cumulative);
                double lower = i == 0 ? Double.NEGATIVE_INFINITY : buckets.getUpperBound(i - 1);
                end(sink, point, exemplars.get(lower, buckets.getUpperBound(i)), scheme);
            }
            if (point.hasCount() && point.hasSum()) {
                count.start(point.getLabels());
                sink.number(point.getCount());
                end(sink, point, null, scheme);
                sum.start(point.getLabels());
                sink.number(point.getSum());
                end(sink, point, null, scheme);
            }
        }
    }

    /** {@code # TYPE}, {@code # UNIT} (when there is a unit) and {@code # HELP} (when there is help), in that order. */
    @Override
    void header(TextSink sink, String name, String type, MetricMetadata metadata) throws IOException {
        boolean quoted = !PrometheusNaming.isValidLegacyMetricName(name);
        sink.text("# TYPE ");
        SeriesStart.name(sink, name, quoted);
        sink.ascii(' ');
        sink.text(type);
        sink.ascii('\n');
        if (metadata.getUnit() != null) {
            sink.text("# UNIT ");
            SeriesStart.name(sink, name, quoted);
            sink.ascii(' ');
            sink.escaped(metadata.getUnit().toString());
            sink.ascii('\n');
        }
        String help = metadata.getHelp();
        if (help != null && !help.isEmpty()) {
            sink.text("# HELP ");
            SeriesStart.name(sink, name, quoted);
            sink.ascii(' ');
            sink.escaped(help);
            sink.ascii('\n');
        }
    }

    private static String withoutSuffix(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }

    @Override
    void end(TextSink sink, DataPointSnapshot point, Exemplar exemplar, EscapingScheme scheme) throws IOException {
        if (point.hasScrapeTimestamp()) {
            sink.ascii(' ');
            seconds(sink, point.getScrapeTimestampMillis());
        }
        if (exemplar != null) {
            sink.text(" # ");
            SeriesStart.labels(sink, exemplar.getLabels(), false, scheme);
            sink.ascii('}');
            sink.ascii(' ');
            sink.number(exemplar.getValue());
            if (exemplar.hasTimestamp()) {
                sink.ascii(' ');
                seconds(sink, exemplar.getTimestampMillis());
            }
        }
        sink.ascii('\n');
    }

    /** A timestamp in seconds with three decimals, as client_java writes it (whole seconds, a point, the milliseconds). */
    private static void seconds(TextSink sink, long millis) throws IOException {
        sink.number(millis / 1000L);
        sink.ascii('.');
        long ms = millis % 1000;
        if (ms < 100) {
            sink.ascii('0');
        }
        if (ms < 10) {
            sink.ascii('0');
        }
        sink.number(ms);
    }
}

package io.agentmon.agent.http.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.TextFormatUtil;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
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
 * The Prometheus text format, version 0.0.4: what a scrape gets unless it asks for OpenMetrics
 * or protobuf. The same bytes as client_java's {@code PrometheusTextFormatWriter} from the same
 * snapshots (same names, suffixes, escaping and number forms, families of one name merged), but
 * written through a {@link TextSink} rather than a locked {@code BufferedWriter} per character
 * run: that writer was 80 % of agentmon's scrape at 150 task series, and the same writer is
 * Micrometer's (issue 12). Left out, as client_java leaves them out by default: the
 * {@code _created} series, which this format has no type for.
 */
public final class PrometheusText extends TextFormat {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    public PrometheusText() {
        super(CONTENT_TYPE, "text/plain");
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
                header(sink, series.name, "counter", metadata);
                for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) snapshot).getDataPoints()) {
                    series.start(point.getLabels());
                    sink.number(point.getValue());
                    end(sink, point, null, scheme);
                }
            } else if (snapshot instanceof GaugeSnapshot) {
                SeriesStart series = new SeriesStart(sink,
                        SnapshotEscaper.getLegacyGaugeName(metadata, raw.getMetadata().getOriginalName(), scheme), scheme);
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
                header(sink, series.name, "gauge", metadata);
                for (InfoSnapshot.InfoDataPointSnapshot point : ((InfoSnapshot) snapshot).getDataPoints()) {
                    series.start(point.getLabels());
                    sink.ascii('1');
                    end(sink, point, null, scheme);
                }
            } else if (snapshot instanceof StateSetSnapshot) {
                stateSet(sink, (StateSetSnapshot) snapshot, "gauge", scheme);
            } else if (snapshot instanceof UnknownSnapshot) {
                SeriesStart series = new SeriesStart(sink, SnapshotEscaper.getMetadataName(metadata, scheme), scheme);
                header(sink, series.name, "untyped", metadata);
                for (UnknownSnapshot.UnknownDataPointSnapshot point : ((UnknownSnapshot) snapshot).getDataPoints()) {
                    series.start(point.getLabels());
                    sink.number(point.getValue());
                    end(sink, point, null, scheme);
                }
            }
        }
        sink.flush();
    }

    private void histogram(TextSink sink, HistogramSnapshot snapshot, EscapingScheme scheme) throws IOException {
        MetricMetadata metadata = snapshot.getMetadata();
        String name = SnapshotEscaper.getMetadataName(metadata, scheme);
        header(sink, name, "histogram", metadata);
        SeriesStart bucket = new SeriesStart(sink, name + "_bucket", scheme);
        SeriesStart count = new SeriesStart(sink, name + "_count", scheme);
        SeriesStart sum = new SeriesStart(sink, name + "_sum", scheme);
        boolean gauge = snapshot.isGaugeHistogram();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
            ClassicHistogramBuckets buckets = point.getClassicBuckets().isEmpty()
                    ? ClassicHistogramBuckets.of(new double[] {Double.POSITIVE_INFINITY}, new long[] {point.getCount()})
                    : point.getClassicBuckets();
            long cumulative = 0;
            for (int i = 0; i < buckets.size(); i++) {
                cumulative += buckets.getCount(i);
                bucket.start(point.getLabels(), "le", buckets.getUpperBound(i));
                sink.number(cumulative);
                end(sink, point, null, scheme);
            }
            if (!gauge && point.hasCount()) {
                count.start(point.getLabels());
                sink.number(point.getCount());
                end(sink, point, null, scheme);
            }
            if (!gauge && point.hasSum()) {
                sum.start(point.getLabels());
                sink.number(point.getSum());
                end(sink, point, null, scheme);
            }
        }
        if (gauge) {
            // This format has no gauge histogram count and sum: they go as two gauges.
            SeriesStart gaugeCount = new SeriesStart(sink, name + "_gcount", scheme);
            SeriesStart gaugeSum = new SeriesStart(sink, name + "_gsum", scheme);
            boolean headed = false;
            for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
                if (point.hasCount()) {
                    if (!headed) {
                        header(sink, gaugeCount.name, "gauge", metadata);
                        headed = true;
                    }
                    gaugeCount.start(point.getLabels());
                    sink.number(point.getCount());
                    end(sink, point, null, scheme);
                }
            }
            headed = false;
            for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
                if (point.hasSum()) {
                    if (!headed) {
                        header(sink, gaugeSum.name, "gauge", metadata);
                        headed = true;
                    }
                    gaugeSum.start(point.getLabels());
                    sink.number(point.getSum());
                    end(sink, point, null, scheme);
                }
            }
        }
    }

    /** {@code # HELP} (when there is help) and {@code # TYPE}. */
    @Override
    void header(TextSink sink, String name, String type, MetricMetadata metadata) throws IOException {
        boolean quoted = !PrometheusNaming.isValidLegacyMetricName(name);
        String help = metadata.getHelp();
        if (help != null && !help.isEmpty()) {
            sink.text("# HELP ");
            SeriesStart.name(sink, name, quoted);
            sink.ascii(' ');
            sink.escapedHelp(help);
            sink.ascii('\n');
        }
        sink.text("# TYPE ");
        SeriesStart.name(sink, name, quoted);
        sink.ascii(' ');
        sink.text(type);
        sink.ascii('\n');
    }

    /** The series' optional scrape timestamp and its line's end: this format has no exemplars. */
    @Override
    void end(TextSink sink, DataPointSnapshot point, Exemplar exemplar, EscapingScheme scheme) throws IOException {
        if (point.hasScrapeTimestamp()) {
            sink.ascii(' ');
            sink.number(point.getScrapeTimestampMillis());
        }
        sink.ascii('\n');
    }
}

package io.agentmon.agent.http.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.IOException;

/**
 * What agentmon's two text writers share: the {@code Accept} test, and the families whose lines
 * differ between the formats only in the header and the line's end (summaries, state sets).
 * Each format writes its own header (which lines, in which order, how help is escaped) and line
 * end (the timestamp's unit, an exemplar).
 */
abstract class TextFormat implements ExpositionFormatWriter {

    private final String contentType;
    private final String acceptedType;

    /** {@code acceptedType}: the media type an {@code Accept} header must name, as client_java's writer tests it. */
    TextFormat(String contentType, String acceptedType) {
        this.contentType = contentType;
        this.acceptedType = acceptedType;
    }

    @Override
    public final boolean accepts(String acceptHeader) {
        return acceptHeader != null && acceptHeader.contains(acceptedType);
    }

    @Override
    public final String getContentType() {
        return contentType;
    }

    /** A family's metadata lines. */
    abstract void header(TextSink sink, String name, String type, MetricMetadata metadata) throws IOException;

    /** The line's optional scrape timestamp and exemplar (null for none), and its end. */
    abstract void end(TextSink sink, DataPointSnapshot point, Exemplar exemplar, EscapingScheme scheme) throws IOException;

    /** Points with nothing in them are left out, and the family's header with them when all are. */
    final void summary(TextSink sink, SummarySnapshot snapshot, EscapingScheme scheme) throws IOException {
        MetricMetadata metadata = snapshot.getMetadata();
        SeriesStart quantiles = new SeriesStart(sink, SnapshotEscaper.getMetadataName(metadata, scheme), scheme);
        SeriesStart count = new SeriesStart(sink, quantiles.name + "_count", scheme);
        SeriesStart sum = new SeriesStart(sink, quantiles.name + "_sum", scheme);
        boolean headed = false;
        for (SummarySnapshot.SummaryDataPointSnapshot point : snapshot.getDataPoints()) {
            if (point.getQuantiles().size() == 0 && !point.hasCount() && !point.hasSum()) {
                continue;
            }
            if (!headed) {
                header(sink, quantiles.name, "summary", metadata);
                headed = true;
            }
            for (Quantile quantile : point.getQuantiles()) {
                quantiles.start(point.getLabels(), "quantile", quantile.getQuantile());
                sink.number(quantile.getValue());
                end(sink, point, null, scheme);
            }
            if (point.hasCount()) {
                count.start(point.getLabels());
                sink.number(point.getCount());
                end(sink, point, null, scheme);
            }
            if (point.hasSum()) {
                sum.start(point.getLabels());
                sink.number(point.getSum());
                end(sink, point, null, scheme);
            }
        }
    }

    /** One series per state, the state's name as a label named like the family ({@link SeriesStart#stateSetLine}). */
    final void stateSet(TextSink sink, StateSetSnapshot snapshot, String type, EscapingScheme scheme) throws IOException {
        String name = SnapshotEscaper.getMetadataName(snapshot.getMetadata(), scheme);
        header(sink, name, type, snapshot.getMetadata());
        for (StateSetSnapshot.StateSetDataPointSnapshot point : snapshot.getDataPoints()) {
            for (int i = 0; i < point.size(); i++) {
                SeriesStart.stateSetLine(sink, name, point.getLabels(), point.getName(i), scheme);
                sink.ascii(point.isTrue(i) ? '1' : '0');
                end(sink, point, null, scheme);
            }
        }
    }
}

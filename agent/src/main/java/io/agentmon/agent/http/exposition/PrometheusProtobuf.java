package io.agentmon.agent.http.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.TextFormatUtil;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The Prometheus protobuf exposition format ({@code io.prometheus.client.MetricFamily}, length
 * delimited), the one format that carries native histograms, written straight onto the wire.
 *
 * <p>client_java writes it through protobuf-java's generated classes, and brings a shaded
 * protobuf runtime for that: 1.4 MB of agentmon.jar for nine small messages (issue 12). This
 * writes the same bytes from the same snapshots, field for field in field-number order, with
 * proto2's presence rules (a field that is set is written, even when zero) and proto3's for the
 * {@code Timestamp} (zero fields left out). One difference: a family left with no series, a
 * summary whose every point is empty, is not written at all, where client_java writes an empty
 * message that has no name.
 */
public final class PrometheusProtobuf implements ExpositionFormatWriter {

    public static final String CONTENT_TYPE =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    // metrics.proto: MetricType
    private static final int COUNTER = 0;
    private static final int GAUGE = 1;
    private static final int SUMMARY = 2;
    private static final int UNTYPED = 3;
    private static final int HISTOGRAM = 4;
    private static final int GAUGE_HISTOGRAM = 5;

    @Override
    public boolean accepts(String acceptHeader) {
        return acceptHeader != null
                && acceptHeader.contains("application/vnd.google.protobuf")
                && acceptHeader.contains("proto=io.prometheus.client.MetricFamily");
    }

    @Override
    public String getContentType() {
        return CONTENT_TYPE;
    }

    @Override
    public void write(OutputStream out, MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        ProtobufWire wire = new ProtobufWire(4096);
        NativeSpans spans = new NativeSpans();
        for (MetricSnapshot raw : TextFormatUtil.mergeDuplicates(snapshots)) {
            MetricSnapshot snapshot = SnapshotEscaper.escapeMetricSnapshot(raw, scheme);
            wire.reset();
            if (family(wire, spans, snapshot, raw.getMetadata().getOriginalName(), scheme)) {
                wire.writeDelimitedTo(out);
            }
        }
    }

    /** MetricFamily: name 1, help 2, type 3, metric 4. False when it would hold no series. */
    private static boolean family(ProtobufWire wire, NativeSpans spans, MetricSnapshot snapshot,
            String rawOriginalName, EscapingScheme scheme) {
        if (!hasSeries(snapshot)) {
            return false;
        }
        MetricMetadata metadata = snapshot.getMetadata();
        String name;
        int type;
        if (snapshot instanceof CounterSnapshot) {
            name = ExpositionNames.withSuffix(metadata, "_total", scheme);
            type = COUNTER;
        } else if (snapshot instanceof GaugeSnapshot) {
            name = SnapshotEscaper.getLegacyGaugeName(metadata, rawOriginalName, scheme);
            type = GAUGE;
        } else if (snapshot instanceof HistogramSnapshot) {
            name = SnapshotEscaper.getMetadataName(metadata, scheme);
            type = ((HistogramSnapshot) snapshot).isGaugeHistogram() ? GAUGE_HISTOGRAM : HISTOGRAM;
        } else if (snapshot instanceof SummarySnapshot) {
            name = SnapshotEscaper.getMetadataName(metadata, scheme);
            type = SUMMARY;
        } else if (snapshot instanceof InfoSnapshot) {
            name = ExpositionNames.withSuffix(metadata, "_info", scheme);
            type = GAUGE;
        } else if (snapshot instanceof StateSetSnapshot) {
            name = SnapshotEscaper.getMetadataName(metadata, scheme);
            type = GAUGE;
        } else if (snapshot instanceof UnknownSnapshot) {
            name = SnapshotEscaper.getMetadataName(metadata, scheme);
            type = UNTYPED;
        } else {
            return false;
        }
        wire.stringField(1, name);
        if (metadata.getHelp() != null) {
            wire.stringField(2, metadata.getHelp());
        }
        wire.varintField(3, type);
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
            if (point instanceof SummarySnapshot.SummaryDataPointSnapshot && isEmpty((SummarySnapshot.SummaryDataPointSnapshot) point)) {
                continue;
            }
            if (point instanceof StateSetSnapshot.StateSetDataPointSnapshot) {
                StateSetSnapshot.StateSetDataPointSnapshot states = (StateSetSnapshot.StateSetDataPointSnapshot) point;
                for (int i = 0; i < states.size(); i++) {
                    state(wire, states, metadata.getPrometheusName(), i, scheme);
                }
            } else {
                int metric = wire.begin();
                labels(wire, 1, point.getLabels(), scheme);
                value(wire, spans, point, scheme);
                wire.end(4, metric);
            }
        }
        return true;
    }

    private static boolean hasSeries(MetricSnapshot snapshot) {
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
            if (point instanceof SummarySnapshot.SummaryDataPointSnapshot) {
                if (!isEmpty((SummarySnapshot.SummaryDataPointSnapshot) point)) {
                    return true;
                }
            } else if (!(point instanceof StateSetSnapshot.StateSetDataPointSnapshot)
                    || ((StateSetSnapshot.StateSetDataPointSnapshot) point).size() > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmpty(SummarySnapshot.SummaryDataPointSnapshot point) {
        return !point.hasCount() && !point.hasSum() && point.getQuantiles().size() == 0;
    }

    /**
     * One Metric's value, after its labels: gauge 2, counter 3, summary 4, untyped 5,
     * timestamp_ms 6, histogram 7 (so a histogram's timestamp comes before it).
     */
    private static void value(ProtobufWire wire, NativeSpans spans, DataPointSnapshot point, EscapingScheme scheme) {
        if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
            CounterSnapshot.CounterDataPointSnapshot counter = (CounterSnapshot.CounterDataPointSnapshot) point;
            int message = wire.begin();
            wire.doubleField(1, counter.getValue());
            if (counter.getExemplar() != null) {
                exemplar(wire, 2, counter.getExemplar(), scheme);
            }
            if (counter.hasCreatedTimestamp()) {
                timestamp(wire, 3, counter.getCreatedTimestampMillis());
            }
            wire.end(3, message);
            scrapeTimestamp(wire, point);
        } else if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
            doubleMessage(wire, 2, ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue());
            scrapeTimestamp(wire, point);
        } else if (point instanceof InfoSnapshot.InfoDataPointSnapshot) {
            doubleMessage(wire, 2, 1);
            scrapeTimestamp(wire, point);
        } else if (point instanceof UnknownSnapshot.UnknownDataPointSnapshot) {
            // No timestamp, as client_java writes it.
            doubleMessage(wire, 5, ((UnknownSnapshot.UnknownDataPointSnapshot) point).getValue());
        } else if (point instanceof SummarySnapshot.SummaryDataPointSnapshot) {
            summary(wire, (SummarySnapshot.SummaryDataPointSnapshot) point);
            scrapeTimestamp(wire, point);
        } else if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot) {
            scrapeTimestamp(wire, point);
            histogram(wire, spans, (HistogramSnapshot.HistogramDataPointSnapshot) point, scheme);
        }
    }

    /** One state of a state set: a gauge of 1 or 0, with the state as one more label. */
    private static void state(ProtobufWire wire, StateSetSnapshot.StateSetDataPointSnapshot states, String name,
            int i, EscapingScheme scheme) {
        int metric = wire.begin();
        labels(wire, 1, states.getLabels(), scheme);
        label(wire, 1, name, states.getName(i));
        doubleMessage(wire, 2, states.isTrue(i) ? 1 : 0);
        scrapeTimestamp(wire, states);
        wire.end(4, metric);
    }

    /** Summary: sample_count 1, sample_sum 2, quantile 3 (quantile 1, value 2). */
    private static void summary(ProtobufWire wire, SummarySnapshot.SummaryDataPointSnapshot point) {
        int message = wire.begin();
        if (point.hasCount()) {
            wire.varintField(1, point.getCount());
        }
        if (point.hasSum()) {
            wire.doubleField(2, point.getSum());
        }
        Quantiles quantiles = point.getQuantiles();
        for (int i = 0; i < quantiles.size(); i++) {
            int quantile = wire.begin();
            wire.doubleField(1, quantiles.get(i).getQuantile());
            wire.doubleField(2, quantiles.get(i).getValue());
            wire.end(3, quantile);
        }
        wire.end(4, message);
    }

    /**
     * Histogram: sample_count 1, sample_sum 2, bucket 3 (cumulative_count 1, upper_bound 2,
     * exemplar 3), schema 5, zero_threshold 6, zero_count 7, negative_span 9, negative_delta 10,
     * positive_span 12, positive_delta 13.
     */
    private static void histogram(ProtobufWire wire, NativeSpans spans, HistogramSnapshot.HistogramDataPointSnapshot point,
            EscapingScheme scheme) {
        int message = wire.begin();
        if (point.hasCount()) {
            wire.varintField(1, point.getCount());
        }
        if (point.hasSum()) {
            wire.doubleField(2, point.getSum());
        }
        if (point.hasClassicHistogramData()) {
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            double lower = Double.NEGATIVE_INFINITY;
            long cumulative = 0;
            for (int i = 0; i < buckets.size(); i++) {
                cumulative += buckets.getCount(i);
                double upper = buckets.getUpperBound(i);
                bucket(wire, cumulative, upper, point.getExemplars().get(lower, upper), scheme);
                lower = upper;
            }
        } else if (point.hasNativeHistogramData() && point.getExemplars().getLatest() != null) {
            // Native only: one +Inf bucket, there to carry the exemplar.
            bucket(wire, nativeCount(point), Double.POSITIVE_INFINITY, point.getExemplars().getLatest(), scheme);
        }
        if (point.hasNativeHistogramData()) {
            wire.sint32Field(5, point.getNativeSchema());
            wire.doubleField(6, point.getNativeZeroThreshold());
            wire.varintField(7, point.getNativeZeroCount());
            spans.write(wire, point.getNativeBucketsForNegativeValues(), 9, 10);
            spans.write(wire, point.getNativeBucketsForPositiveValues(), 12, 13);
        }
        wire.end(7, message);
    }

    private static void bucket(ProtobufWire wire, long cumulative, double upperBound, Exemplar exemplar, EscapingScheme scheme) {
        int bucket = wire.begin();
        wire.varintField(1, cumulative);
        wire.doubleField(2, upperBound);
        if (exemplar != null) {
            exemplar(wire, 3, exemplar, scheme);
        }
        wire.end(3, bucket);
    }

    private static long nativeCount(HistogramSnapshot.HistogramDataPointSnapshot point) {
        if (point.hasCount()) {
            return point.getCount();
        }
        long count = point.getNativeZeroCount();
        NativeHistogramBuckets positive = point.getNativeBucketsForPositiveValues();
        for (int i = 0; i < positive.size(); i++) {
            count += positive.getCount(i);
        }
        NativeHistogramBuckets negative = point.getNativeBucketsForNegativeValues();
        for (int i = 0; i < negative.size(); i++) {
            count += negative.getCount(i);
        }
        return count;
    }

    /** Exemplar: label 1, value 2, timestamp 3. */
    private static void exemplar(ProtobufWire wire, int field, Exemplar exemplar, EscapingScheme scheme) {
        int message = wire.begin();
        labels(wire, 1, exemplar.getLabels(), scheme);
        wire.doubleField(2, exemplar.getValue());
        if (exemplar.hasTimestamp()) {
            timestamp(wire, 3, exemplar.getTimestampMillis());
        }
        wire.end(field, message);
    }

    /** google.protobuf.Timestamp (proto3: zero fields are left out): seconds 1, nanos 2. */
    private static void timestamp(ProtobufWire wire, int field, long millis) {
        int message = wire.begin();
        long seconds = millis / 1000L;
        int nanos = (int) (millis % 1000L * 1_000_000L);
        if (seconds != 0) {
            wire.varintField(1, seconds);
        }
        if (nanos != 0) {
            wire.varintField(2, nanos); // int32: a negative one as ten bytes, as protobuf writes it
        }
        wire.end(field, message);
    }

    private static void labels(ProtobufWire wire, int field, Labels labels, EscapingScheme scheme) {
        for (int i = 0; i < labels.size(); i++) {
            label(wire, field, SnapshotEscaper.getSnapshotLabelName(labels, i, scheme), labels.getValue(i));
        }
    }

    /** LabelPair: name 1, value 2. */
    private static void label(ProtobufWire wire, int field, String name, String value) {
        int pair = wire.begin();
        wire.stringField(1, name);
        wire.stringField(2, value);
        wire.end(field, pair);
    }

    /** A Gauge or Untyped: value 1. */
    private static void doubleMessage(ProtobufWire wire, int field, double value) {
        int message = wire.begin();
        wire.doubleField(1, value);
        wire.end(field, message);
    }

    private static void scrapeTimestamp(ProtobufWire wire, DataPointSnapshot point) {
        if (point.hasScrapeTimestamp()) {
            wire.varintField(6, point.getScrapeTimestampMillis());
        }
    }
}

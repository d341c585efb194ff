package io.agentmon.agent.http.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;
import java.io.IOException;

/**
 * The start of each line of one series name in a text format, up to its value: the name (inside
 * the braces and quoted when it is not a legacy name) and the labels, as client_java's text
 * writers put them. Whether the name needs quoting is decided once per family, not per line.
 */
final class SeriesStart {

    final String name;
    private final boolean quoted;
    private final TextSink sink;
    private final EscapingScheme scheme;

    SeriesStart(TextSink sink, String name, EscapingScheme scheme) {
        this.sink = sink;
        this.name = name;
        this.quoted = !PrometheusNaming.isValidLegacyMetricName(name);
        this.scheme = scheme;
    }

    void start(Labels labels) throws IOException {
        start(labels, null, 0);
    }

    /** With one more label after the others ({@code le}, {@code quantile}), whose value is a number. */
    void start(Labels labels, String extraName, double extraValue) throws IOException {
        if (quoted) {
            sink.ascii('{');
        }
        name(sink, name, quoted);
        if (!labels.isEmpty() || extraName != null) {
            labels(sink, labels, quoted, scheme);
            if (extraName != null) {
                if (!labels.isEmpty() || quoted) {
                    sink.ascii(',');
                }
                sink.text(extraName);
                sink.ascii('=');
                sink.ascii('"');
                sink.number(extraValue);
                sink.ascii('"');
            }
            sink.ascii('}');
        } else if (quoted) {
            sink.ascii('}');
        }
        sink.ascii(' ');
    }

    /**
     * The labels, without the closing brace: opened with one unless a quoted name opened it
     * already (then each label, the first too, follows a comma).
     */
    static void labels(TextSink sink, Labels labels, boolean opened, EscapingScheme scheme) throws IOException {
        if (!opened) {
            sink.ascii('{');
        }
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0 || opened) {
                sink.ascii(',');
            }
            String label = SnapshotEscaper.getSnapshotLabelName(labels, i, scheme);
            name(sink, label, !PrometheusNaming.isValidLegacyLabelName(label));
            sink.ascii('=');
            sink.ascii('"');
            sink.escaped(labels.getValue(i));
            sink.ascii('"');
        }
    }

    /**
     * The start of a state set's line for one state, up to its value: the family's name, the
     * point's labels and the state as a label named like the family. As client_java writes it:
     * names as they are, never quoted, whatever the escaping.
     */
    static void stateSetLine(TextSink sink, String name, Labels labels, String state, EscapingScheme scheme) throws IOException {
        sink.text(name);
        sink.ascii('{');
        for (int j = 0; j < labels.size(); j++) {
            if (j > 0) {
                sink.ascii(',');
            }
            sink.text(SnapshotEscaper.getSnapshotLabelName(labels, j, scheme));
            sink.ascii('=');
            sink.ascii('"');
            sink.escaped(labels.getValue(j));
            sink.ascii('"');
        }
        if (!labels.isEmpty()) {
            sink.ascii(',');
        }
        sink.text(name);
        sink.ascii('=');
        sink.ascii('"');
        sink.escaped(state);
        sink.ascii('"');
        sink.ascii('}');
        sink.ascii(' ');
    }

    /** A metric or label name, quoted and escaped when it is not a legacy name. */
    static void name(TextSink sink, String name, boolean quoted) throws IOException {
        if (quoted) {
            sink.ascii('"');
            sink.escaped(name);
            sink.ascii('"');
        } else {
            sink.text(name);
        }
    }
}

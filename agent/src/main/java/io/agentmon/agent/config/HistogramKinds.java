package io.agentmon.agent.config;

import java.util.Locale;

/**
 * Which views of its histograms agentmon serves ({@code agentmon.histograms}). Both views are
 * sums of the same slot counters, so they always agree; the choice only decides what a scrape
 * carries. Text and OpenMetrics scrapes cannot carry native buckets and always get the classic
 * ones; the choice matters to protobuf scrapes and the OTLP metrics push.
 */
public enum HistogramKinds {
    /** Classic buckets only, in every format; the OTLP push sends explicit-bucket histograms. */
    CLASSIC,
    /** Protobuf scrapes get native buckets only (smaller); the OTLP push sends exponential histograms. */
    NATIVE,
    /** Protobuf scrapes get native buckets with the classic ones beside them; the OTLP push sends exponential histograms. */
    BOTH;

    /** Whether histogram snapshots carry native buckets at all. */
    public boolean nativeBuckets() {
        return this != CLASSIC;
    }

    /** Whether a protobuf scrape carries the classic buckets. */
    public boolean classicInProtobuf() {
        return this != NATIVE;
    }

    static HistogramKinds parse(String text) {
        for (HistogramKinds kinds : values()) {
            if (kinds.name().toLowerCase(Locale.ROOT).equals(text.trim().toLowerCase(Locale.ROOT))) {
                return kinds;
            }
        }
        return null;
    }
}

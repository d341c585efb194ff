package io.agentmon.agent.metrics;

import java.util.function.Supplier;

/**
 * Whether the scrape being collected on this thread can carry native histogram buckets. A
 * collector is not told the format of the scrape it serves; the endpoint says so here around a
 * text scrape, so that histograms skip building native buckets the text writer would drop (a
 * quarter of what a text scrape allocated, JFR at 10k series). Any other reading of the
 * registry (the OTLP push, a protobuf scrape) gets them as {@code agentmon.histograms} says.
 *
 * <p>Threading: per thread; the endpoint's and the push's threads each see only their own.
 */
public final class ScrapeFormat {

    private static final ThreadLocal<Boolean> TEXT = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private ScrapeFormat() {
    }

    /** Runs {@code scrape} as a text scrape: collectors on this thread leave native buckets out. */
    public static <T> T asText(Supplier<T> scrape) {
        TEXT.set(Boolean.TRUE);
        try {
            return scrape.get();
        } finally {
            TEXT.set(Boolean.FALSE);
        }
    }

    /** Whether a histogram collected now should carry native buckets, given that the configuration wants them. */
    public static boolean nativeBuckets(boolean configured) {
        return configured && !TEXT.get();
    }
}

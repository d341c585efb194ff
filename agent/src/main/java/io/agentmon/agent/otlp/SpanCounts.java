package io.agentmon.agent.otlp;

import io.agentmon.bootstrap.SpanRing;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of sampled task spans, for {@code agentmon_dropped_total{what="spans"}} and
 * {@code agentmon_spans_exported_total}. Kept apart from {@link SpanExport} so that reading
 * them never loads the OpenTelemetry SDK.
 */
public final class SpanCounts {

    static final AtomicLong EXPORTED = new AtomicLong();
    static final AtomicLong FAILED = new AtomicLong();

    private SpanCounts() {
    }

    /** Spans the collector accepted. */
    public static long exported() {
        return EXPORTED.get();
    }

    /** Spans lost: the ring was full, or the exporter gave up on their batch. */
    public static long dropped() {
        return SpanRing.dropped() + FAILED.get();
    }
}

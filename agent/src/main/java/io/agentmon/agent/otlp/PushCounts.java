package io.agentmon.agent.otlp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Metric pushes the OTLP collector did not take, for {@code agentmon_dropped_total{what="metric_pushes"}}.
 * Kept apart from {@link MetricsPush} so that reading it never loads the OpenTelemetry SDK.
 */
public final class PushCounts {

    static final AtomicLong FAILED = new AtomicLong();

    private PushCounts() {
    }

    /** Pushes that failed: refused, unanswered, or not even built. Each is superseded by the next (cumulative). */
    public static long failed() {
        return FAILED.get();
    }
}

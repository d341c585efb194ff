package io.agentmon.agent.metrics;

import io.prometheus.metrics.model.snapshots.Exemplars;

/**
 * Where the task histogram's exemplars come from: the span exporter's record of the spans the
 * collector accepted (package {@code otlp}), handed in by startup so that this package reads
 * exemplars without depending on the exporter. {@link #NONE} without tracing.
 */
public interface SpanExemplars {

    SpanExemplars NONE = (probeId, outcome, buckets) -> Exemplars.EMPTY;

    /**
     * The exemplars of one task's histogram of one {@link io.agentmon.bootstrap.Outcome}, over
     * its {@code buckets} classic buckets ({@code +Inf} included); empty when none. Called at
     * scrape time, from any agent thread.
     */
    Exemplars of(int probeId, int outcome, int buckets);
}

package io.agentmon.agent.metrics;

import java.util.function.LongSupplier;

/**
 * What the agent's exporters count about themselves, for {@code agentmon_dropped_total} and
 * {@code agentmon_spans_exported_total}: the live feed ({@code live}) and OTLP ({@code otlp})
 * keep these, and startup hands their readers to {@link AgentSelfCollector}, so that this
 * package reads them without depending on either. Each supplier is a plain read, from any agent
 * thread.
 */
public final class ExporterCounts {

    final LongSupplier liveEventsDropped;
    final LongSupplier spansDropped;
    final LongSupplier spansExported;
    final LongSupplier metricPushesFailed;

    /**
     * @param liveEventsDropped live events lost to {@code /events} clients (event ring full, or a slow client's own queue full)
     * @param spansDropped sampled task spans not exported (span ring full, or the collector refused or did not answer)
     * @param spansExported task spans the OTLP collector accepted
     * @param metricPushesFailed OTLP metric pushes the collector refused or did not answer
     */
    public ExporterCounts(LongSupplier liveEventsDropped, LongSupplier spansDropped, LongSupplier spansExported,
            LongSupplier metricPushesFailed) {
        this.liveEventsDropped = liveEventsDropped;
        this.spansDropped = spansDropped;
        this.spansExported = spansExported;
        this.metricPushesFailed = metricPushesFailed;
    }
}

package io.agentmon.agent.metrics;

/**
 * What the agent's exporters count about themselves, for {@code agentmon_dropped_total} and
 * {@code agentmon_spans_exported_total}: the live feed ({@code live}) and OTLP ({@code otlp})
 * keep these, and startup hands them to {@link AgentSelfCollector}, so that this package reads
 * them without depending on either. Every method is a plain read, from any agent thread.
 */
public interface ExporterCounts {

    /** Live events lost to {@code /events} clients (event ring full, or a slow client's own queue full). */
    long liveEventsDropped();

    /** Sampled task spans not exported (span ring full, or the collector refused or did not answer). */
    long spansDropped();

    /** Task spans the OTLP collector accepted. */
    long spansExported();

    /** OTLP metric pushes the collector refused or did not answer. */
    long metricPushesFailed();
}

package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.Containers;
import io.agentmon.bootstrap.ExecutorRegistry;
import io.agentmon.bootstrap.InFlight;
import io.agentmon.bootstrap.KafkaConsumers;
import io.agentmon.bootstrap.KafkaRecords;
import io.agentmon.bootstrap.QueueWaits;
import io.agentmon.bootstrap.SeriesBudget;
import io.agentmon.bootstrap.Traces;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** agentmon about itself: {@code agentmon_info}, and {@code agentmon_dropped_total} for every bounded table. */
public final class AgentSelfCollector implements MultiCollector {

    private final String service;
    private final String version;
    private final ExporterCounts exporters;

    public AgentSelfCollector(String service, String version, ExporterCounts exporters) {
        this.service = service;
        this.version = version;
        this.exporters = exporters;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot dropped = CounterSnapshot.builder()
                .name("agentmon_dropped")
                // Sent with every scrape, so short: README's metrics table says what each value counts.
                .help("What agentmon could not record because a bounded table was full, by what (agentmon README, Metric reference).")
                .dataPoint(point(SeriesBudget.foldedLabels(), "series"))
                .dataPoint(point(InFlight.overflows(), "inflight"))
                .dataPoint(point(ExecutorRegistry.refused(), "executors"))
                .dataPoint(point(QueueWaits.dropped(), "queue_wait"))
                .dataPoint(point(Containers.overflows(), "containers"))
                .dataPoint(point(exporters.liveEventsDropped.getAsLong(), "events"))
                .dataPoint(point(exporters.spansDropped.getAsLong(), "spans"))
                .dataPoint(point(Traces.handoffOverflows(), "trace_context"))
                .dataPoint(point(exporters.metricPushesFailed.getAsLong(), "metric_pushes"))
                .dataPoint(point(KafkaConsumers.refused() + KafkaRecords.folded(), "kafka"))
                .build();
        CounterSnapshot exported = CounterSnapshot.builder()
                .name("agentmon_spans_exported")
                .help("Task spans the OTLP collector accepted (0 unless tracing is configured).")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("service", service)).value(exporters.spansExported.getAsLong()).build())
                .build();
        InfoSnapshot info = InfoSnapshot.builder()
                .name("agentmon")
                .help("The agentmon agent serving these metrics.")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of("service", service, "version", version,
                                "java_version", System.getProperty("java.version")))
                        .build())
                .build();
        return new MetricSnapshots(dropped, exported, info);
    }

    private CounterSnapshot.CounterDataPointSnapshot point(long value, String what) {
        return CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("service", service, "what", what)).value(value).build();
    }
}

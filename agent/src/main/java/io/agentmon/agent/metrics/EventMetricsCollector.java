package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.EventRecorders;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;

/** {@code agentmon_events_total{event}} and, for events with a value, {@code agentmon_event_value{event}} (count and sum). */
public final class EventMetricsCollector implements MultiCollector {

    private final String service;

    public EventMetricsCollector(String service) {
        this.service = service;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder events = CounterSnapshot.builder().name("agentmon_events")
                .help("Calls of the methods configured as events (agentmon.events.<name>).");
        SummarySnapshot.Builder values = SummarySnapshot.builder().name("agentmon_event_value")
                .help("The numbers read from events configured with agentmon.events.<name>.value: count and sum.");
        for (int id = 0; id < EventRecorders.size(); id++) {
            EventRecorders.Event event = EventRecorders.event(id);
            Labels labels = Labels.of("service", service, "event", event.name());
            events.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(event.count()).build());
            if (event.valueCount() > 0) {
                values.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(labels)
                        .count(event.valueCount()).sum(event.valueSum()).quantiles(Quantiles.EMPTY).build());
            }
        }
        return new MetricSnapshots(events.build(), values.build());
    }
}

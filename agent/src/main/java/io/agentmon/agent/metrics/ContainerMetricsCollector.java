package io.agentmon.agent.metrics;

import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.bootstrap.Containers;
import io.agentmon.bootstrap.DurationHistogram;
import io.agentmon.bootstrap.Outcome;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/** Container allocations (the worker's own allocator and docker-java) and what is alive now. */
public final class ContainerMetricsCollector implements MultiCollector {

    private final String service;
    private final boolean configured;
    private final HistogramKinds histograms;

    /** {@code configured}: the worker's own allocator is described; otherwise series appear with docker-java's first call. */
    public ContainerMetricsCollector(String service, boolean configured, HistogramKinds histograms) {
        this.service = service;
        this.configured = configured;
        this.histograms = histograms;
    }

    @Override
    public MetricSnapshots collect() {
        ContainerTotals alive = ContainerTotals.read(configured);
        if (alive == null) {
            return new MetricSnapshots(); // a worker that runs no containers gets no container series
        }
        Labels base = Labels.of("service", service);
        DurationHistogram[] byOutcome = {Containers.succeeded(), Containers.failed()};
        int[] outcomes = {Outcome.SUCCESS, Outcome.FAILURE};
        CounterSnapshot.Builder allocations = CounterSnapshot.builder().name("agentmon_docker_allocations")
                .help("Container allocations, by outcome (success: returned, failure: threw).");
        HistogramSnapshot.Builder durations = HistogramSnapshot.builder().name("agentmon_docker_allocation_duration_seconds")
                .unit(Unit.SECONDS).help("How long container allocations took, by outcome.");
        for (int i = 0; i < outcomes.length; i++) {
            Labels labels = base.add("outcome", Outcome.label(outcomes[i]));
            allocations.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                    .value(byOutcome[i].count()).build());
            durations.dataPoint(HistogramPoints.of(byOutcome[i], labels, ScrapeFormat.nativeBuckets(histograms.nativeBuckets())));
        }
        return new MetricSnapshots(allocations.build(), durations.build(),
                gauge("agentmon_docker_containers_active", "Containers allocated (or started) and not yet released (or stopped).",
                        base, alive.active()),
                gauge("agentmon_docker_cpu_limit_cores", "CPU cores given to the active containers.", base, alive.cpuCores()),
                gauge("agentmon_docker_memory_limit_bytes", "Memory given to the active containers.", base, alive.memoryBytes()));
    }

    private static GaugeSnapshot gauge(String name, String help, Labels labels, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build()).build();
    }
}

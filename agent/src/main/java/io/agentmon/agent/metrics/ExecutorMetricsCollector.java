package io.agentmon.agent.metrics;

import io.agentmon.agent.config.HistogramKinds;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;

/**
 * The worker's thread pools at scrape time: depth, threads and completed tasks read from each
 * live pool (as {@code ThreadPoolExecutor}'s own getters report them, which briefly take the
 * pool's lock on this agent thread), rejections and queue waits from its recorder. Pools that
 * share a name are summed; pools the worker dropped are gone with their recorders.
 */
public final class ExecutorMetricsCollector implements MultiCollector {

    private final String service;
    private final PoolNames names;
    private final HistogramKinds histograms;

    public ExecutorMetricsCollector(String service, Map<String, String> nameOverrides, HistogramKinds histograms) {
        this.service = service;
        this.names = new PoolNames(nameOverrides);
        this.histograms = histograms;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, PoolTotals> pools = PoolTotals.read(names);

        GaugeSnapshot.Builder queued = gauge("agentmon_executor_queued_tasks", "Tasks waiting in the pool's queue.");
        GaugeSnapshot.Builder active = gauge("agentmon_executor_active_threads", "Pool threads running a task.");
        GaugeSnapshot.Builder threads = gauge("agentmon_executor_pool_threads", "Threads in the pool.");
        CounterSnapshot.Builder completed = CounterSnapshot.builder().name("agentmon_executor_completed_tasks")
                .help("Tasks the pool has completed (ThreadPoolExecutor only).");
        CounterSnapshot.Builder rejected = CounterSnapshot.builder().name("agentmon_executor_rejected_tasks")
                .help("Tasks the pool rejected (ThreadPoolExecutor only).");
        HistogramSnapshot.Builder queueWait = HistogramSnapshot.builder()
                .name("agentmon_executor_queue_wait_seconds").unit(Unit.SECONDS)
                .help("Time tasks waited between submission and a pool thread taking them (ThreadPoolExecutor only).");
        for (Map.Entry<String, PoolTotals> entry : pools.entrySet()) {
            Labels labels = Labels.of("service", service, "pool", entry.getKey());
            PoolTotals totals = entry.getValue();
            queued.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(totals.queued).build());
            active.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(totals.active).build());
            threads.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(totals.threads).build());
            if (totals.waitSlots != null) {
                completed.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(totals.completed).build());
                rejected.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(totals.rejected).build());
                queueWait.dataPoint(HistogramPoints.of(totals.waitLayout, totals.waitSlots, totals.waitSumNanos, labels,
                        Exemplars.EMPTY, histograms.nativeBuckets()));
            }
        }
        return new MetricSnapshots(queued.build(), active.build(), threads.build(), completed.build(), rejected.build(),
                queueWait.build());
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }
}

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
 * The worker's thread pools at scrape time: depth, queue room, threads (core, maximum, current,
 * busy, idle) and completed tasks read from each live pool (as {@code ThreadPoolExecutor}'s own
 * getters report them, which briefly take the pool's lock on this agent thread), parallelism
 * and steals from a {@code ForkJoinPool}'s, rejections, queue waits and run times from its
 * recorder. Pools that
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

        GaugeSnapshot.Builder queued = gauge("agentmon_executor_queued_tasks",
                "Tasks waiting in the pool's queue for a thread (for a scheduled pool, those already due).");
        GaugeSnapshot.Builder scheduled = gauge("agentmon_executor_scheduled_tasks",
                "Tasks in a scheduled pool's queue not yet due: waiting for their time, not for a thread (ScheduledThreadPoolExecutor only).");
        GaugeSnapshot.Builder active = gauge("agentmon_executor_active_threads", "Pool threads running a task.");
        GaugeSnapshot.Builder threads = gauge("agentmon_executor_pool_threads", "Threads in the pool.");
        CounterSnapshot.Builder completed = CounterSnapshot.builder().name("agentmon_executor_completed_tasks")
                .help("Tasks the pool has completed (ThreadPoolExecutor only).");
        CounterSnapshot.Builder rejected = CounterSnapshot.builder().name("agentmon_executor_rejected_tasks")
                .help("Tasks the pool rejected (ThreadPoolExecutor only).");
        HistogramSnapshot.Builder queueWait = HistogramSnapshot.builder()
                .name("agentmon_executor_queue_wait_seconds").unit(Unit.SECONDS)
                .help("Time tasks waited between submission and a pool thread taking them (ThreadPoolExecutor only).");
        GaugeSnapshot.Builder idle = gauge("agentmon_executor_idle_threads", "Pool threads not running a task (pool threads minus active).");
        GaugeSnapshot.Builder core = gauge("agentmon_executor_core_threads", "The pool's core size (ThreadPoolExecutor only).");
        GaugeSnapshot.Builder max = gauge("agentmon_executor_max_threads", "The pool's maximum size (ThreadPoolExecutor only).");
        GaugeSnapshot.Builder remaining = gauge("agentmon_executor_queue_remaining_tasks",
                "Tasks the pool's queue can still take before it is full (ThreadPoolExecutor only; 2147483647 for an unbounded queue).");
        GaugeSnapshot.Builder parallelism = gauge("agentmon_executor_parallelism_threads", "The pool's target parallelism (ForkJoinPool only).");
        CounterSnapshot.Builder steals = CounterSnapshot.builder().name("agentmon_executor_steals")
                .help("Tasks one pool thread stole from another's queue (ForkJoinPool only; an estimate the pool keeps).");
        HistogramSnapshot.Builder runTime = HistogramSnapshot.builder()
                .name("agentmon_executor_run_seconds").unit(Unit.SECONDS)
                .help("Time tasks ran on a pool thread, from taking them to looking at the queue again (ThreadPoolExecutor only).");
        for (Map.Entry<String, PoolTotals> entry : pools.entrySet()) {
            Labels labels = Labels.of("service", service, "pool", entry.getKey());
            PoolTotals totals = entry.getValue();
            queued.dataPoint(point(labels, totals.queued));
            active.dataPoint(point(labels, totals.active));
            threads.dataPoint(point(labels, totals.threads));
            idle.dataPoint(point(labels, totals.idle()));
            if (totals.waitSlots != null) {
                completed.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(totals.completed).build());
                rejected.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(totals.rejected).build());
                queueWait.dataPoint(HistogramPoints.of(totals.waitLayout, totals.waitSlots, totals.waitSumNanos, labels,
                        Exemplars.EMPTY, ScrapeFormat.nativeBuckets(histograms.nativeBuckets())));
                core.dataPoint(point(labels, totals.coreThreads));
                max.dataPoint(point(labels, totals.maxThreads));
                remaining.dataPoint(point(labels, totals.queueRemaining));
            }
            if (totals.runSlots != null) {
                runTime.dataPoint(HistogramPoints.of(totals.runLayout, totals.runSlots, totals.runSumNanos, labels,
                        Exemplars.EMPTY, ScrapeFormat.nativeBuckets(histograms.nativeBuckets())));
            }
            if (totals.scheduledPool) {
                scheduled.dataPoint(point(labels, totals.scheduled));
            }
            if (totals.forkJoin) {
                parallelism.dataPoint(point(labels, totals.parallelism));
                steals.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(totals.steals).build());
            }
        }
        return new MetricSnapshots(queued.build(), active.build(), threads.build(), completed.build(), rejected.build(),
                queueWait.build(), idle.build(), core.build(), max.build(), remaining.build(), parallelism.build(),
                steals.build(), runTime.build(), scheduled.build());
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}

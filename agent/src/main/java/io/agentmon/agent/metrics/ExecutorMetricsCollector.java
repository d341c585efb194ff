package io.agentmon.agent.metrics;

import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.bootstrap.DurationHistogram;
import io.agentmon.bootstrap.HistogramLayout;
import io.agentmon.bootstrap.ExecutorRecorder;
import io.agentmon.bootstrap.ExecutorRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

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
        Map<String, PoolTotals> pools = read(names);

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

    /** Every live pool's numbers by pool name (also read by {@link History}). */
    static Map<String, PoolTotals> read(PoolNames names) {
        Map<String, PoolTotals> pools = new TreeMap<>();
        // Two threads that see an unregistered pool at once may both register it: read each pool's
        // own getters once, and add up what its recorders counted.
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int slot = 0; slot < ExecutorRegistry.SLOTS; slot++) {
            ExecutorRecorder recorder = ExecutorRegistry.recorder(slot);
            Object pool = recorder == null ? null : recorder.pool();
            String name = pool == null ? null : names.name(pool, recorder.threadName());
            if (name == null || name.startsWith("agentmon")) {
                continue; // not started yet, collected, or the agent's own
            }
            pools.computeIfAbsent(name, n -> new PoolTotals()).add(pool, recorder, seen.add(pool));
        }
        return PoolLabels.fold(pools);
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    /** One pool name's numbers, summed over the pools that share it. */
    static final class PoolTotals {

        /** Adds another name's numbers to these (pool names folded into other). */
        void add(PoolTotals more) {
            queued += more.queued;
            active += more.active;
            threads += more.threads;
            completed += more.completed;
            rejected += more.rejected;
            waitSumNanos += more.waitSumNanos;
            if (more.waitSlots != null) {
                addWaits(more.waitLayout, more.waitSlots);
            }
        }

        /** Adds a reading of slot counts; every recorder of queue waits shares one layout. */
        private void addWaits(HistogramLayout layout, long[] slots) {
            if (waitSlots == null) {
                waitLayout = layout;
                waitSlots = new long[slots.length];
            }
            for (int i = 0; i < slots.length && i < waitSlots.length; i++) {
                waitSlots[i] += slots[i];
            }
        }

        long queued;
        long active;
        long threads;
        long completed;
        long rejected;
        /** Queue waits per slot of the recorders' layout (null for pools with no wait recorder). */
        HistogramLayout waitLayout;
        long[] waitSlots;
        long waitSumNanos;

        void add(Object pool, ExecutorRecorder recorder, boolean firstRecorderOfPool) {
            if (pool instanceof ThreadPoolExecutor) {
                ThreadPoolExecutor executor = (ThreadPoolExecutor) pool;
                if (firstRecorderOfPool) {
                    queued += executor.getQueue().size();
                    active += executor.getActiveCount();
                    threads += executor.getPoolSize();
                    completed += executor.getCompletedTaskCount();
                }
                rejected += recorder.rejected();
                DurationHistogram wait = recorder.queueWait();
                addWaits(wait.layout(), wait.slotCounts());
                waitSumNanos += wait.sumNanos();
            } else if (pool instanceof ForkJoinPool && firstRecorderOfPool) {
                ForkJoinPool forkJoin = (ForkJoinPool) pool;
                queued += forkJoin.getQueuedSubmissionCount() + forkJoin.getQueuedTaskCount();
                active += forkJoin.getActiveThreadCount();
                threads += forkJoin.getPoolSize();
            }
        }
    }
}

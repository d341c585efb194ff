package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.DurationHistogram;
import io.agentmon.bootstrap.HistogramLayout;
import io.agentmon.bootstrap.ExecutorRecorder;
import io.agentmon.bootstrap.ExecutorRegistry;
import io.agentmon.bootstrap.QueueWaits;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
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
import java.util.concurrent.TimeUnit;

/**
 * The worker's thread pools at scrape time: depth, threads and completed tasks read from each
 * live pool (as {@code ThreadPoolExecutor}'s own getters report them, which briefly take the
 * pool's lock on this agent thread), rejections and queue waits from its recorder. Pools that
 * share a name are summed; pools the worker dropped are gone with their recorders.
 */
public final class ExecutorMetricsCollector implements MultiCollector {

    /** Queued tasks not taken within this long are forgotten (their wait is not measured). */
    private static final long MAX_TRACKED_WAIT_NANOS = TimeUnit.HOURS.toNanos(2);

    private final String service;
    private final PoolNames names;

    public ExecutorMetricsCollector(String service, Map<String, String> nameOverrides) {
        this.service = service;
        this.names = new PoolNames(nameOverrides);
    }

    @Override
    public MetricSnapshots collect() {
        QueueWaits.sweepOlderThan(MAX_TRACKED_WAIT_NANOS);
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
            if (totals.waitCounts != null) {
                completed.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(totals.completed).build());
                rejected.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(totals.rejected).build());
                queueWait.dataPoint(HistogramPoints.of(totals.waitBoundsNanos, totals.waitCounts, totals.waitSumNanos, labels));
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
            if (more.waitCounts != null) {
                if (waitCounts == null) {
                    waitBoundsNanos = more.waitBoundsNanos;
                    waitCounts = new long[more.waitCounts.length];
                    waitLayout = more.waitLayout;
                    waitSlots = new long[more.waitSlots.length];
                }
                for (int i = 0; i < waitCounts.length && i < more.waitCounts.length; i++) {
                    waitCounts[i] += more.waitCounts[i];
                }
                for (int i = 0; i < waitSlots.length && i < more.waitSlots.length; i++) {
                    waitSlots[i] += more.waitSlots[i];
                }
            }
        }

        long queued;
        long active;
        long threads;
        long completed;
        long rejected;
        long[] waitBoundsNanos;
        long[] waitCounts;
        /** The same waits per slot of the recorders' layout: what the agent's own quantiles read. */
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
                long[] slots = wait.slotCounts(); // one reading for both views, so they agree
                long[] counts = wait.classicCounts(slots);
                if (waitCounts == null) {
                    waitBoundsNanos = wait.boundsNanos();
                    waitCounts = new long[counts.length];
                    waitLayout = wait.layout();
                    waitSlots = new long[slots.length];
                }
                for (int i = 0; i < counts.length && i < waitCounts.length; i++) {
                    waitCounts[i] += counts[i];
                }
                for (int i = 0; i < slots.length && i < waitSlots.length; i++) {
                    waitSlots[i] += slots[i];
                }
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

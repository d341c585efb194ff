package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.DurationHistogram;
import io.agentmon.bootstrap.ExecutorRecorder;
import io.agentmon.bootstrap.ExecutorRegistry;
import io.agentmon.bootstrap.HistogramLayout;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * One pool label's numbers at one read, summed over the pools that share it: depth, threads and
 * completed tasks from each live pool's own getters, rejections and queue waits from its
 * recorder. Read by the executor collector at scrape time and by the summary's sampler.
 */
public final class PoolTotals {

    long queued;
    long active;
    long threads;
    long completed;
    long rejected;
    /** Queue waits per slot of the recorders' layout (null for pools with no wait recorder). */
    HistogramLayout waitLayout;
    long[] waitSlots;
    long waitSumNanos;

    PoolTotals() {
    }

    /** Every live pool's numbers by pool label; labels beyond the series budget are summed under {@code other}. */
    public static Map<String, PoolTotals> read(PoolNames names) {
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

    public long queued() {
        return queued;
    }

    public long active() {
        return active;
    }

    public long threads() {
        return threads;
    }

    public long completed() {
        return completed;
    }

    /** Whether these pools record queue waits (and completions and rejections): {@code ThreadPoolExecutor}s do. */
    public boolean hasWaits() {
        return waitSlots != null;
    }

    /** Queue waits per slot of the layout; only when {@link #hasWaits}. */
    public long[] waitSlots() {
        return waitSlots;
    }

    /** The upper bounds of the wait slots, {@link HistogramPoints#slotBoundsSeconds as seconds}; only when {@link #hasWaits}. */
    public double[] waitSlotBoundsSeconds() {
        return HistogramPoints.slotBoundsSeconds(waitLayout);
    }

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

    private void add(Object pool, ExecutorRecorder recorder, boolean firstRecorderOfPool) {
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

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One pool label's numbers at one read, summed over the pools that share it: depth, queue
 * capacity, threads (core, maximum, current, busy) and completed tasks from each live pool's own
 * getters, rejections, queue waits and run times from its recorder. Read by the executor
 * collector at scrape time and by the summary's sampler.
 */
public final class PoolTotals {

    long queued;
    long active;
    long threads;
    long completed;
    long rejected;
    /** ThreadPoolExecutor only: core and maximum pool size, and room left in the queue. */
    long coreThreads;
    long maxThreads;
    long queueRemaining;
    /**
     * ScheduledThreadPoolExecutor only: tasks in its queue not yet due (a periodic task waits
     * there between runs); they wait for their time, not for a thread, so they are not in
     * {@link #queued}.
     */
    boolean scheduledPool;
    long scheduled;
    /** ForkJoinPool only: target parallelism and tasks stolen between its threads. */
    boolean forkJoin;
    long parallelism;
    long steals;
    /** Queue waits per slot of the recorders' layout (null for pools with no wait recorder). */
    HistogramLayout waitLayout;
    long[] waitSlots;
    long waitSumNanos;
    /** Run times per slot of the recorders' layout (null exactly when {@link #waitSlots} is). */
    HistogramLayout runLayout;
    long[] runSlots;
    long runSumNanos;

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

    /** Pool threads not running a task now (pool size minus active). */
    public long idle() {
        return Math.max(0, threads - active);
    }

    /** Room left in the queues (ThreadPoolExecutor only; an unbounded queue reports Integer.MAX_VALUE). */
    public long queueRemaining() {
        return queueRemaining;
    }

    public long maxThreads() {
        return maxThreads;
    }

    /** Whether these are ScheduledThreadPoolExecutors, which report {@link #scheduled}. */
    public boolean isScheduled() {
        return scheduledPool;
    }

    /** Tasks of a ScheduledThreadPoolExecutor not yet due (not waiting for a thread). */
    public long scheduled() {
        return scheduled;
    }

    /** Whether these pools are ThreadPoolExecutors (core, maximum and queue room are theirs). */
    public boolean isThreadPool() {
        return waitSlots != null;
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
        coreThreads += more.coreThreads;
        maxThreads += more.maxThreads;
        queueRemaining += more.queueRemaining;
        scheduledPool |= more.scheduledPool;
        scheduled += more.scheduled;
        forkJoin |= more.forkJoin;
        parallelism += more.parallelism;
        steals += more.steals;
        waitSumNanos += more.waitSumNanos;
        if (more.waitSlots != null) {
            addWaits(more.waitLayout, more.waitSlots);
        }
        runSumNanos += more.runSumNanos;
        if (more.runSlots != null) {
            addRuns(more.runLayout, more.runSlots);
        }
    }

    /** Adds a reading of slot counts; every recorder of queue waits shares one layout. */
    private void addWaits(HistogramLayout layout, long[] slots) {
        if (waitSlots == null) {
            waitLayout = layout;
            waitSlots = new long[slots.length];
        }
        addSlots(waitSlots, slots);
    }

    /** Adds a reading of run-time slot counts; every recorder of run times shares one layout. */
    private void addRuns(HistogramLayout layout, long[] slots) {
        if (runSlots == null) {
            runLayout = layout;
            runSlots = new long[slots.length];
        }
        addSlots(runSlots, slots);
    }

    private static void addSlots(long[] into, long[] slots) {
        for (int i = 0; i < slots.length && i < into.length; i++) {
            into[i] += slots[i];
        }
    }

    private void add(Object pool, ExecutorRecorder recorder, boolean firstRecorderOfPool) {
        if (pool instanceof ThreadPoolExecutor) {
            ThreadPoolExecutor executor = (ThreadPoolExecutor) pool;
            if (firstRecorderOfPool) {
                if (executor instanceof ScheduledThreadPoolExecutor) {
                    addScheduledQueue(executor.getQueue());
                } else {
                    queued += executor.getQueue().size();
                }
                active += executor.getActiveCount();
                threads += executor.getPoolSize();
                completed += executor.getCompletedTaskCount();
                coreThreads += executor.getCorePoolSize();
                maxThreads += executor.getMaximumPoolSize();
                queueRemaining += executor.getQueue().remainingCapacity();
            }
            rejected += recorder.rejected();
            DurationHistogram wait = recorder.queueWait();
            if (waitSlots == null) {
                waitLayout = wait.layout();
                waitSlots = new long[waitLayout.slots()];
            }
            wait.addSlotCounts(waitSlots); // into the pool's one array: no array per recorder and read
            waitSumNanos += wait.sumNanos();
            DurationHistogram run = recorder.runTime();
            if (runSlots == null) {
                runLayout = run.layout();
                runSlots = new long[runLayout.slots()];
            }
            run.addSlotCounts(runSlots);
            runSumNanos += run.sumNanos();
        } else if (pool instanceof ForkJoinPool && firstRecorderOfPool) {
            ForkJoinPool forkJoinPool = (ForkJoinPool) pool;
            queued += forkJoinPool.getQueuedSubmissionCount() + forkJoinPool.getQueuedTaskCount();
            active += forkJoinPool.getActiveThreadCount();
            threads += forkJoinPool.getPoolSize();
            forkJoin = true;
            parallelism += forkJoinPool.getParallelism();
            steals += forkJoinPool.getStealCount();
        }
    }

    /**
     * A scheduled pool's queue: tasks already due wait for a thread (queued), the rest wait for
     * their time (scheduled). Reads a copy of the queue (its iterator takes the pool's queue lock
     * for the copy, on this agent thread).
     */
    private void addScheduledQueue(BlockingQueue<Runnable> queue) {
        scheduledPool = true;
        for (Runnable task : queue) {
            if (task instanceof Delayed && ((Delayed) task).getDelay(TimeUnit.NANOSECONDS) > 0) {
                scheduled++;
            } else {
                queued++;
            }
        }
    }
}

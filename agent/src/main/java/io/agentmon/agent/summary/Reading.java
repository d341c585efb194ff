package io.agentmon.agent.summary;

import io.agentmon.agent.metrics.ContainerTotals;
import io.agentmon.agent.metrics.PoolNames;
import io.agentmon.agent.metrics.PoolTotals;
import io.agentmon.agent.metrics.TaskTotals;
import io.agentmon.bootstrap.Outcome;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One read of every source the summary shows, on an agent thread: the metrics package's
 * snapshots of tasks, pools and containers (the same the collectors read at scrape time), and the
 * JVM's heap and process CPU. Tasks and pools are held as cumulative arrays, the form the rings'
 * {@link Window}s keep.
 */
final class Reading {

    long timeMillis;
    long nanos;
    final Map<String, TaskReading> tasks = new LinkedHashMap<>();
    final Map<String, PoolReading> pools = new TreeMap<>();
    /** Null for a worker with no container series. */
    ContainerTotals containers;
    long heapUsed;
    long heapCommitted;
    long heapMax;
    /** Failed runs by exception simple name, summed over every task. */
    final Map<String, Long> failuresByException = new TreeMap<>();
    double processCpu = Double.NaN;

    static Reading take(PoolNames poolNames, boolean containersConfigured) {
        Reading reading = new Reading();
        reading.timeMillis = System.currentTimeMillis();
        reading.nanos = System.nanoTime();
        for (TaskTotals task : TaskTotals.read().values()) {
            reading.tasks.put(task.task(), new TaskReading(task));
            for (Map.Entry<String, Long> failures : task.failuresByException().entrySet()) {
                reading.failuresByException.merge(failures.getKey(), failures.getValue(), Long::sum);
            }
        }
        for (Map.Entry<String, PoolTotals> pool : PoolTotals.read(poolNames).entrySet()) {
            reading.pools.put(pool.getKey(), new PoolReading(pool.getKey(), pool.getValue()));
        }
        reading.containers = ContainerTotals.read(containersConfigured);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        reading.heapUsed = heap.getUsed();
        reading.heapCommitted = heap.getCommitted();
        reading.heapMax = heap.getMax();
        reading.processCpu = processCpu();
        return reading;
    }

    private static double processCpu() {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                @SuppressWarnings("deprecation") // getCpuLoad() is its JDK 14+ name
                double load = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuLoad();
                return load < 0 ? Double.NaN : load;
            }
        } catch (LinkageError e) {
            // jdk.management not in this JVM (a modular worker): no CPU figure
        }
        return Double.NaN;
    }

    /** One task's cumulative numbers: runs by {@link Outcome} at their indices, then the timeouts, then the slots. */
    static final class TaskReading {
        static final int TIMEOUTS = Outcome.COUNT;
        static final int BUCKETS_FROM = TIMEOUTS + 1;
        final String task;
        final double[] boundsSeconds;
        final long inFlight;
        final long stuck;
        private final long[] values;

        TaskReading(TaskTotals totals) {
            this.task = totals.task();
            this.boundsSeconds = totals.slotBoundsSeconds();
            this.inFlight = totals.inFlight();
            this.stuck = totals.stuck();
            long[] slots = totals.slotCounts();
            this.values = new long[BUCKETS_FROM + slots.length];
            for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
                values[outcome] = totals.runs(outcome);
            }
            values[TIMEOUTS] = totals.timeouts();
            System.arraycopy(slots, 0, values, BUCKETS_FROM, slots.length);
        }

        long[] cumulative() {
            return values;
        }
    }

    /** One pool label's numbers: completed tasks, then the queue-wait slots. */
    static final class PoolReading {
        static final int BUCKETS_FROM = 1;
        final String pool;
        final long queued;
        final long active;
        final long threads;
        final long completed;
        /** ThreadPoolExecutors only (else -1): maximum size and room left in the queue. */
        final long maxThreads;
        final long queueRemaining;
        /** ScheduledThreadPoolExecutors only (else -1): tasks not yet due. */
        final long scheduled;
        /** Null for pools with no queue-wait recorder (not ThreadPoolExecutors). */
        final double[] waitBoundsSeconds;
        private final long[] values;

        PoolReading(String pool, PoolTotals totals) {
            this.pool = pool;
            this.queued = totals.queued();
            this.active = totals.active();
            this.threads = totals.threads();
            this.completed = totals.completed();
            this.maxThreads = totals.isThreadPool() ? totals.maxThreads() : -1;
            this.queueRemaining = totals.isThreadPool() ? totals.queueRemaining() : -1;
            this.scheduled = totals.isScheduled() ? totals.scheduled() : -1;
            this.waitBoundsSeconds = totals.hasWaits() ? totals.waitSlotBoundsSeconds() : null;
            int buckets = totals.hasWaits() ? totals.waitSlots().length : 0;
            this.values = new long[BUCKETS_FROM + buckets];
            values[0] = totals.completed();
            if (buckets > 0) {
                System.arraycopy(totals.waitSlots(), 0, values, BUCKETS_FROM, buckets);
            }
        }

        long[] cumulative() {
            return values;
        }
    }
}

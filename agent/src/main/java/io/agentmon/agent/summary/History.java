package io.agentmon.agent.summary;

import io.agentmon.bootstrap.Outcome;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The summary's memory: the last {@link #CAPACITY} samples (15 minutes, one every
 * {@link #INTERVAL_SECONDS} seconds) in fixed-size rings. Per task the run rates by outcome,
 * p50/p95/p99 over the interval (from slot deltas, see {@link Quantiles}), the timeout rate, runs
 * in flight and stuck; per pool queue depth (and a scheduled pool's tasks not yet due), busy
 * threads and queue-wait p95; failures per second by exception; containers and allocations per
 * second; heap (used, committed, max) and process CPU. Beside the rings each series keeps a {@link Window} of cumulative readings for
 * the summary's one-minute rates.
 *
 * <p>At most {@link #MAX_TASKS} tasks and {@link #MAX_POOLS} pools get a history (the first seen).
 * Not thread-safe: {@link Summary} calls it under its lock.
 */
final class History {

    static final int INTERVAL_SECONDS = 5;
    /** 15 minutes of samples. */
    static final int CAPACITY = 15 * 60 / INTERVAL_SECONDS;
    static final int MAX_TASKS = 32;
    static final int MAX_POOLS = 16;
    static final int MAX_EXCEPTIONS = 16;

    final long[] timesMillis = new long[CAPACITY];
    final long[] timesNanos = new long[CAPACITY];
    /** Samples taken so far; sample {@code n} lives in slot {@code n % CAPACITY}. */
    long samples;
    final Map<String, TaskSeries> tasks = new LinkedHashMap<>();
    final Map<String, PoolSeries> pools = new LinkedHashMap<>();
    final float[] containersActive = nanRing();
    final float[] containersCpu = nanRing();
    final float[] containersMemory = nanRing();
    final float[] heapUsed = nanRing();
    final float[] heapCommitted = nanRing();
    final float[] heapMax = nanRing();
    /** Container allocations per second, by outcome (NaN without container series or a sample before). */
    final float[] allocations = nanRing();
    final float[] allocationFailures = nanRing();
    private long allocationsBefore = -1;
    private long allocationFailuresBefore = -1;
    /** Failures per second by exception simple name, summed over tasks; the first {@link #MAX_EXCEPTIONS} names seen. */
    final Map<String, ExceptionSeries> failures = new LinkedHashMap<>();
    final float[] processCpu = nanRing();

    /** Adds {@code reading} as the next sample. */
    void add(Reading reading) {
        long n = samples;
        int slot = slot(n);
        timesMillis[slot] = reading.timeMillis;
        timesNanos[slot] = reading.nanos;
        double seconds = n == 0 ? Double.NaN : (reading.nanos - timesNanos[slot(n - 1)]) / 1e9;

        for (Reading.TaskReading task : reading.tasks.values()) {
            TaskSeries series = seriesOf(tasks, task.task, MAX_TASKS, () -> new TaskSeries(n, task.cumulative().length));
            if (series != null) {
                series.record(task, n, slot, seconds);
            }
        }
        for (Reading.PoolReading pool : reading.pools.values()) {
            PoolSeries series = seriesOf(pools, pool.pool, MAX_POOLS, () -> new PoolSeries(n, pool.cumulative().length));
            if (series != null) {
                series.record(pool, n, slot);
            }
        }
        tasks.values().forEach(series -> series.clearIfNotWritten(n, slot));
        pools.values().forEach(series -> series.clearIfNotWritten(n, slot));

        for (Map.Entry<String, Long> failed : reading.failuresByException.entrySet()) {
            ExceptionSeries series = seriesOf(failures, failed.getKey(), MAX_EXCEPTIONS, ExceptionSeries::new);
            if (series != null) {
                series.record(failed.getValue(), n, slot, seconds);
            }
        }
        failures.values().forEach(series -> series.clearIfNotWritten(n, slot));

        boolean containers = reading.containers != null;
        if (containers) {
            long succeeded = reading.containers.succeeded();
            long failed = reading.containers.failed();
            allocations[slot] = allocationsBefore < 0 || !(seconds > 0) ? Float.NaN
                    : (float) (Math.max(0, succeeded - allocationsBefore) / seconds);
            allocationFailures[slot] = allocationFailuresBefore < 0 || !(seconds > 0) ? Float.NaN
                    : (float) (Math.max(0, failed - allocationFailuresBefore) / seconds);
            allocationsBefore = succeeded;
            allocationFailuresBefore = failed;
        } else {
            allocations[slot] = Float.NaN;
            allocationFailures[slot] = Float.NaN;
        }
        containersActive[slot] = containers ? reading.containers.active() : Float.NaN;
        containersCpu[slot] = containers ? (float) reading.containers.cpuCores() : Float.NaN;
        containersMemory[slot] = containers ? reading.containers.memoryBytes() : Float.NaN;
        heapUsed[slot] = reading.heapUsed;
        heapCommitted[slot] = reading.heapCommitted;
        heapMax[slot] = reading.heapMax < 0 ? Float.NaN : reading.heapMax;
        processCpu[slot] = (float) reading.processCpu;
        samples = n + 1;
    }

    /** The series of {@code name}, created on first sight while fewer than {@code max} exist; null when there is no room. */
    private static <S> S seriesOf(Map<String, S> all, String name, int max, Supplier<S> create) {
        S series = all.get(name);
        if (series == null && all.size() < max) {
            series = create.get();
            all.put(name, series);
        }
        return series;
    }

    private static float rate(long[] now, long[] before, int index, double seconds) {
        if (before == null || !(seconds > 0)) {
            return Float.NaN;
        }
        return (float) (Math.max(0, now[index] - before[index]) / seconds);
    }

    /**
     * The latest kept sample of {@code window} (before {@code below}, when not negative) taken at
     * or before {@code nanos}, else the oldest kept one; -1 when there is none.
     */
    long sampleAtOrBefore(Window window, long nanos, long below) {
        long newest = below >= 0 ? below - 1 : samples - 1;
        long oldest = Math.max(Math.max(0, window.firstSample), samples - Math.min(Window.READINGS, CAPACITY));
        if (newest < oldest) {
            return -1;
        }
        for (long n = newest; n >= oldest; n--) {
            if (timesNanos[slot(n)] - nanos <= 0) {
                return n;
            }
        }
        return oldest;
    }

    /** When sample {@code n} was taken, on the nanosecond clock; only for kept samples. */
    long nanosOf(long n) {
        return timesNanos[slot(n)];
    }

    static int slot(long sample) {
        return (int) (sample % CAPACITY);
    }

    private static float[] nanRing() {
        float[] ring = new float[CAPACITY];
        Arrays.fill(ring, Float.NaN);
        return ring;
    }

    /** One task's rings. */
    static final class TaskSeries {
        /** Runs per second, by {@link Outcome}. */
        final float[][] runs = new float[Outcome.COUNT][];
        final float[] p50 = nanRing();
        final float[] p95 = nanRing();
        final float[] p99 = nanRing();
        final float[] timeouts = nanRing();
        final float[] inFlight = nanRing();
        final float[] stuck = nanRing();
        final Window window;

        TaskSeries(long firstSample, int width) {
            for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
                runs[outcome] = nanRing();
            }
            window = new Window(firstSample, width, Reading.TaskReading.BUCKETS_FROM);
        }

        /** Sample {@code n}, in ring slot {@code slot}, {@code seconds} after the one before (NaN for the first). */
        void record(Reading.TaskReading task, long n, int slot, double seconds) {
            long[] now = task.cumulative();
            long[] before = window.at(n - 1);
            for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
                runs[outcome][slot] = rate(now, before, outcome, seconds);
            }
            timeouts[slot] = rate(now, before, Reading.TaskReading.TIMEOUTS, seconds);
            long[] delta = before == null ? null : Quantiles.bucketDelta(now, before, Reading.TaskReading.BUCKETS_FROM);
            p50[slot] = (float) Quantiles.quantile(0.50, task.boundsSeconds, delta);
            p95[slot] = (float) Quantiles.quantile(0.95, task.boundsSeconds, delta);
            p99[slot] = (float) Quantiles.quantile(0.99, task.boundsSeconds, delta);
            inFlight[slot] = task.inFlight;
            stuck[slot] = task.stuck;
            window.put(n, now);
        }

        /** A task not read in this sample (it cannot vanish, but stay safe) gets gaps. */
        void clearIfNotWritten(long sample, int slot) {
            if (window.at(sample) == null) {
                for (float[] ring : runs) {
                    ring[slot] = Float.NaN;
                }
                for (float[] ring : new float[][] {p50, p95, p99, timeouts, inFlight, stuck}) {
                    ring[slot] = Float.NaN;
                }
            }
        }
    }

    /** One exception name's failures per second, over every task. */
    static final class ExceptionSeries {
        final float[] perSecond = nanRing();
        private long before = -1;
        private long lastSample = -1;

        void record(long total, long n, int slot, double seconds) {
            // A name first seen after the first sample had no failures at the sample before.
            long prior = lastSample < 0 ? (n > 0 ? 0 : -1) : before;
            perSecond[slot] = prior < 0 || !(seconds > 0) ? Float.NaN : (float) (Math.max(0, total - prior) / seconds);
            before = total;
            lastSample = n;
        }

        void clearIfNotWritten(long sample, int slot) {
            if (lastSample != sample) {
                perSecond[slot] = Float.NaN;
            }
        }
    }

    /** One pool's rings. */
    static final class PoolSeries {
        final float[] queued = nanRing();
        final float[] scheduled = nanRing();
        final float[] active = nanRing();
        final float[] waitP95 = nanRing();
        final Window window;

        PoolSeries(long firstSample, int width) {
            window = new Window(firstSample, width, Reading.PoolReading.BUCKETS_FROM);
        }

        /** Sample {@code n}, in ring slot {@code slot}. */
        void record(Reading.PoolReading pool, long n, int slot) {
            long[] now = pool.cumulative();
            long[] before = window.at(n - 1);
            queued[slot] = pool.queued;
            scheduled[slot] = pool.scheduled < 0 ? Float.NaN : pool.scheduled;
            active[slot] = pool.active;
            waitP95[slot] = (float) (before == null || pool.waitBoundsSeconds == null ? Double.NaN
                    : Quantiles.quantile(0.95, pool.waitBoundsSeconds,
                            Quantiles.bucketDelta(now, before, Reading.PoolReading.BUCKETS_FROM)));
            window.put(n, now);
        }

        /** A pool gone (collected) leaves gaps. */
        void clearIfNotWritten(long sample, int slot) {
            if (window.at(sample) == null) {
                queued[slot] = Float.NaN;
                scheduled[slot] = Float.NaN;
                active[slot] = Float.NaN;
                waitP95[slot] = Float.NaN;
            }
        }
    }
}

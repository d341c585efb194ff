package io.agentmon.agent.metrics;

import io.agentmon.agent.JsonText;
import io.agentmon.bootstrap.Containers;
import io.agentmon.bootstrap.DurationHistogram;
import io.agentmon.bootstrap.HistogramLayout;
import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's own short memory, for {@code GET /metrics/summary} and the page at {@code GET /}:
 * every {@link #INTERVAL_SECONDS} seconds one agent daemon thread reads the same sources the
 * collectors read at scrape time (task recorders, the in-flight table, the pools, the live
 * containers, the JVM's memory and CPU) and keeps the last {@link #CAPACITY} samples (15 minutes)
 * in fixed-size rings: per task the run rates by outcome, p50/p95/p99 over the interval (from
 * histogram bucket deltas, interpolated as Prometheus's {@code histogram_quantile} does), the
 * timeout rate, runs in flight and stuck; per pool queue depth, busy threads and queue-wait p95;
 * containers; heap and process CPU. The worker's threads do nothing more than before.
 *
 * <p>At most {@link #MAX_TASKS} tasks and {@link #MAX_POOLS} pools get a history (the first seen);
 * the current values cover all of them. Sampling and rendering synchronise on this object, on
 * agent threads only.
 */
public final class History {

    public static final int INTERVAL_SECONDS = 5;
    /** 15 minutes of samples. */
    public static final int CAPACITY = 15 * 60 / INTERVAL_SECONDS;
    static final int MAX_TASKS = 32;
    static final int MAX_POOLS = 16;
    /** Cumulative readings kept for the rate windows: the last minute and the minute before, plus one. */
    private static final int WINDOW = 2 * 60 / INTERVAL_SECONDS + 1;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final PoolNames poolNames;
    private final boolean containersConfigured;
    private final long[] timesMillis = new long[CAPACITY];
    private final long[] timesNanos = new long[CAPACITY];
    /** Samples taken so far; sample {@code n} lives in slot {@code n % CAPACITY}. */
    private long samples;
    private final Map<String, TaskSeries> tasks = new LinkedHashMap<>();
    private final Map<String, PoolSeries> pools = new LinkedHashMap<>();
    private final float[] containersActive = nanRing();
    private final float[] containersCpu = nanRing();
    private final float[] containersMemory = nanRing();
    private final float[] heapUsed = nanRing();
    private final float[] heapMax = nanRing();
    private final float[] processCpu = nanRing();
    private volatile ScheduledThreadPoolExecutor sampler;

    public History(Map<String, String> poolNameOverrides, boolean containersConfigured) {
        this.poolNames = new PoolNames(poolNameOverrides);
        this.containersConfigured = containersConfigured;
    }

    /** Starts the sampling thread (a daemon); samples once at once, then every interval. */
    public void start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "agentmon-history");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.scheduleAtFixedRate(this::sampleQuietly, 0, INTERVAL_SECONDS, TimeUnit.SECONDS);
        sampler = executor;
    }

    public void stop() {
        ScheduledThreadPoolExecutor executor = sampler;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (Throwable e) {
            // Never out of the sampler: a thrown exception would cancel every later sample.
        }
    }

    // ------------------------------------------------------------------ sampling

    /** Takes one sample now. */
    synchronized void sample() {
        Reading reading = Reading.take(poolNames, containersConfigured);
        long n = samples;
        int slot = (int) (n % CAPACITY);
        timesMillis[slot] = reading.timeMillis;
        timesNanos[slot] = reading.nanos;
        double seconds = n == 0 ? Double.NaN : (reading.nanos - timesNanos[(int) ((n - 1) % CAPACITY)]) / 1e9;

        for (TaskReading task : reading.tasks.values()) {
            TaskSeries series = tasks.get(task.task);
            if (series == null) {
                if (tasks.size() >= MAX_TASKS) {
                    continue;
                }
                series = new TaskSeries(n, task.cumulative().length);
                tasks.put(task.task, series);
            }
            long[] now = task.cumulative();
            long[] before = series.window.at(n - 1);
            for (int outcome = 0; outcome < 3; outcome++) {
                series.runs[outcome][slot] = rate(now, before, outcome, seconds);
            }
            series.timeouts[slot] = rate(now, before, 3, seconds);
            long[] delta = before == null ? null : bucketDelta(now, before, TaskReading.BUCKETS_FROM);
            series.p50[slot] = (float) quantile(0.50, task.boundsSeconds, delta);
            series.p95[slot] = (float) quantile(0.95, task.boundsSeconds, delta);
            series.p99[slot] = (float) quantile(0.99, task.boundsSeconds, delta);
            series.inFlight[slot] = task.inFlight;
            series.stuck[slot] = task.stuck;
            series.window.put(n, now);
        }
        for (TaskSeries series : tasks.values()) {
            series.clearIfNotWritten(n, slot);
        }

        for (PoolReading pool : reading.pools.values()) {
            PoolSeries series = pools.get(pool.pool);
            if (series == null) {
                if (pools.size() >= MAX_POOLS) {
                    continue;
                }
                series = new PoolSeries(n, pool.cumulative().length);
                pools.put(pool.pool, series);
            }
            long[] now = pool.cumulative();
            long[] before = series.window.at(n - 1);
            series.queued[slot] = pool.queued;
            series.active[slot] = pool.active;
            series.waitP95[slot] = (float) (before == null || pool.waitBoundsSeconds == null ? Double.NaN
                    : quantile(0.95, pool.waitBoundsSeconds, bucketDelta(now, before, PoolReading.BUCKETS_FROM)));
            series.window.put(n, now);
        }
        for (PoolSeries series : pools.values()) {
            series.clearIfNotWritten(n, slot);
        }

        containersActive[slot] = reading.containers ? reading.containersActive : Float.NaN;
        containersCpu[slot] = reading.containers ? (float) reading.containersCpu : Float.NaN;
        containersMemory[slot] = reading.containers ? reading.containersMemory : Float.NaN;
        heapUsed[slot] = reading.heapUsed;
        heapMax[slot] = reading.heapMax < 0 ? Float.NaN : reading.heapMax;
        processCpu[slot] = (float) reading.processCpu;
        samples = n + 1;
    }

    private static float rate(long[] now, long[] before, int index, double seconds) {
        if (before == null || !(seconds > 0)) {
            return Float.NaN;
        }
        return (float) (Math.max(0, now[index] - before[index]) / seconds);
    }

    private static long[] bucketDelta(long[] now, long[] before, int from) {
        long[] delta = new long[now.length - from];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = Math.max(0, now[from + i] - before[from + i]);
        }
        return delta;
    }

    /**
     * The {@code q} quantile of the observations counted in {@code counts} (per bucket, not
     * cumulative; the last bucket is +Inf), interpolated linearly inside its bucket as
     * Prometheus's {@code histogram_quantile} does: the first bucket's lower bound is 0, and a
     * quantile falling in the +Inf bucket is the highest finite bound. NaN without observations.
     */
    static double quantile(double q, double[] boundsSeconds, long[] counts) {
        if (counts == null) {
            return Double.NaN;
        }
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (below + counts[i] >= rank && counts[i] > 0) {
                if (i >= boundsSeconds.length) {
                    return boundsSeconds.length == 0 ? Double.NaN : boundsSeconds[boundsSeconds.length - 1];
                }
                double lower = i == 0 ? 0 : boundsSeconds[i - 1];
                double upper = boundsSeconds[i];
                return lower + (upper - lower) * ((rank - below) / counts[i]);
            }
            below += counts[i];
        }
        return boundsSeconds.length == 0 ? Double.NaN : boundsSeconds[boundsSeconds.length - 1];
    }

    // ------------------------------------------------------------------ the summary

    /** {@code GET /metrics/summary}: current values, rate windows and the history, as JSON. */
    public synchronized String summaryJson() {
        Reading reading = Reading.take(poolNames, containersConfigured);
        StringBuilder json = new StringBuilder(16 * 1024);
        json.append("{\"time\":").append(reading.timeMillis)
                .append(",\"intervalSeconds\":").append(INTERVAL_SECONDS)
                .append(",\"tasks\":[");
        boolean first = true;
        for (TaskReading task : reading.tasks.values()) {
            json.append(first ? "" : ",");
            first = false;
            TaskSeries series = tasks.get(task.task);
            long[] now = task.cumulative();
            long minuteAgoIndex = series == null ? -1 : sampleAtOrBefore(series.window, reading.nanos - MINUTE_NANOS, -1);
            long[] minuteAgo = minuteAgoIndex < 0 ? null : series.window.at(minuteAgoIndex);
            long twoMinutesAgoIndex = series == null || minuteAgoIndex < 0 ? -1
                    : sampleAtOrBefore(series.window, timesNanos[slot(minuteAgoIndex)] - MINUTE_NANOS, minuteAgoIndex);
            long[] twoMinutesAgo = twoMinutesAgoIndex < 0 ? null : series.window.at(twoMinutesAgoIndex);
            double window = minuteAgo == null ? Double.NaN : (reading.nanos - timesNanos[slot(minuteAgoIndex)]) / 1e9;
            double windowBefore = twoMinutesAgo == null ? Double.NaN
                    : (timesNanos[slot(minuteAgoIndex)] - timesNanos[slot(twoMinutesAgoIndex)]) / 1e9;
            long[] delta = minuteAgo == null ? null : bucketDelta(now, minuteAgo, TaskReading.BUCKETS_FROM);
            json.append("{\"task\":").append(quote(task.task))
                    .append(",\"total\":{\"success\":").append(now[0]).append(",\"failure\":").append(now[1])
                    .append(",\"timeout\":").append(now[2]).append('}')
                    .append(",\"windowSeconds\":").append(number(window))
                    .append(",\"runsPerSecond\":");
            outcomeRates(json, now, minuteAgo, window);
            json.append(",\"windowBeforeSeconds\":").append(number(windowBefore)).append(",\"runsPerSecondBefore\":");
            outcomeRates(json, minuteAgo, twoMinutesAgo, windowBefore);
            json.append(",\"p50\":").append(number(quantile(0.50, task.boundsSeconds, delta)))
                    .append(",\"p95\":").append(number(quantile(0.95, task.boundsSeconds, delta)))
                    .append(",\"p99\":").append(number(quantile(0.99, task.boundsSeconds, delta)))
                    .append(",\"inFlight\":").append(task.inFlight)
                    .append(",\"stuck\":").append(task.stuck)
                    .append(",\"timeoutsTotal\":").append(now[3])
                    .append(",\"timeoutsPerSecond\":")
                    .append(number(minuteAgo == null ? Double.NaN : Math.max(0, now[3] - minuteAgo[3]) / window))
                    .append('}');
        }
        json.append("],\"pools\":[");
        first = true;
        for (PoolReading pool : reading.pools.values()) {
            json.append(first ? "" : ",");
            first = false;
            PoolSeries series = pools.get(pool.pool);
            long[] now = pool.cumulative();
            long index = series == null ? -1 : sampleAtOrBefore(series.window, reading.nanos - MINUTE_NANOS, -1);
            long[] minuteAgo = index < 0 ? null : series.window.at(index);
            double waitP95 = minuteAgo == null || pool.waitBoundsSeconds == null ? Double.NaN
                    : quantile(0.95, pool.waitBoundsSeconds, bucketDelta(now, minuteAgo, PoolReading.BUCKETS_FROM));
            json.append("{\"pool\":").append(quote(pool.pool))
                    .append(",\"queued\":").append(pool.queued)
                    .append(",\"active\":").append(pool.active)
                    .append(",\"threads\":").append(pool.threads)
                    .append(",\"completed\":").append(pool.waitBoundsSeconds == null ? "null" : Long.toString(pool.completed))
                    .append(",\"queueWaitP95\":").append(number(waitP95))
                    .append('}');
        }
        json.append("],\"containers\":");
        if (reading.containers) {
            json.append("{\"active\":").append(reading.containersActive)
                    .append(",\"cpuCores\":").append(number(reading.containersCpu))
                    .append(",\"memoryBytes\":").append(reading.containersMemory).append('}');
        } else {
            json.append("null");
        }
        json.append(",\"jvm\":{\"heapUsedBytes\":").append(reading.heapUsed)
                .append(",\"heapMaxBytes\":").append(reading.heapMax < 0 ? "null" : Long.toString(reading.heapMax))
                .append(",\"processCpu\":").append(number(reading.processCpu)).append('}');
        json.append(",\"history\":");
        historyJson(json);
        return json.append('}').toString();
    }

    private static void outcomeRates(StringBuilder json, long[] now, long[] before, double seconds) {
        if (now == null || before == null || !(seconds > 0)) {
            json.append("null");
            return;
        }
        for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
            json.append(outcome == 0 ? "{" : ",").append('"').append(Outcome.label(outcome)).append("\":")
                    .append(number(Math.max(0, now[outcome] - before[outcome]) / seconds));
        }
        json.append('}');
    }

    /**
     * The latest kept sample (before {@code below}, when not negative) taken at or before
     * {@code nanos}, else the oldest kept one; -1 when there is none.
     */
    private long sampleAtOrBefore(Window window, long nanos, long below) {
        long newest = below >= 0 ? below - 1 : samples - 1;
        long oldest = Math.max(Math.max(0, window.firstSample), samples - Math.min(WINDOW, CAPACITY));
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

    private static int slot(long sample) {
        return (int) (sample % CAPACITY);
    }

    private void historyJson(StringBuilder json) {
        long oldest = Math.max(0, samples - CAPACITY);
        json.append("{\"intervalSeconds\":").append(INTERVAL_SECONDS)
                .append(",\"capacity\":").append(CAPACITY)
                .append(",\"times\":[");
        for (long n = oldest; n < samples; n++) {
            json.append(n == oldest ? "" : ",").append(timesMillis[slot(n)]);
        }
        json.append("],\"tasks\":{");
        boolean first = true;
        for (Map.Entry<String, TaskSeries> entry : tasks.entrySet()) {
            TaskSeries series = entry.getValue();
            json.append(first ? "" : ",").append(quote(entry.getKey())).append(":{");
            first = false;
            series("success", series.runs[0], oldest, json, false);
            series("failure", series.runs[1], oldest, json, true);
            series("timeout", series.runs[2], oldest, json, true);
            series("p50", series.p50, oldest, json, true);
            series("p95", series.p95, oldest, json, true);
            series("p99", series.p99, oldest, json, true);
            series("timeouts", series.timeouts, oldest, json, true);
            series("inFlight", series.inFlight, oldest, json, true);
            series("stuck", series.stuck, oldest, json, true);
            json.append('}');
        }
        json.append("},\"pools\":{");
        first = true;
        for (Map.Entry<String, PoolSeries> entry : pools.entrySet()) {
            PoolSeries series = entry.getValue();
            json.append(first ? "" : ",").append(quote(entry.getKey())).append(":{");
            first = false;
            series("queued", series.queued, oldest, json, false);
            series("active", series.active, oldest, json, true);
            series("queueWaitP95", series.waitP95, oldest, json, true);
            json.append('}');
        }
        json.append("},\"containers\":{");
        series("active", containersActive, oldest, json, false);
        series("cpuCores", containersCpu, oldest, json, true);
        series("memoryBytes", containersMemory, oldest, json, true);
        json.append("},\"jvm\":{");
        series("heapUsedBytes", heapUsed, oldest, json, false);
        series("heapMaxBytes", heapMax, oldest, json, true);
        series("processCpu", processCpu, oldest, json, true);
        json.append("}}");
    }

    private void series(String name, float[] ring, long oldest, StringBuilder json, boolean comma) {
        json.append(comma ? "," : "").append('"').append(name).append("\":[");
        for (long n = oldest; n < samples; n++) {
            json.append(n == oldest ? "" : ",").append(number(ring[slot(n)]));
        }
        json.append(']');
    }

    /** A JSON number with at most 6 significant digits, or null for NaN and infinities. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    static String quote(String value) {
        return JsonText.string(value);
    }

    private static float[] nanRing() {
        float[] ring = new float[CAPACITY];
        Arrays.fill(ring, Float.NaN);
        return ring;
    }

    // ------------------------------------------------------------------ rings

    /** The last {@link #WINDOW} cumulative readings of one series, by sample number. */
    /**
     * The last {@link #WINDOW} readings of one series. A reading is a few counts then a histogram
     * over hundreds of slots of which a task's durations fill a few dozen, so each is kept as
     * its counts and the span of slots from the first non-empty one to the last.
     */
    private static final class Window {
        final long firstSample;
        final int width;
        final int bucketsFrom;
        final long[][] packed = new long[WINDOW][];
        final long[] sampleOf = new long[WINDOW];

        Window(long firstSample, int width, int bucketsFrom) {
            this.firstSample = firstSample;
            this.width = width;
            this.bucketsFrom = bucketsFrom;
            Arrays.fill(sampleOf, -1);
        }

        void put(long sample, long[] reading) {
            int first = bucketsFrom;
            int last = Math.min(reading.length, width) - 1;
            while (first <= last && reading[first] == 0) {
                first++;
            }
            while (last >= first && reading[last] == 0) {
                last--;
            }
            int span = Math.max(0, last - first + 1);
            long[] keep = new long[bucketsFrom + 1 + span]; // counts, the first slot's index, the slots
            System.arraycopy(reading, 0, keep, 0, bucketsFrom);
            keep[bucketsFrom] = first;
            System.arraycopy(reading, first, keep, bucketsFrom + 1, span);
            int slot = (int) (sample % WINDOW);
            packed[slot] = keep;
            sampleOf[slot] = sample;
        }

        /** The reading of that sample, or null if this series has none for it. */
        long[] at(long sample) {
            if (sample < 0) {
                return null;
            }
            int slot = (int) (sample % WINDOW);
            if (sampleOf[slot] != sample) {
                return null;
            }
            long[] keep = packed[slot];
            long[] reading = new long[width];
            System.arraycopy(keep, 0, reading, 0, bucketsFrom);
            System.arraycopy(keep, bucketsFrom + 1, reading, (int) keep[bucketsFrom], keep.length - bucketsFrom - 1);
            return reading;
        }
    }

    private static final class TaskSeries {
        final float[][] runs = {nanRing(), nanRing(), nanRing()};
        final float[] p50 = nanRing();
        final float[] p95 = nanRing();
        final float[] p99 = nanRing();
        final float[] timeouts = nanRing();
        final float[] inFlight = nanRing();
        final float[] stuck = nanRing();
        final Window window;

        TaskSeries(long firstSample, int width) {
            window = new Window(firstSample, width, TaskReading.BUCKETS_FROM);
        }

        /** A task not read in this sample (it cannot vanish, but stay safe) gets gaps. */
        void clearIfNotWritten(long sample, int slot) {
            if (window.at(sample) == null) {
                for (float[] ring : new float[][] {runs[0], runs[1], runs[2], p50, p95, p99, timeouts, inFlight, stuck}) {
                    ring[slot] = Float.NaN;
                }
            }
        }
    }

    private static final class PoolSeries {
        final float[] queued = nanRing();
        final float[] active = nanRing();
        final float[] waitP95 = nanRing();
        final Window window;

        PoolSeries(long firstSample, int width) {
            window = new Window(firstSample, width, PoolReading.BUCKETS_FROM);
        }

        /** A pool gone (collected) leaves gaps. */
        void clearIfNotWritten(long sample, int slot) {
            if (window.at(sample) == null) {
                queued[slot] = Float.NaN;
                active[slot] = Float.NaN;
                waitP95[slot] = Float.NaN;
            }
        }
    }

    // ------------------------------------------------------------------ one reading of the sources

    /** One read of every source, on an agent thread. */
    static final class Reading {
        long timeMillis;
        long nanos;
        final Map<String, TaskReading> tasks = new LinkedHashMap<>();
        final Map<String, PoolReading> pools = new TreeMap<>();
        boolean containers;
        long containersActive;
        double containersCpu;
        long containersMemory;
        long heapUsed;
        long heapMax;
        double processCpu = Double.NaN;

        static Reading take(PoolNames poolNames, boolean containersConfigured) {
            Reading reading = new Reading();
            reading.timeMillis = System.currentTimeMillis();
            reading.nanos = System.nanoTime();
            InFlightSnapshot inFlight = InFlightSnapshot.take();
            for (int id = 0; id < TaskRecorders.size(); id++) {
                TaskRecorder recorder = TaskRecorders.recorder(id);
                if (recorder == null || !recorder.isTask()) {
                    continue;
                }
                TaskReading task = reading.tasks.get(recorder.label());
                if (task == null) {
                    task = new TaskReading(recorder.label(), recorder.success().layout());
                    reading.tasks.put(recorder.label(), task);
                }
                task.add(recorder, inFlight.active(id), inFlight.stuck(id));
            }
            for (Map.Entry<String, ExecutorMetricsCollector.PoolTotals> pool : ExecutorMetricsCollector.read(poolNames).entrySet()) {
                reading.pools.put(pool.getKey(), new PoolReading(pool.getKey(), pool.getValue()));
            }
            if (containersConfigured || Containers.succeeded().count() + Containers.failed().count() > 0) {
                long[] totals = new long[2];
                reading.containersCpu = Containers.readActive(totals);
                reading.containersActive = totals[0];
                reading.containersMemory = totals[1];
                reading.containers = true;
            }
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            reading.heapUsed = heap.getUsed();
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
    }

    /** One task's cumulative numbers; recorders sharing a label are summed. */
    static final class TaskReading {
        /** Index of the first bucket in {@link #cumulative()}: success, failure, timeout, timeouts, then buckets. */
        static final int BUCKETS_FROM = 4;
        final String task;
        final double[] boundsSeconds;
        final long[] values;
        long inFlight;
        long stuck;

        TaskReading(String task, HistogramLayout layout) {
            this.task = task;
            this.boundsSeconds = slotBoundsSeconds(layout);
            this.values = new long[BUCKETS_FROM + layout.slots()];
        }

        void add(TaskRecorder recorder, long active, long stuckRuns) {
            for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
                long[] counts = recorder.duration(outcome).slotCounts(); // the fine slots, not the classic buckets
                long count = 0;
                for (int i = 0; i < counts.length && BUCKETS_FROM + i < values.length; i++) {
                    values[BUCKETS_FROM + i] += counts[i];
                    count += counts[i];
                }
                values[outcome] += count; // consistent with the buckets by construction, as the scrape's count is
            }
            values[3] += recorder.exceptionTimeouts() + recorder.futureTimeouts() + recorder.handlerTimeouts()
                    + (recorder.deadlineNanos() == TaskRecorder.NO_DEADLINE ? 0 : recorder.deadlineMisses());
            inFlight += active;
            stuck += stuckRuns;
        }

        long[] cumulative() {
            return values;
        }
    }

    /** One pool name's numbers. */
    static final class PoolReading {
        static final int BUCKETS_FROM = 1;
        final String pool;
        final long queued;
        final long active;
        final long threads;
        final long completed;
        final double[] waitBoundsSeconds;
        final long[] values;

        PoolReading(String pool, ExecutorMetricsCollector.PoolTotals totals) {
            this.pool = pool;
            this.queued = totals.queued;
            this.active = totals.active;
            this.threads = totals.threads;
            this.completed = totals.completed;
            this.waitBoundsSeconds = totals.waitSlots == null ? null : slotBoundsSeconds(totals.waitLayout);
            int buckets = totals.waitSlots == null ? 0 : totals.waitSlots.length;
            this.values = new long[BUCKETS_FROM + buckets];
            values[0] = totals.completed;
            if (buckets > 0) {
                System.arraycopy(totals.waitSlots, 0, values, BUCKETS_FROM, buckets);
            }
        }

        long[] cumulative() {
            return values;
        }
    }

    /**
     * The upper bounds, in seconds, of every slot of {@code layout} but the last (which reaches
     * to the range of a long and is treated as +Inf): quantiles interpolate within a slot, at
     * most a ninth of its value wide at schema 3, instead of within a classic bucket.
     */
    static double[] slotBoundsSeconds(HistogramLayout layout) {
        double[] seconds = new double[layout.slots() - 1];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = layout.slotUpperNanos(i) / 1e9;
        }
        return seconds;
    }
}

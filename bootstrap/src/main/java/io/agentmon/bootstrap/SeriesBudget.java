package io.agentmon.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/**
 * The one account of the series agentmon's own label values produce ({@code agentmon.series.max}):
 * each task label, timeout target and pool name reserves what it can cost when it first
 * appears, and one that no longer fits is folded into the shared label {@code other} by its
 * table. So a scrape stays the same size however many labels a matcher finds, and a label that
 * came late is still recorded, under {@code other}.
 *
 * <p>Reservations happen at transform time or on the scraping thread, never on the hot path.
 *
 * <p><b>Threads.</b> Transforming threads and the scraping thread, under the class's lock;
 * never the woven code.
 */
public final class SeriesBudget {

    /** The default of {@code agentmon.series.max}. */
    public static final int DEFAULT_LIMIT = 10_000;
    /** The label value that labels beyond the budget share. */
    public static final String OTHER = "other";

    /** success, failure, timeout. */
    private static final int OUTCOMES = 3;
    /** agentmon_tasks_active, agentmon_tasks_stuck and agentmon_task_oldest_inflight_seconds. */
    private static final int TASK_GAUGES = 3;
    /** agentmon_task_timeouts_total's reasons: exception, future, deadline, handler. */
    private static final int TIMEOUT_REASONS = 4;
    /**
     * queued, active threads, pool threads, completed, rejected, core threads, max threads, queue
     * remaining, idle threads, parallelism, steals, scheduled.
     */
    private static final int POOL_SCALARS = 12;

    private static int limit = DEFAULT_LIMIT; // guarded by the class
    private static long used; // guarded by the class
    private static final LongAdder FOLDED = new LongAdder();

    private SeriesBudget() {
    }

    /**
     * Series one task label can produce: per outcome a histogram of {@code bounds + 1} buckets
     * plus count and sum; a failure counter per tracked exception class and the overflow; three
     * gauges; a timeout counter per reason. A timeout target is charged the same, which keeps
     * the account simple and errs on the safe side.
     */
    public static int taskSeries(int bounds) {
        return OUTCOMES * (bounds + 3) + ExceptionCounts.SLOTS + 1 + TASK_GAUGES + TIMEOUT_REASONS;
    }

    /** Series one pool name produces: twelve scalars, a queue-wait and a run-time histogram. */
    public static int poolSeries(int waitBounds, int runBounds) {
        return POOL_SCALARS + waitBounds + 3 + runBounds + 3;
    }

    /** Sets the budget; labels already admitted keep their series. */
    public static synchronized void useLimit(int series) {
        limit = series;
    }

    /** Takes {@code series} from the budget and returns true, or returns false when they do not fit. */
    public static synchronized boolean reserve(int series) {
        if (used + series > limit) {
            return false;
        }
        used += series;
        return true;
    }

    /** Gives back what a label reserved once it is gone (a pool name whose pools all ended). */
    public static synchronized void release(int series) {
        used = Math.max(0, used - series);
    }

    /** A label was folded into {@link #OTHER}. */
    public static void folded() {
        FOLDED.increment();
    }

    /** Labels folded into {@link #OTHER} so far: {@code agentmon_dropped_total{what="series"}}. */
    public static long foldedLabels() {
        return FOLDED.sum();
    }

    /** Series reserved so far. */
    public static synchronized long used() {
        return used;
    }
}

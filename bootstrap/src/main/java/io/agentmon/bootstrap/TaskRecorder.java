package io.agentmon.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/**
 * Everything recorded for one task label: runs started, a duration histogram per outcome, and
 * failures by exception class.
 *
 * <p>Runs in flight are derived, not counted twice: {@code started - finished}. A reader that
 * reads the histograms before {@link #started} never sees a negative result, because a run is
 * counted as started before it can be counted as finished.
 */
public final class TaskRecorder {

    final LongAdder started = new LongAdder();
    final DurationHistogram success;
    final DurationHistogram failure;
    final DurationHistogram timeout;
    final ExceptionCounts exceptions = new ExceptionCounts();
    private final String label;

    TaskRecorder(String label, long[] boundsNanos) {
        this.label = label;
        this.success = new DurationHistogram(boundsNanos);
        this.failure = new DurationHistogram(boundsNanos);
        this.timeout = new DurationHistogram(boundsNanos);
    }

    public String label() {
        return label;
    }

    public long started() {
        return started.sum();
    }

    /** Runs that returned normally. */
    public DurationHistogram success() {
        return success;
    }

    /** Runs that threw anything but a {@link java.util.concurrent.TimeoutException}. */
    public DurationHistogram failure() {
        return failure;
    }

    /** Runs that threw a {@link java.util.concurrent.TimeoutException}. */
    public DurationHistogram timeout() {
        return timeout;
    }

    /** The failure outcome's runs, by exception class. */
    public ExceptionCounts exceptions() {
        return exceptions;
    }

    /** Runs in flight now; read at scrape time. */
    public long active() {
        long finished = success.count() + failure.count() + timeout.count();
        return Math.max(0, started.sum() - finished);
    }
}

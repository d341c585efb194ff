package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything recorded for one task label: a duration histogram per outcome, failures by
 * exception class, and timeouts by source.
 *
 * <p>Runs in flight are not counted here but listed in {@link InFlight}; only runs that found
 * no slot there are counted, in {@link #untracked()}. A label may also exist only as the target
 * of timeouts (a timeout handler's own label, or {@code unknown}), without being a task.
 *
 * <p><b>Threads.</b> Written by the worker threads that run the task, any number at once
 * (histograms and adders: no lock); the label and deadline are fixed at registration. Read by
 * agent threads, each figure exact, not all at one instant.
 *
 * <p><b>Memory.</b> The success histogram is made with the recorder; the failure and timeout
 * histograms, the failures' {@link ExceptionCounts} and the five counters of rare events (runs
 * untracked, deadline misses, timeouts by source) are made by the first run that needs them (a CAS, the loser's object dropped, as
 * {@link DurationHistogram} makes its chunks), since most tasks rarely or never fail: about
 * 0.75 KiB less per task. Until then readers get an empty histogram of the same layout.
 */
public final class TaskRecorder {

    /** No deadline. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** What {@link #exceptions()} reads before the first failure: always empty, nothing records into it. */
    private static final ExceptionCounts NO_EXCEPTIONS = new ExceptionCounts();
    private static final AtomicReferenceFieldUpdater<TaskRecorder, ExceptionCounts> EXCEPTIONS =
            AtomicReferenceFieldUpdater.newUpdater(TaskRecorder.class, ExceptionCounts.class, "exceptions");
    private static final AtomicReferenceFieldUpdater<TaskRecorder, RareCounts> RARE =
            AtomicReferenceFieldUpdater.newUpdater(TaskRecorder.class, RareCounts.class, "rare");

    /** The counts of what most runs never do: run untracked, miss the deadline, time out. */
    static final class RareCounts {
        final LongAdder untracked = new LongAdder();
        final LongAdder deadlineMisses = new LongAdder();
        final LongAdder handlerTimeouts = new LongAdder();
        final LongAdder futureTimeouts = new LongAdder();
        final LongAdder exceptionTimeouts = new LongAdder();
    }

    private final DurationHistogram success;
    /** By {@link Outcome}: success from the start, the others from their first run. */
    private final AtomicReferenceArray<DurationHistogram> byOutcome = new AtomicReferenceArray<>(Outcome.COUNT);
    /** Made by the first failure; {@link #NO_EXCEPTIONS} is read until then. */
    private volatile ExceptionCounts exceptions;
    final long deadlineNanos;
    /** Made by the first rare event; null until then (every count 0). */
    private volatile RareCounts rare;
    private final String label;
    private volatile boolean task;

    TaskRecorder(String label, HistogramLayout layout, long deadlineNanos) {
        this.label = label;
        this.deadlineNanos = deadlineNanos;
        this.success = new DurationHistogram(layout);
        byOutcome.set(Outcome.SUCCESS, success);
    }

    /** The histogram a run that ended in {@code outcome} records into, made on the outcome's first run. */
    DurationHistogram recording(int outcome) {
        if (outcome == Outcome.SUCCESS) {
            return success;
        }
        DurationHistogram histogram = byOutcome.get(outcome);
        if (histogram == null) {
            DurationHistogram created = new DurationHistogram(success.layout());
            histogram = byOutcome.compareAndSet(outcome, null, created) ? created : byOutcome.get(outcome);
        }
        return histogram;
    }

    public String label() {
        return label;
    }

    /** Whether some method is woven as this task (rather than the label only receiving timeouts). */
    public boolean isTask() {
        return task;
    }

    void markTask() {
        task = true;
    }

    /** Runs that returned normally. */
    public DurationHistogram success() {
        return success;
    }

    /** Runs that threw anything but a {@link java.util.concurrent.TimeoutException}. */
    public DurationHistogram failure() {
        return duration(Outcome.FAILURE);
    }

    /** Runs that threw a {@link java.util.concurrent.TimeoutException}. */
    public DurationHistogram timeout() {
        return duration(Outcome.TIMEOUT);
    }

    /**
     * The runs that ended in {@code outcome}, an {@link Outcome} index; for reading only (an
     * outcome no run has ended in yet reads as a shared empty histogram).
     */
    public DurationHistogram duration(int outcome) {
        DurationHistogram histogram = byOutcome.get(outcome);
        return histogram != null ? histogram : DurationHistogram.empty(success.layout());
    }

    /** The histograms' one layout (every outcome's is the same). */
    public HistogramLayout layout() {
        return success.layout();
    }

    /** The failure outcome's runs, by exception class. */
    public ExceptionCounts exceptions() {
        ExceptionCounts counts = exceptions;
        return counts != null ? counts : NO_EXCEPTIONS;
    }

    /** The rare events' counters, to count into; made by the first such event. */
    RareCounts counting() {
        RareCounts counts = rare;
        if (counts == null) {
            RareCounts created = new RareCounts();
            counts = RARE.compareAndSet(this, null, created) ? created : rare;
        }
        return counts;
    }

    /** The failures' counts by class, to record into; made by the first failure. */
    ExceptionCounts countingExceptions() {
        ExceptionCounts counts = exceptions;
        if (counts == null) {
            ExceptionCounts created = new ExceptionCounts();
            counts = EXCEPTIONS.compareAndSet(this, null, created) ? created : exceptions;
        }
        return counts;
    }

    /** Runs in flight that {@link InFlight} had no slot for. */
    public long untracked() {
        RareCounts counts = rare;
        return counts == null ? 0 : counts.untracked.sum();
    }

    /** The deadline in nanoseconds, or {@link #NO_DEADLINE}. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Runs that finished (in any outcome) after their deadline. */
    public long deadlineMisses() {
        RareCounts counts = rare;
        return counts == null ? 0 : counts.deadlineMisses.sum();
    }

    /** Calls of a configured timeout handler attributed to this task. */
    public long handlerTimeouts() {
        RareCounts counts = rare;
        return counts == null ? 0 : counts.handlerTimeouts.sum();
    }

    /**
     * Runs that threw a {@link java.util.concurrent.TimeoutException} of their own: not one that
     * a timed-out {@code get} or a handler call in the same run had already counted.
     */
    public long exceptionTimeouts() {
        RareCounts counts = rare;
        return counts == null ? 0 : counts.exceptionTimeouts.sum();
    }

    /** Futures that timed out in {@code get(timeout, unit)} or by {@code orTimeout}, attributed to this task. */
    public long futureTimeouts() {
        RareCounts counts = rare;
        return counts == null ? 0 : counts.futureTimeouts.sum();
    }
}

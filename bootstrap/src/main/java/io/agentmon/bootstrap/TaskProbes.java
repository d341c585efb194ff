package io.agentmon.bootstrap;

/**
 * What woven task methods call: {@link #enter} on entry, {@link #exit} on every way out.
 *
 * <p><b>Threads.</b> Any worker thread, any number at once; each run's enter and exit are on the
 * same thread. Agent threads never call these; they read what the recorders and {@link InFlight}
 * hold. Nothing here locks or allocates.
 *
 * <p><b>Cost per run.</b> The probe id is a constant baked into the woven code when its class
 * was transformed, so finding the recorder is one array load. Two clock reads (one in the
 * advice, one in {@link #exit}); one CAS to claim an in-flight slot and ordered stores to free
 * it; two plain adds for the histogram (its slot's counter and the sum, in the in-flight slot's
 * own {@link SlotCells} cell; a run on no slot adds to two {@code LongAdder}s instead). Two reads of
 * {@link LiveFeed#active} (one in each of enter and exit), recording into the live feed only
 * while a {@code /events} client listens; two reads of {@link Traces#enabled} (likewise), giving
 * the run a span only when tracing is configured and the run found an in-flight slot.
 *
 * <p>No re-entrancy guard on this path, on purpose: a thread-local read per call would cost as
 * much as the rest of the probe. It is not needed, because everything {@link #enter} and
 * {@link #exit} reach is agentmon's bootstrap classes and JDK classes of the bootstrap loader,
 * which no matcher weaves (the agent's {@code WorkerClasses}), except the worker's own code
 * reached through {@link WorkerOtel} when tracing, which is guarded there.
 */
public final class TaskProbes {

    private TaskProbes() {
    }

    /**
     * What the advice holds as the slot until {@link #enter} has returned: an enter that failed
     * (a {@code StackOverflowError} in it, say) leaves this, and {@link #exit} then records and
     * releases nothing, instead of reading the advice's defaults (slot 0, start 0) and releasing
     * another run's slot with a duration of the clock's whole range.
     */
    public static final int NOT_ENTERED = Integer.MIN_VALUE;

    /**
     * Registers the run as in flight; returns its slot for {@link #exit}, or -1 when it is
     * untracked. {@code methodId} is the woven method's {@link TaskMethods} id, for its span.
     * If it fails after claiming, it gives the claim back before the failure goes on.
     */
    public static int enter(int probeId, int methodId, long startNanos) {
        int slot = InFlight.claim(probeId, startNanos);
        if (slot < 0) {
            TaskRecorders.get(probeId).counting().untracked.increment();
        }
        try {
            if (slot >= 0 && Traces.enabled) {
                Traces.started(methodId, slot);
            }
            if (LiveFeed.active) {
                LiveFeed.taskStarted(probeId);
            }
        } catch (Throwable failure) {
            if (slot >= 0) {
                InFlight.release(slot);
            } else {
                TaskRecorders.get(probeId).counting().untracked.decrement();
            }
            throw failure;
        }
        return slot;
    }

    /**
     * {@link #enter} for code woven without an exception handler of its own around the call
     * (agentmon's own weaver, where Byte Buddy's advice has {@code suppress}): never throws, and
     * an enter that failed returns {@link #NOT_ENTERED}, as the advice's local then holds.
     */
    public static int enterQuietly(int probeId, int methodId, long startNanos) {
        try {
            return enter(probeId, methodId, startNanos);
        } catch (Throwable failure) {
            return NOT_ENTERED;
        }
    }

    /** {@link #exit} for such code: never throws. {@code thrown} first, as the woven handler has it on its stack. */
    public static void exitQuietly(Throwable thrown, int probeId, int slot, long startNanos) {
        try {
            exit(probeId, slot, startNanos, thrown);
        } catch (Throwable failure) {
            // like the advice's suppress: the worker's method returns or throws as it would have
        }
    }

    /** Records the finished run; {@code thrown} is null when the method returned normally. */
    public static void exit(int probeId, int slot, long startNanos, Throwable thrown) {
        if (slot == NOT_ENTERED) {
            return; // the enter failed: there is no start to measure from and no slot to free
        }
        long elapsed = System.nanoTime() - startNanos;
        TaskRecorder recorder = TaskRecorders.get(probeId);
        boolean late = elapsed > recorder.deadlineNanos;
        int outcome = Outcome.of(thrown);
        // NOTE: read before the release below, after which the slot may be another run's. A
        // TimeoutException after a timed-out get or a handler call in this run is that same timeout.
        boolean ownTimeout = outcome == Outcome.TIMEOUT && (slot < 0 || InFlight.timeoutsSeen(slot) == 0);
        if (slot >= 0) {
            // NOTE: both before the release. The span's ids live in arrays indexed by the slot,
            // and the duration goes into the slot's own cells (SlotCells), which the next run to
            // claim the slot writes as soon as it is free. The finally: a failure here (out of
            // memory making a cell) must not keep the slot claimed for good.
            try {
                if (Traces.enabled) {
                    Traces.finished(probeId, slot, startNanos, elapsed, thrown, late);
                }
                recorder.recording(outcome).record(elapsed, slot);
            } finally {
                InFlight.release(slot);
            }
        } else {
            recorder.counting().untracked.decrement();
            recorder.recording(outcome).record(elapsed, -1);
        }
        if (outcome == Outcome.TIMEOUT) {
            if (ownTimeout) {
                recorder.counting().exceptionTimeouts.increment();
            }
            // The enclosing run on this thread, if it throws this on, throws a timeout already counted.
            InFlight.timeoutSeenByCurrentThread();
        } else if (outcome == Outcome.FAILURE) {
            recorder.countingExceptions().increment(thrown.getClass());
        }
        if (late) {
            recorder.counting().deadlineMisses.increment();
        }
        if (LiveFeed.active) {
            LiveFeed.taskFinished(probeId, elapsed, outcome, ownTimeout, late);
        }
    }
}

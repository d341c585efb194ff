package io.agentmon.bootstrap;

import java.util.concurrent.TimeoutException;

/**
 * What woven task methods call: {@link #enter} on entry, {@link #exit} on every way out.
 *
 * <p>The probe id is a constant baked into the woven code when its class was transformed, so
 * finding the recorder is one array load. Per run: two clock reads (one in the advice, one in {@link #exit}), one CAS to
 * claim an in-flight slot and two ordered stores to free it, and two uncontended atomic adds
 * (one histogram bucket, the duration sum). Callers: any thread, concurrently. Each also reads
 * {@link EventStream#active} once and, only while a {@code /events} client listens, records
 * into the event ring; and {@link Traces#enabled} once, giving the run a span only when tracing
 * is configured and it found an in-flight slot (an untracked run has no span).
 */
public final class TaskProbes {

    private TaskProbes() {
    }

    /**
     * Registers the run as in flight; returns its slot for {@link #exit}, or -1 when it is
     * untracked. {@code methodId} is the woven method's {@link TaskMethods} id, for its span.
     */
    public static int enter(int probeId, int methodId, long startNanos) {
        int slot = InFlight.claim(probeId, startNanos);
        if (slot < 0) {
            TaskRecorders.get(probeId).untracked.increment();
        } else if (Traces.enabled) {
            Traces.started(methodId, slot);
        }
        if (EventStream.active) {
            EventStream.taskStarted(probeId);
        }
        return slot;
    }

    /** Records the finished run; {@code thrown} is null when the method returned normally. */
    public static void exit(int probeId, int slot, long startNanos, Throwable thrown) {
        long elapsed = System.nanoTime() - startNanos;
        TaskRecorder recorder = TaskRecorders.get(probeId);
        boolean late = elapsed > recorder.deadlineNanos;
        if (slot >= 0) {
            if (Traces.enabled) {
                Traces.finished(probeId, slot, startNanos, elapsed, thrown, late);
            }
            InFlight.release(slot);
        } else {
            recorder.untracked.decrement();
        }
        if (thrown == null) {
            recorder.success.record(elapsed);
        } else if (thrown instanceof TimeoutException) {
            recorder.timeout.record(elapsed);
        } else {
            recorder.failure.record(elapsed);
            recorder.exceptions.increment(thrown.getClass());
        }
        if (late) {
            recorder.deadlineMisses.increment();
        }
        if (EventStream.active) {
            EventStream.taskFinished(probeId, elapsed, thrown, late);
        }
    }
}

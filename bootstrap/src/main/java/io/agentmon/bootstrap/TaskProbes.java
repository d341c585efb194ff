package io.agentmon.bootstrap;

import java.util.concurrent.TimeoutException;

/**
 * What woven task methods call: {@link #enter} on entry, {@link #exit} on every way out.
 *
 * <p>The probe id is a constant baked into the woven code when its class was transformed, so
 * finding the recorder is one array load. Cost per task: two clock reads and three uncontended
 * atomic adds (started, one bucket, the duration sum). Callers: any thread, concurrently.
 */
public final class TaskProbes {

    private TaskProbes() {
    }

    /** Counts the run as started and returns the start time for {@link #exit}. */
    public static long enter(int probeId) {
        TaskRecorders.get(probeId).started.increment();
        return System.nanoTime();
    }

    /** Records the finished run; {@code thrown} is null when the method returned normally. */
    public static void exit(int probeId, long startNanos, Throwable thrown) {
        long elapsed = System.nanoTime() - startNanos;
        TaskRecorder recorder = TaskRecorders.get(probeId);
        if (thrown == null) {
            recorder.success.record(elapsed);
        } else if (thrown instanceof TimeoutException) {
            recorder.timeout.record(elapsed);
        } else {
            recorder.failure.record(elapsed);
            recorder.exceptions.increment(thrown.getClass());
        }
    }
}

package io.agentmon.agent;

import io.agentmon.bootstrap.TaskMethods;
import io.agentmon.bootstrap.TaskProbes;

/** Task runs made by the probes themselves, in the test's thread, for tests that read what the recorders hold. */
public final class Runs {

    private Runs() {
    }

    /** {@code times} runs of task {@code id}, each begun {@code tookNanos} before it ends, throwing {@code thrown} (or returning). */
    public static void run(int id, long tookNanos, Throwable thrown, int times) {
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime() - tookNanos;
            TaskProbes.exit(id, TaskProbes.enter(id, TaskMethods.UNKNOWN, start), start, thrown);
        }
    }
}

package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.InFlight;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One read of the in-flight table, on an agent thread: the runs in progress, and per task how
 * many are running, how long the oldest of them has been, and how many are stuck: in progress
 * for longer than the task's deadline, or, for a task with none, than
 * {@code agentmon.task.stuck.after} (10 minutes unless set). This read is the watchdog: it runs
 * at every scrape and every {@code GET /tasks}, so "stuck" is always as fresh as the question.
 */
public final class InFlightSnapshot {

    /** The default of {@code agentmon.task.stuck.after}. */
    public static final long DEFAULT_STUCK_AFTER_NANOS = 10L * 60 * 1_000_000_000L;

    private static volatile long stuckAfterNanos = DEFAULT_STUCK_AFTER_NANOS;

    private final List<Run> runs;
    private final long[] activeByProbe;
    private final long[] stuckByProbe;
    private final long[] oldestByProbe;

    private InFlightSnapshot(List<Run> runs, long[] activeByProbe, long[] stuckByProbe, long[] oldestByProbe) {
        this.runs = runs;
        this.activeByProbe = activeByProbe;
        this.stuckByProbe = stuckByProbe;
        this.oldestByProbe = oldestByProbe;
    }

    /** Sets when a run of a task with no deadline counts as stuck ({@code agentmon.task.stuck.after}). */
    public static void useStuckAfter(long nanos) {
        stuckAfterNanos = nanos;
    }

    /** How long a run of the task with {@code deadlineNanos} may last before it is stuck. */
    static long stuckAfter(long deadlineNanos) {
        return deadlineNanos == TaskRecorder.NO_DEADLINE ? stuckAfterNanos : deadlineNanos;
    }

    public static InFlightSnapshot take() {
        int probes = TaskRecorders.size();
        long[] active = new long[probes];
        long[] stuck = new long[probes];
        long[] oldest = new long[probes];
        List<Run> runs = new ArrayList<>();
        long now = System.nanoTime();
        for (int slot = 0; slot < InFlight.SLOTS; slot++) {
            Thread thread = InFlight.thread(slot);
            if (thread == null) {
                continue;
            }
            int probe = InFlight.probe(slot);
            long start = InFlight.startNanos(slot);
            if (probe < 0 || probe >= probes) {
                continue; // registered after we sized the arrays; the next read sees it
            }
            TaskRecorder recorder = TaskRecorders.recorder(probe);
            long elapsed = Math.max(0, now - start);
            boolean isStuck = elapsed > stuckAfter(recorder.deadlineNanos());
            active[probe]++;
            if (isStuck) {
                stuck[probe]++;
            }
            oldest[probe] = Math.max(oldest[probe], elapsed);
            runs.add(new Run(recorder.label(), recorder.deadlineNanos(), thread, elapsed, isStuck));
        }
        for (int probe = 0; probe < probes; probe++) {
            active[probe] += TaskRecorders.recorder(probe).untracked();
        }
        return new InFlightSnapshot(Collections.unmodifiableList(runs), active, stuck, oldest);
    }

    /** Runs in progress of the task with this probe id (listed or untracked). */
    public long active(int probe) {
        return probe < activeByProbe.length ? activeByProbe[probe] : 0;
    }

    /** Runs of this task in progress for longer than its deadline, or than stuck-after when it has none. */
    public long stuck(int probe) {
        return probe < stuckByProbe.length ? stuckByProbe[probe] : 0;
    }

    /** How long the oldest listed run of this task has been in progress, in nanoseconds; 0 when none is. */
    public long oldestNanos(int probe) {
        return probe < oldestByProbe.length ? oldestByProbe[probe] : 0;
    }

    /** The listed runs, in table order. */
    public List<Run> runs() {
        return runs;
    }

    /** One run in progress. */
    public static final class Run {
        /** The task's label. */
        public final String task;
        public final Thread thread;
        public final long elapsedNanos;
        public final boolean stuck;
        private final long deadlineNanos;

        Run(String task, long deadlineNanos, Thread thread, long elapsedNanos, boolean stuck) {
            this.task = task;
            this.deadlineNanos = deadlineNanos;
            this.thread = thread;
            this.elapsedNanos = elapsedNanos;
            this.stuck = stuck;
        }

        public boolean hasDeadline() {
            return deadlineNanos != TaskRecorder.NO_DEADLINE;
        }

        /** The task's deadline; only meaningful when it {@link #hasDeadline has one}. */
        public long deadlineNanos() {
            return deadlineNanos;
        }
    }
}

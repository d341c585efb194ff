package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.ExceptionCounts;
import io.agentmon.bootstrap.HistogramLayout;
import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One task label's cumulative numbers at one read, for the summary's sampler: runs by outcome,
 * timeouts of every reason, the fine duration slots of all runs together, and the runs in
 * flight and stuck now. Recorders sharing a label are summed.
 */
public final class TaskTotals {

    private final String task;
    private final double[] slotBoundsSeconds;
    private final long[] runs = new long[Outcome.COUNT];
    private final long[] slotCounts;
    private long timeouts;
    private long inFlight;
    private long stuck;
    private final Map<String, Long> failuresByException = new TreeMap<>();

    private TaskTotals(String task, HistogramLayout layout) {
        this.task = task;
        this.slotBoundsSeconds = HistogramPoints.slotBoundsSeconds(layout);
        this.slotCounts = new long[layout.slots()];
    }

    /** Every task's totals by label, in the order the tasks were registered. */
    public static Map<String, TaskTotals> read() {
        Map<String, TaskTotals> tasks = new LinkedHashMap<>();
        InFlightSnapshot inFlight = InFlightSnapshot.take();
        for (int id = 0; id < TaskRecorders.size(); id++) {
            TaskRecorder recorder = TaskRecorders.recorder(id);
            if (recorder == null || !recorder.isTask()) {
                continue;
            }
            tasks.computeIfAbsent(recorder.label(), label -> new TaskTotals(label, recorder.layout()))
                    .add(recorder, inFlight.active(id), inFlight.stuck(id));
        }
        return tasks;
    }

    private void add(TaskRecorder recorder, long active, long stuckRuns) {
        for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
            long[] counts = recorder.duration(outcome).slotCounts(); // the fine slots, not the classic buckets
            long count = 0;
            for (int i = 0; i < counts.length && i < slotCounts.length; i++) {
                slotCounts[i] += counts[i];
                count += counts[i];
            }
            runs[outcome] += count; // consistent with the slots by construction, as the scrape's count is
        }
        timeouts += recorder.exceptionTimeouts() + recorder.futureTimeouts() + recorder.handlerTimeouts()
                + (recorder.deadlineNanos() == TaskRecorder.NO_DEADLINE ? 0 : recorder.deadlineMisses());
        inFlight += active;
        stuck += stuckRuns;
        ExceptionCounts exceptions = recorder.exceptions();
        for (int slot = 0; slot < ExceptionCounts.SLOTS; slot++) {
            Class<?> type = exceptions.type(slot);
            if (type != null) {
                failuresByException.merge(TaskMetricsCollector.simpleName(type), exceptions.count(slot), Long::sum);
            }
        }
        long overflow = exceptions.count(ExceptionCounts.SLOTS);
        if (overflow > 0) {
            failuresByException.merge("other", overflow, Long::sum);
        }
    }

    /** Failed runs by the thrown exception's simple class name, as {@code agentmon_task_failures_total} has them. */
    public Map<String, Long> failuresByException() {
        return failuresByException;
    }

    public String task() {
        return task;
    }

    /** Runs that ended in {@code outcome}, an {@link Outcome}. */
    public long runs(int outcome) {
        return runs[outcome];
    }

    /** Timeouts of every reason, as {@code agentmon_task_timeouts_total} sums them. */
    public long timeouts() {
        return timeouts;
    }

    /** Runs of every outcome per slot of the task's histogram layout. */
    public long[] slotCounts() {
        return slotCounts;
    }

    /** The upper bounds of the slots in seconds ({@link HistogramPoints#slotBoundsSeconds}). */
    public double[] slotBoundsSeconds() {
        return slotBoundsSeconds;
    }

    public long inFlight() {
        return inFlight;
    }

    public long stuck() {
        return stuck;
    }
}

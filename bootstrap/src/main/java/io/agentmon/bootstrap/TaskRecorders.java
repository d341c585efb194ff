package io.agentmon.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * The table of task recorders, indexed by probe id.
 *
 * <p>Ids are handed out at transform time, one per task label: every method that shares a label
 * shares its recorder, and a class transformed again gets the ids it had before. Registration
 * is rare and synchronized; {@link #get} is what the hot path uses, a single array read.
 *
 * <p><b>Threads.</b> Registration on transforming threads (synchronized, publishing the recorder
 * before its id is handed out); {@link #get} from any thread, no lock.
 */
public final class TaskRecorders {

    /**
     * Most task labels the configuration can produce (the labels {@code unknown} and
     * {@code other} come on top). Each label is a few dozen series; {@link SeriesBudget} is
     * usually the bound that is reached first. Labels beyond either bound share {@code other}.
     */
    public static final int MAX_TASKS = 2048;
    /** Ids handed out: {@link #MAX_TASKS}, the agent's own {@code unknown}, and {@code other}. */
    public static final int CAPACITY = MAX_TASKS + 2;

    /**
     * A plain array, not an {@code AtomicReferenceArray}: the hot path's read then needs no load
     * of the array out of a holder object and no type check of the element. Written with release
     * (under the lock, before the id is handed out), read by {@link #get} plainly, which is safe
     * for a {@link TaskRecorder} (its fields are final or volatile), and again with acquire if
     * that read found nothing.
     */
    private static final TaskRecorder[] RECORDERS = new TaskRecorder[CAPACITY];
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(TaskRecorder[].class);
    private static final Map<String, Integer> IDS = new HashMap<>(); // guarded by itself
    private static volatile HistogramLayout layout = HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, new long[0]);
    private static volatile int size;
    private static int configured; // labels counted against MAX_TASKS; guarded by IDS
    private static int other = -1; // guarded by IDS

    private TaskRecorders() {
    }

    static TaskRecorder get(int probeId) {
        TaskRecorder recorder = RECORDERS[probeId];
        return recorder != null ? recorder : recorder(probeId);
    }

    /** Sets the histogram bucket bounds for recorders created from now on. */
    public static void useBuckets(long[] boundsNanos) {
        layout = HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, boundsNanos);
    }

    /**
     * Returns the probe id of the task {@code label}, creating its recorder on first use. When
     * {@link #MAX_TASKS} labels exist already or the {@link SeriesBudget} has no room, the label
     * is folded into {@link SeriesBudget#OTHER} (and counted there): the method is still woven
     * and its runs counted, under {@code other}, which has no deadline. The deadline is taken
     * from the first registration of a label.
     */
    public static int registerTask(String label, long deadlineNanos) {
        int id = register(label, deadlineNanos);
        recorder(id).markTask();
        return id;
    }

    /** Whether some woven method registered this label (a task's or a timeout target's). */
    public static boolean hasLabel(String label) {
        synchronized (IDS) {
            return IDS.containsKey(label);
        }
    }

    /** Like {@link #registerTask} for a label that only receives timeouts (a handler's). */
    public static int registerTimeoutTarget(String label) {
        return register(label, TaskRecorder.NO_DEADLINE);
    }

    /**
     * A label the agent itself names ({@code unknown}, for timeouts no task can be blamed for):
     * one recorder, outside {@link #MAX_TASKS} and the series budget.
     */
    public static int registerOwn(String label) {
        synchronized (IDS) {
            Integer known = IDS.get(label);
            if (known != null) {
                return known;
            }
            return size < CAPACITY - 1 ? create(label, TaskRecorder.NO_DEADLINE) : register(label, TaskRecorder.NO_DEADLINE);
        }
    }

    private static int register(String label, long deadlineNanos) {
        synchronized (IDS) {
            Integer known = IDS.get(label);
            if (known != null) {
                return known;
            }
            int id;
            if (configured < MAX_TASKS && size < CAPACITY - 1
                    && SeriesBudget.reserve(SeriesBudget.taskSeries(layout.classicBoundsNanos().length))) {
                configured++;
                id = create(label, deadlineNanos);
            } else {
                if (other < 0) {
                    other = IDS.containsKey(SeriesBudget.OTHER) ? IDS.get(SeriesBudget.OTHER)
                            : create(SeriesBudget.OTHER, TaskRecorder.NO_DEADLINE);
                }
                id = other;
                IDS.put(label, id); // counted once, however often the label comes back
                SeriesBudget.folded();
            }
            return id;
        }
    }

    private static int create(String label, long deadlineNanos) {
        int id = size;
        SLOTS.setRelease(RECORDERS, id, new TaskRecorder(label, layout, deadlineNanos));
        IDS.put(label, id);
        size = id + 1;
        return id;
    }

    /** Number of recorders; ids {@code 0 .. size()-1} are valid. */
    public static int size() {
        return size;
    }

    /** The recorder with this id, for readers on agent threads. */
    public static TaskRecorder recorder(int probeId) {
        return (TaskRecorder) SLOTS.getAcquire(RECORDERS, probeId);
    }
}

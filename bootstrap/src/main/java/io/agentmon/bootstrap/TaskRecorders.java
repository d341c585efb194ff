package io.agentmon.bootstrap;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The table of task recorders, indexed by probe id.
 *
 * <p>Ids are handed out at transform time, one per task label: every method that shares a label
 * shares its recorder, and a class transformed again gets the ids it had before. Registration
 * is rare and synchronized; {@link #get} is what the hot path uses, a single array read.
 */
public final class TaskRecorders {

    /**
     * Most task labels one JVM records. Each is a few series in every Prometheus that scrapes
     * it; a matcher that names thousands of methods is a mistake this bound keeps cheap.
     */
    public static final int MAX_TASKS = 2048;

    private static final AtomicReferenceArray<TaskRecorder> RECORDERS = new AtomicReferenceArray<>(MAX_TASKS);
    private static final Map<String, Integer> IDS = new HashMap<>(); // guarded by itself
    private static volatile long[] boundsNanos = new long[0];
    private static volatile int size;
    private static volatile long refused;

    private TaskRecorders() {
    }

    static TaskRecorder get(int probeId) {
        return RECORDERS.get(probeId);
    }

    /** Sets the histogram bucket bounds for recorders created from now on. */
    public static void useBuckets(long[] boundsNanos) {
        TaskRecorders.boundsNanos = boundsNanos.clone();
    }

    /**
     * Returns the probe id of the task {@code label}, creating its recorder on first use, or -1
     * when {@link #MAX_TASKS} labels exist already (the method then stays unwoven, and is counted).
     * The deadline is taken from the first registration of a label.
     */
    public static int registerTask(String label, long deadlineNanos) {
        int id = register(label, deadlineNanos);
        if (id >= 0) {
            RECORDERS.get(id).markTask();
        }
        return id;
    }

    /** Like {@link #registerTask} for a label that only receives timeouts (a handler's, or {@code unknown}). */
    public static int registerTimeoutTarget(String label) {
        return register(label, TaskRecorder.NO_DEADLINE);
    }

    private static int register(String label, long deadlineNanos) {
        synchronized (IDS) {
            Integer known = IDS.get(label);
            if (known != null) {
                return known;
            }
            if (size == MAX_TASKS) {
                refused++;
                return -1;
            }
            int id = size;
            RECORDERS.set(id, new TaskRecorder(label, boundsNanos, deadlineNanos));
            IDS.put(label, id);
            size = id + 1;
            return id;
        }
    }

    /** Number of recorders; ids {@code 0 .. size()-1} are valid. */
    public static int size() {
        return size;
    }

    /** The recorder with this id, for readers on agent threads. */
    public static TaskRecorder recorder(int probeId) {
        return RECORDERS.get(probeId);
    }

    /** Labels refused because {@link #MAX_TASKS} was reached. */
    public static long refused() {
        return refused;
    }
}

package io.agentmon.bootstrap;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Probe ids of tasks whose label is known only at run time, from a value the woven code reads
 * (a Spring Batch step's job and step names): the label is {@code scope.name}. Each distinct pair
 * is registered with {@link TaskRecorders#registerTask} once, on the first run that brings it, and
 * its id cached; so the series budget, the 2048-label bound and the folding into {@code other}
 * apply as to any task label.
 *
 * <p><b>Cost.</b> A known pair costs two {@link ConcurrentHashMap#get}s (no lock, no allocation:
 * the names' hash codes are cached in the strings). That is more than a probe id baked in as a
 * constant, and is meant for coarse runs only (a batch step runs once per job execution, for
 * seconds or hours), never for a per-item or per-message method. The first run of a new pair
 * takes a lock and allocates its label. At most {@link #MAX_NAMES} pairs are kept; past that a new
 * pair's runs are counted under {@code other} without being remembered, still with no lock: the
 * cache never grows with names a worker makes up as it goes (a step per partition, a job per day).
 *
 * <p><b>Threads.</b> {@link #probeId} and {@link #failure} from any worker thread at once;
 * {@link #useDeadlines} once at start-up, before any weaving.
 */
public final class TaskNames {

    /** Most distinct (scope, name) pairs kept with their own probe id. */
    public static final int MAX_NAMES = 512;
    /** Labels are cut to this many characters (names come from the worker, not from configuration). */
    public static final int MAX_LABEL_LENGTH = 200;

    private static final String NULL = "null";
    private static final ConcurrentHashMap<String, ConcurrentHashMap<String, Integer>> IDS = new ConcurrentHashMap<>();
    private static volatile ToLongFunction<String> deadlines;
    private static int names; // guarded by the class
    /** Set, after {@link #other}, once {@link #MAX_NAMES} pairs are kept. */
    private static volatile boolean full;
    private static volatile int other = -1;

    private TaskNames() {
    }

    /** The deadline of a label, read once per label when it is registered (none when unset). */
    public static void useDeadlines(ToLongFunction<String> deadlinesByLabel) {
        deadlines = deadlinesByLabel;
    }

    /** The probe id of the task labelled {@code scope.name}; registers the label on its first run. */
    public static int probeId(String scope, String name) {
        ConcurrentHashMap<String, Integer> byName = IDS.get(scope == null ? NULL : scope);
        if (byName != null) {
            Integer id = byName.get(name == null ? NULL : name);
            if (id != null) {
                return id;
            }
        }
        if (full) {
            return other;
        }
        return register(scope == null ? NULL : scope, name == null ? NULL : name);
    }

    private static synchronized int register(String scope, String name) {
        ConcurrentHashMap<String, Integer> byName = IDS.get(scope);
        Integer known = byName == null ? null : byName.get(name);
        if (known != null) {
            return known;
        }
        if (names >= MAX_NAMES) {
            return other;
        }
        String label = scope + "." + name;
        if (label.length() > MAX_LABEL_LENGTH) {
            label = label.substring(0, MAX_LABEL_LENGTH);
        }
        ToLongFunction<String> deadline = deadlines;
        int id = TaskRecorders.registerTask(label, deadline == null ? TaskRecorder.NO_DEADLINE : deadline.applyAsLong(label));
        if (byName == null) {
            byName = new ConcurrentHashMap<>();
            IDS.put(scope, byName);
        }
        byName.put(name, id);
        names++;
        if (names == MAX_NAMES) {
            other = TaskRecorders.registerTask(SeriesBudget.OTHER, TaskRecorder.NO_DEADLINE);
            full = true; // after other: a thread that sees full reads the id
        }
        return id;
    }

    /** Pairs kept so far. */
    static synchronized int size() {
        return names;
    }

    /**
     * What a run that ended with {@code status} (an enum constant of the framework's, null when
     * unknown) counts as: what it threw, else, when the status is a failed one, the first of the
     * run's {@code failures} the framework recorded (or {@link FailedStatus} when it recorded
     * none), else null for a success. Failed statuses: {@code FAILED}, {@code ABANDONED},
     * {@code UNKNOWN} (Spring Batch's {@code BatchStatus.isUnsuccessful()}). No allocation.
     */
    public static Throwable failure(Throwable thrown, Object status, List<?> failures) {
        if (thrown != null) {
            return thrown;
        }
        if (!(status instanceof Enum) || !failed(((Enum<?>) status).name())) {
            return null;
        }
        if (failures != null) {
            try {
                Object first = failures.isEmpty() ? null : failures.get(0);
                if (first instanceof Throwable) {
                    return (Throwable) first;
                }
            } catch (IndexOutOfBoundsException cleared) {
                // emptied by another thread between the two calls: no exception to name
            }
        }
        return FailedStatus.INSTANCE;
    }

    private static boolean failed(String status) {
        return "FAILED".equals(status) || "ABANDONED".equals(status) || "UNKNOWN".equals(status);
    }

    /** Names a failure that the framework recorded as a status alone, with no exception. */
    public static final class FailedStatus extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final FailedStatus INSTANCE = new FailedStatus();

        private FailedStatus() {
            super("the run ended with a failed status and no exception", null, false, false);
        }
    }
}

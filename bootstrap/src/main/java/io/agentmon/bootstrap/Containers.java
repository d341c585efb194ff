package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Container allocations: how many succeeded or failed and how long they took, and a fixed,
 * lock-free table of the containers allocated, with the CPU and memory each was given, so the
 * agent can report what is alive now. A container is found again by {@code equals} on its key:
 * the object an allocation method returned (released by passing it back), or a docker-java
 * container id.
 *
 * <p>Writers: the worker's threads that allocate, start, stop and release containers, and the
 * agent's housekeeping thread, which alone forgets stale entries ({@link #forgetStale}). Readers:
 * agent threads, summing the live entries ({@link #readActive}) without changing any.
 */
public final class Containers {

    /** Slots in the table; a power of two. */
    public static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;
    private static final int PROBE_LIMIT = 32;

    static final int FREE = 0;
    static final int CREATED = 1;
    static final int ACTIVE = 2;
    static final int STOPPED = 3;

    /**
     * Set (by {@link Table}'s initializer) once the table exists. Only an allocation makes it
     * (the first one, on the allocating thread: about 0.12 MiB, once); a worker that allocates no
     * containers never holds it, and until then every look-up, read and sweep finds nothing.
     */
    private static volatile boolean made;

    /** The table's arrays, made by the first allocation tracked. */
    private static final class Table {
        static final AtomicReferenceArray<Object> KEYS = new AtomicReferenceArray<>(SLOTS);
        static final AtomicIntegerArray STATES = new AtomicIntegerArray(SLOTS);
        static final double[] CPUS = new double[SLOTS];
        static final long[] MEMORY = new long[SLOTS];
        static final long[] SINCE = new long[SLOTS];

        static {
            made = true;
        }

        private Table() {
        }
    }
    private static final LongAdder OVERFLOWS = new LongAdder();
    private static volatile DurationHistogram succeeded = new DurationHistogram(layout(new long[0]));
    private static volatile DurationHistogram failed = new DurationHistogram(layout(new long[0]));

    private Containers() {
    }

    /** Sets the allocation-duration buckets; call before any allocation is recorded. */
    private static HistogramLayout layout(long[] boundsNanos) {
        return HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, boundsNanos);
    }

    public static void useBuckets(long[] boundsNanos) {
        HistogramLayout layout = layout(boundsNanos);
        succeeded = new DurationHistogram(layout);
        failed = new DurationHistogram(layout);
    }

    /**
     * An allocation finished. On success the container is tracked under {@code key} (when there
     * is one), {@code active} at once or only once started.
     */
    static void allocated(long startNanos, boolean success, Object key, double cpus, long memoryBytes, boolean active) {
        long elapsed = System.nanoTime() - startNanos;
        (success ? succeeded : failed).record(elapsed);
        if (success && key != null) {
            put(key, cpus, memoryBytes, active ? ACTIVE : CREATED);
        }
    }

    private static void put(Object key, double cpus, long memoryBytes, int state) {
        int home = spread(key.hashCode());
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            if (Table.KEYS.get(slot) == null && Table.KEYS.compareAndSet(slot, null, key)) {
                Table.CPUS[slot] = cpus;
                Table.MEMORY[slot] = memoryBytes;
                Table.SINCE[slot] = System.nanoTime();
                Table.STATES.set(slot, state); // publishes the values above
                return;
            }
        }
        OVERFLOWS.increment();
    }

    /** The container with this key changes from {@code from} to {@code to}; unknown keys are ignored. */
    static void transition(Object key, int from, int to) {
        int slot = find(key);
        if (slot >= 0 && Table.STATES.get(slot) == from) {
            // Forgetting counts from the last change, not the allocation: a container stopped after
            // a day of running and started again later is still known.
            Table.SINCE[slot] = System.nanoTime();
            Table.STATES.compareAndSet(slot, from, to);
        }
    }

    /**
     * The container with this key is gone. The state goes to FREE by CAS first, so of two
     * removals racing only one frees the slot; only then is the key cleared, and a new
     * allocation can claim the slot no earlier than that.
     */
    static void remove(Object key) {
        int slot = find(key);
        if (slot < 0) {
            return;
        }
        Object found = Table.KEYS.get(slot);
        int state = Table.STATES.get(slot);
        if (found != null && state != FREE && Table.STATES.compareAndSet(slot, state, FREE)) {
            Table.KEYS.compareAndSet(slot, found, null);
        }
    }

    private static int find(Object key) {
        if (key == null || !made) {
            return -1;
        }
        int home = spread(key.hashCode());
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            Object candidate = Table.KEYS.get(slot);
            if (candidate != null && (candidate == key || candidate.equals(key))) {
                return slot;
            }
        }
        return -1;
    }

    private static int spread(int hash) {
        return (hash ^ (hash >>> 16)) * 0x9E3779B1 >>> 20 & MASK;
    }

    /**
     * Reads the live containers into {@code totals}: [count, memory bytes] and returns their CPU
     * cores. A pure read: it changes nothing, so any number of agent threads may call it.
     */
    public static double readActive(long[] totals) {
        double cpus = 0;
        totals[0] = 0;
        totals[1] = 0;
        if (!made) {
            return cpus;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            if (Table.STATES.get(slot) == ACTIVE) {
                totals[0]++;
                totals[1] += Table.MEMORY[slot];
                cpus += Table.CPUS[slot];
            }
        }
        return cpus;
    }

    /**
     * Frees the entries that are not running and have not changed for longer than
     * {@code idleNanos} (a container removed by Docker itself, say, whose removal the agent never
     * saw). For the agent's one housekeeping thread; a running container is never forgotten.
     */
    public static void forgetStale(long idleNanos) {
        if (!made) {
            return;
        }
        long now = System.nanoTime();
        for (int slot = 0; slot < SLOTS; slot++) {
            int state = Table.STATES.get(slot);
            if (state != FREE && state != ACTIVE && now - Table.SINCE[slot] > idleNanos) {
                Object key = Table.KEYS.get(slot);
                if (key != null && Table.STATES.compareAndSet(slot, state, FREE)) {
                    Table.KEYS.compareAndSet(slot, key, null);
                }
            }
        }
    }

    public static DurationHistogram succeeded() {
        return succeeded;
    }

    public static DurationHistogram failed() {
        return failed;
    }

    /** Allocations not tracked because the table had no room. */
    public static long overflows() {
        return OVERFLOWS.sum();
    }
}

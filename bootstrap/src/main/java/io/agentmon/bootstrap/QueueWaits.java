package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * When each queued task was handed to its pool: a fixed, lock-free table keyed by the task's
 * identity, written when a task is submitted and emptied when a pool thread takes it. A task
 * sits within {@link #PROBE_LIMIT} slots of its identity hash; a lookup reads all of them (no
 * tombstones, so removal is a plain CAS to null).
 *
 * <p>A task that never leaves the queue through the paths the agent sees (removed by an
 * iterator, say) would keep its slot; {@link #sweepOlderThan} frees such slots from an agent thread.
 */
public final class QueueWaits {

    /** Slots in the table; a power of two. */
    public static final int SLOTS = 16384;
    private static final int MASK = SLOTS - 1;
    private static final int PROBE_LIMIT = 16;

    private static final AtomicReferenceArray<Object> TASKS = new AtomicReferenceArray<>(SLOTS);
    private static final long[] SINCE = new long[SLOTS];
    private static final LongAdder OVERFLOWS = new LongAdder();
    private static final LongAdder SWEPT = new LongAdder();

    private QueueWaits() {
    }

    static void put(Object task, long nowNanos) {
        int home = System.identityHashCode(task) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            if (TASKS.get(slot) == null && TASKS.compareAndSet(slot, null, task)) {
                // The pool thread that takes the task reads this after the queue's own hand-off,
                // which orders it. NOTE: the sweeper may read the slot's previous time in between:
                // a benign race that can only drop one measurement (counted as swept).
                SINCE[slot] = nowNanos;
                return;
            }
        }
        OVERFLOWS.increment();
    }

    /** Removes {@code task}; returns when it was put, or -1 when it is not in the table. */
    static long take(Object task) {
        int home = System.identityHashCode(task) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            if (TASKS.get(slot) == task) {
                long since = SINCE[slot];
                if (TASKS.compareAndSet(slot, task, null)) {
                    return since;
                }
            }
        }
        return -1;
    }

    /** Frees slots held longer than {@code maxNanos}; call from an agent thread. */
    public static void sweepOlderThan(long maxNanos) {
        long now = System.nanoTime();
        for (int slot = 0; slot < SLOTS; slot++) {
            Object task = TASKS.get(slot);
            if (task != null && now - SINCE[slot] > maxNanos && TASKS.compareAndSet(slot, task, null)) {
                SWEPT.increment();
            }
        }
    }

    /** Tasks whose wait was not measured: no free slot when queued, or swept after waiting too long. */
    public static long dropped() {
        return OVERFLOWS.sum() + SWEPT.sum();
    }
}

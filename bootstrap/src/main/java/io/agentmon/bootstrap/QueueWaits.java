package io.agentmon.bootstrap;

/**
 * When each queued task was handed to its pool: an {@link IdentityTable} keyed by the task,
 * written when a task is submitted and emptied when a pool thread takes it (the claim time is
 * the submission time).
 *
 * <p>A task that never leaves the queue through the paths the agent sees (removed by an
 * iterator, say) would keep its slot; {@link #sweepOlderThan} frees such slots, called by the
 * agent's one housekeeping thread whether or not anyone scrapes.
 */
public final class QueueWaits {

    /** Slots in the table; a power of two. */
    public static final int SLOTS = 16384;

    private static final IdentityTable TABLE = new IdentityTable(SLOTS);

    private QueueWaits() {
    }

    static void put(Object task, long nowNanos) {
        // The pool thread that takes the task reads the time after the queue's own hand-off, which orders it.
        TABLE.claim(task, nowNanos);
    }

    /** Removes {@code task}; returns when it was put, or -1 when it is not in the table. */
    static long take(Object task) {
        for (int i = 0; i < IdentityTable.PROBE_LIMIT; i++) {
            int slot = TABLE.slot(task, i);
            if (TABLE.holds(slot, task)) {
                long since = TABLE.since(slot);
                if (TABLE.release(slot, task)) {
                    return since;
                }
            }
        }
        return -1;
    }

    /** Frees slots held longer than {@code maxNanos}; for the agent's housekeeping thread. */
    public static void sweepOlderThan(long maxNanos) {
        TABLE.sweepOlderThan(maxNanos);
    }

    /** Tasks whose wait was not measured: no free slot when queued, or swept after waiting too long. */
    public static long dropped() {
        return TABLE.overflows() + TABLE.swept();
    }
}

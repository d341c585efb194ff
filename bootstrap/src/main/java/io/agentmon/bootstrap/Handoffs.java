package io.agentmon.bootstrap;

/**
 * Trace contexts in transit across an executor hop: an {@link IdentityTable} keyed by the
 * submitted task (a {@code Runnable} given to a pool, a {@code CompletableFuture} async stage),
 * written by the submitting thread and emptied by the thread that runs the task.
 *
 * <p>The taker reads the context after the executor's own hand-over of the task (a queue, a
 * thread start), which orders the submitter's plain stores before it.
 */
final class Handoffs {

    static final int SLOTS = 16384;

    private static final IdentityTable TABLE = new IdentityTable(SLOTS);
    private static final long[] TRACE_HI = new long[SLOTS];
    private static final long[] TRACE_LO = new long[SLOTS];
    private static final long[] SPAN = new long[SLOTS];
    private static final int[] FLAGS = new int[SLOTS];

    static {
        Traces.handoffsMade = true;
    }

    private Handoffs() {
    }

    /** Allocates the table now, if not yet (loading the class is the work); for {@link Traces#enable}. */
    static void make() {
        // nothing more
    }

    /** Without a free slot the task runs as a root of its own trace (counted in {@link #overflows}). */
    static void put(Object task, long traceHi, long traceLo, long spanId, int flags) {
        int slot = TABLE.claim(task, System.nanoTime());
        if (slot >= 0) {
            TRACE_HI[slot] = traceHi;
            TRACE_LO[slot] = traceLo;
            SPAN[slot] = spanId;
            FLAGS[slot] = flags;
        }
    }

    /** Removes {@code task}'s context and hands it to {@code into}; false when none was captured. */
    static boolean take(Object task, TraceThread into) {
        for (int i = 0; i < IdentityTable.PROBE_LIMIT; i++) {
            int slot = TABLE.slot(task, i);
            if (TABLE.holds(slot, task)) {
                long hi = TRACE_HI[slot];
                long lo = TRACE_LO[slot];
                long span = SPAN[slot];
                int flags = FLAGS[slot];
                if (TABLE.release(slot, task)) {
                    into.inherit(hi, lo, span, flags);
                    return true;
                }
            }
        }
        return false;
    }

    /** Forgets {@code task} (rejected, removed, drained) without handing its context on. */
    static void discard(Object task) {
        TABLE.remove(task);
    }

    /** Frees slots of tasks that never ran within {@code maxNanos}; for the agent's housekeeping thread. */
    static void sweepOlderThan(long maxNanos) {
        TABLE.sweepOlderThan(maxNanos);
    }

    /** Hops whose context was not carried because no slot was free. */
    static long overflows() {
        return TABLE.overflows();
    }
}

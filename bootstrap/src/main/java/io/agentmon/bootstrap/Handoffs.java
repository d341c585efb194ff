package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Trace contexts in transit across an executor hop: a fixed, lock-free table keyed by the
 * identity of the submitted task (a {@code Runnable} given to a pool, a
 * {@code CompletableFuture} async stage), written by the submitting thread and emptied by the
 * thread that runs the task. Laid out like {@link QueueWaits}: a task sits within
 * {@link #PROBE_LIMIT} slots of its identity hash; removal is a CAS to null.
 *
 * <p>The taker reads the payload after the executor's own hand-over of the task (a queue, a
 * thread start), which orders the submitter's plain stores before it.
 */
final class Handoffs {

    static final int SLOTS = 16384;
    private static final int MASK = SLOTS - 1;
    private static final int PROBE_LIMIT = 16;

    private static final AtomicReferenceArray<Object> TASKS = new AtomicReferenceArray<>(SLOTS);
    private static final long[] TRACE_HI = new long[SLOTS];
    private static final long[] TRACE_LO = new long[SLOTS];
    private static final long[] SPAN = new long[SLOTS];
    private static final int[] FLAGS = new int[SLOTS];
    private static final long[] SINCE = new long[SLOTS];
    private static final LongAdder OVERFLOWS = new LongAdder();

    private Handoffs() {
    }

    static void put(Object task, long traceHi, long traceLo, long spanId, int flags) {
        int home = System.identityHashCode(task) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            if (TASKS.get(slot) == null && TASKS.compareAndSet(slot, null, task)) {
                TRACE_HI[slot] = traceHi;
                TRACE_LO[slot] = traceLo;
                SPAN[slot] = spanId;
                FLAGS[slot] = flags;
                SINCE[slot] = System.nanoTime();
                return;
            }
        }
        OVERFLOWS.increment(); // the task runs as a root of its own trace
    }

    /** Removes {@code task}'s context and hands it to {@code into}; false when none was captured. */
    static boolean take(Object task, TraceThread into) {
        int home = System.identityHashCode(task) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            if (TASKS.get(slot) == task) {
                long hi = TRACE_HI[slot];
                long lo = TRACE_LO[slot];
                long span = SPAN[slot];
                int flags = FLAGS[slot];
                if (TASKS.compareAndSet(slot, task, null)) {
                    into.inherit(hi, lo, span, flags);
                    return true;
                }
            }
        }
        return false;
    }

    /** Forgets {@code task} (rejected, removed, drained) without handing its context on. */
    static void discard(Object task) {
        int home = System.identityHashCode(task) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            if (TASKS.get(slot) == task && TASKS.compareAndSet(slot, task, null)) {
                return;
            }
        }
    }

    /** Frees slots of tasks that never ran within {@code maxNanos}; call from an agent thread. */
    static void sweepOlderThan(long maxNanos) {
        long now = System.nanoTime();
        for (int slot = 0; slot < SLOTS; slot++) {
            Object task = TASKS.get(slot);
            if (task != null && now - SINCE[slot] > maxNanos) {
                TASKS.compareAndSet(slot, task, null);
            }
        }
    }

    /** Hops whose context was not carried because no slot was free. */
    static long overflows() {
        return OVERFLOWS.sum();
    }
}

package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The runs in flight now: a fixed, lock-free table of (thread, task, start) that agent threads
 * read to list running tasks, find stuck ones and tell which task a thread is working for.
 *
 * <p>Writers are the worker's threads. A run claims a free slot near its thread's hash by CAS
 * on {@code claims}, fills in its task and start time with plain stores, then makes the entry
 * visible with an ordered store of the thread into {@code visible}; it ends by clearing both.
 * Readers read {@code visible} (volatile) first, then the plain fields, which the ordered
 * store published. NOTE: a reader racing with a slot's release and re-claim by the same thread
 * can pair the new start with the old task for one read; that benign race only ever affects a
 * listing, never a count.
 *
 * <p>When no slot is free within {@link #PROBE_LIMIT} of the thread's hash (more than a few
 * thousand runs in flight, e.g. on virtual threads), the run is not tracked here: it is still
 * counted, as "untracked" on its recorder, and {@link #overflows()} says how often.
 */
public final class InFlight {

    /** Slots in the table; a power of two. */
    public static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;
    static final int PROBE_LIMIT = 16;

    private static final AtomicReferenceArray<Thread> CLAIMS = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicReferenceArray<Thread> VISIBLE = new AtomicReferenceArray<>(SLOTS);
    private static final int[] PROBES = new int[SLOTS];
    private static final long[] STARTS = new long[SLOTS];
    /** Timeouts the run saw (a timed-out get, a handler call); written and read by the run's own thread only. */
    private static final int[] TIMEOUTS_SEEN = new int[SLOTS];
    private static final LongAdder OVERFLOWS = new LongAdder();

    private InFlight() {
    }

    /** Claims a slot for the current thread's run; returns it, or -1 when none is free. */
    static int claim(int probeId, long startNanos) {
        Thread current = Thread.currentThread();
        int home = home(current);
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            if (CLAIMS.get(slot) == null && CLAIMS.compareAndSet(slot, null, current)) {
                PROBES[slot] = probeId;
                STARTS[slot] = startNanos;
                TIMEOUTS_SEEN[slot] = 0;
                VISIBLE.lazySet(slot, current);
                return slot;
            }
        }
        OVERFLOWS.increment();
        return -1;
    }

    static void release(int slot) {
        VISIBLE.lazySet(slot, null);
        CLAIMS.lazySet(slot, null);
    }

    private static int home(Thread thread) {
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
        long id = thread.getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 40);
    }

    /**
     * The probe id of the innermost (latest started) run of {@code thread}, or -1 when it runs
     * no task. Only the slots near the thread's hash can hold its runs, so this reads at most
     * {@link #PROBE_LIMIT} slots.
     */
    public static int innermostProbe(Thread thread) {
        int slot = innermostSlot(thread);
        return slot < 0 ? -1 : PROBES[slot];
    }

    /** The slot of the innermost run of {@code thread}, or -1; reads at most {@link #PROBE_LIMIT} slots. */
    static int innermostSlot(Thread thread) {
        if (thread == null) {
            return -1;
        }
        int home = home(thread);
        int innermost = -1;
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            if (VISIBLE.get(slot) != thread) {
                continue;
            }
            long start = STARTS[slot];
            if (innermost < 0 || start - latest > 0) {
                latest = start;
                innermost = slot;
            }
        }
        return innermost;
    }

    /** The current thread's innermost run saw a timeout; a no-op when it runs no tracked task. */
    static void timeoutSeenByCurrentThread() {
        int slot = innermostSlot(Thread.currentThread());
        if (slot >= 0) {
            TIMEOUTS_SEEN[slot]++; // the run's own thread: the only writer and reader of its slot's count
        }
    }

    /** Timeouts the run in {@code slot} saw so far; called by the run's own thread, before {@link #release}. */
    static int timeoutsSeen(int slot) {
        return TIMEOUTS_SEEN[slot];
    }

    /** The thread running in {@code slot}, or null when the slot is free. For agent threads. */
    public static Thread thread(int slot) {
        return VISIBLE.get(slot);
    }

    /** The probe id of the run in {@code slot}; read after {@link #thread(int)}. */
    public static int probe(int slot) {
        return PROBES[slot];
    }

    /** The start ({@link System#nanoTime()}) of the run in {@code slot}; read after {@link #thread(int)}. */
    public static long startNanos(int slot) {
        return STARTS[slot];
    }

    /** Runs that found no free slot and so are counted but not listed. */
    public static long overflows() {
        return OVERFLOWS.sum();
    }
}

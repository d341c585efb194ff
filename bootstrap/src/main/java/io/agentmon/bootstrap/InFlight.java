package io.agentmon.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * The runs in flight now: a fixed, lock-free table of (thread, task, start) that agent threads
 * read to list running tasks, find stuck ones and tell which task a thread is working for.
 *
 * <p><b>Threading contract.</b> Writers are the worker's threads, each only for its own runs: a
 * run's thread claims a slot ({@link #claim}), is the only writer of that slot until it
 * {@link #release}s it, and alone reads and writes the slot's timeout count. Readers are agent
 * threads ({@link #thread}, {@link #probe}, {@link #startNanos}: the {@code /tasks} listing,
 * stuck runs, the active gauge) and any thread asking {@link #innermostProbe} about a thread
 * (timeout attribution); they never write. Three orderings matter: a claim is one CAS of the
 * slot's {@code claims} entry from null, so one thread owns a slot at a time; the owner's plain
 * stores of probe and start come before its ordered store of the thread into {@code visible},
 * which readers load first, so a reader that sees the thread sees that run's probe and start;
 * and release stores null into {@code visible}, then into {@code claims}, both ordered, so all
 * the owner read and wrote in the slot (its timeout count, {@link Traces}' arrays beside it, the
 * histograms' {@link SlotCells} cells of the slot)
 * happens before the next claimer's CAS succeeds (hence the NOTE in {@link TaskProbes#exit}:
 * read the slot before releasing it). NOTE: a reader racing with a release and re-claim of the
 * same slot can, for one read, pair the thread with the next run's probe or start, or count a
 * run that has just ended: a benign race, since the listing and the gauge are readings of a
 * moment. The jcstress tests in {@code concurrency-tests/} hold the three orderings to their
 * forbidden outcomes.
 *
 * <p>A run claims a free slot near its thread's hash (the nested runs of one thread sit within
 * {@link #PROBE_LIMIT} slots of it, so {@link #innermostProbe} reads at most that many). When no
 * slot is free there (more than a few thousand runs in flight, e.g. on virtual threads), the run
 * is not tracked here: it is still counted, as "untracked" on its recorder, and
 * {@link #overflows()} says how often.
 *
 * <p><b>Why hand-written.</b> JCTools has no structure for this: a thread holds several entries
 * at once (nested runs) and readers need the thread, task and start of each, which a
 * {@code NonBlockingHashMapLong} keyed by thread id could only give with an entry object
 * allocated per run, on the worker's thread. Here a run writes into preallocated slots and
 * allocates nothing. The slots are not padded: two threads' runs share a cache line only when
 * their hashes fall within a few slots, and the multiplicative hash puts up to 64 threads of
 * consecutive ids at least 33 slots apart (6 pairs of 128 threads fall within 16 slots), while
 * a cache line per slot would grow the five arrays from 96 KB to 1.3 MB.
 *
 * <p>The algorithm is in the private static methods below, which take the table's arrays as
 * parameters: the agent's table passes its static finals, which the JIT treats as constants,
 * so the woven code compiles as it did before the concurrency tests existed, with no field
 * load in front of each array (an instance's final fields are not constants to the JIT); and
 * {@link Table} passes its own, so that the concurrency tests run the same code on tables
 * small enough for every claim to collide.
 */
public final class InFlight {

    /** Slots in the table; a power of two. */
    public static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;
    static final int PROBE_LIMIT = 16;

    /**
     * The claims and the visible threads: plain arrays written and read through {@link #THREADS}
     * (an {@code AtomicReferenceArray} costs the woven code a load of its array and a type check
     * per access, about 1 ns of the probe's enter and exit by profile).
     */
    private static final Thread[] CLAIMS = new Thread[SLOTS];
    private static final Thread[] VISIBLE = new Thread[SLOTS];
    private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);
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
        int slot = claim(CLAIMS, VISIBLE, PROBES, STARTS, TIMEOUTS_SEEN, MASK, current, home(current), probeId, startNanos);
        if (slot < 0) {
            OVERFLOWS.increment();
        }
        return slot;
    }

    static void release(int slot) {
        release(CLAIMS, VISIBLE, slot);
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
        return thread == null ? -1 : innermostSlot(VISIBLE, STARTS, MASK, thread, home(thread));
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
        return (Thread) THREADS.getVolatile(VISIBLE, slot);
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

    // ------------------------------------------------------------ the algorithm, on any table's arrays

    /** Claims a free slot within {@link #PROBE_LIMIT} of {@code home} for {@code owner}'s run, or returns -1. */
    private static int claim(Thread[] claims, Thread[] visible, int[] probes,
            long[] starts, int[] timeoutsSeen, int mask, Thread owner, int home, int probeId, long startNanos) {
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & mask;
            // The volatile read first: a taken slot costs a load, not a failed CAS.
            if (THREADS.getVolatile(claims, slot) == null && THREADS.compareAndSet(claims, slot, (Thread) null, owner)) {
                probes[slot] = probeId;
                starts[slot] = startNanos;
                timeoutsSeen[slot] = 0;
                THREADS.setRelease(visible, slot, owner);
                return slot;
            }
        }
        return -1;
    }

    /** Frees {@code slot}; only its owner calls this, once, after its last read of the slot. */
    private static void release(Thread[] claims, Thread[] visible, int slot) {
        THREADS.setRelease(visible, slot, (Thread) null);
        THREADS.setRelease(claims, slot, (Thread) null);
    }

    /** The slot of {@code thread}'s latest started run among the {@link #PROBE_LIMIT} from {@code home}, or -1. */
    private static int innermostSlot(Thread[] visible, long[] starts, int mask, Thread thread,
            int home) {
        int innermost = -1;
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & mask;
            if (THREADS.getVolatile(visible, slot) != thread) {
                continue;
            }
            long start = starts[slot];
            if (innermost < 0 || start - latest > 0) {
                latest = start;
                innermost = slot;
            }
        }
        return innermost;
    }

    /**
     * A table of its own for the concurrency tests, run by the same algorithm as the agent's;
     * the threading contract is {@link InFlight}'s.
     */
    static final class Table {

        private final int mask;
        private final Thread[] claims;
        private final Thread[] visible;
        private final int[] probes;
        private final long[] starts;
        private final int[] timeoutsSeen;

        /** @param size a power of two */
        Table(int size) {
            if (Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("size must be a power of two: " + size);
            }
            this.mask = size - 1;
            this.claims = new Thread[size];
            this.visible = new Thread[size];
            this.probes = new int[size];
            this.starts = new long[size];
            this.timeoutsSeen = new int[size];
        }

        int claim(Thread owner, int home, int probeId, long startNanos) {
            return InFlight.claim(claims, visible, probes, starts, timeoutsSeen, mask, owner, home, probeId, startNanos);
        }

        void release(int slot) {
            InFlight.release(claims, visible, slot);
        }

        int innermostSlot(Thread thread, int home) {
            return InFlight.innermostSlot(visible, starts, mask, thread, home);
        }

        Thread thread(int slot) {
            return (Thread) THREADS.getVolatile(visible, slot);
        }

        int probe(int slot) {
            return probes[slot];
        }

        long startNanos(int slot) {
            return starts[slot];
        }
    }
}

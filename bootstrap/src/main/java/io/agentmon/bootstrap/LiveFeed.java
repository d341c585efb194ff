package io.agentmon.bootstrap;

/**
 * The live event ring behind {@code GET /events}: task start, finish and timeout, container
 * allocated, started, stopped and released. A fixed, bounded, lock-free, allocation-free
 * multi-producer single-consumer ring of {@link #CAPACITY} slots, held as one array per field
 * (structure of arrays), so recording an event writes a few primitives and never allocates.
 *
 * <p><b>Who calls what.</b> Producers are the worker's threads (any number, concurrently), through
 * the {@code record...} methods, which the probes call only while {@link #active} is true: with no
 * client connected, an event costs the probe one volatile boolean read and nothing else, and the
 * ring is not even allocated until the agent first sets {@link #active} ({@link #make}). Exactly
 * one thread may call {@link #poll} (the agent's drainer); the agent alone writes {@link #active}.
 *
 * <p>Slots are handed out by {@link MpscSlots}, which describes the algorithm: each slot has at
 * most one writer at a time and is never written while read, so no event is torn.
 *
 * <p><b>Loss policy: the newest event is dropped when the ring is full</b>, and counted in
 * {@link #dropped()}. The ring only fills when the drainer falls behind for {@code CAPACITY}
 * events (it copies events to per-client queues, which is where a slow client loses its own
 * events); what a live view loses in a burst is then its tail, and it says how many.
 */
public final class LiveFeed {

    /** Slots in the ring; a power of two. */
    public static final int CAPACITY = 4096;

    public static final int TASK_START = 1;
    public static final int TASK_FINISH = 2;
    public static final int TIMEOUT = 3;
    public static final int CONTAINER_ALLOCATED = 4;
    public static final int CONTAINER_STARTED = 5;
    public static final int CONTAINER_STOPPED = 6;
    public static final int CONTAINER_RELEASED = 7;

    /** {@link Event#outcome} of a {@link #TIMEOUT} event: its reason, as in {@code agentmon_task_timeouts_total}. */
    public static final int REASON_EXCEPTION = 0;
    public static final int REASON_DEADLINE = 1;
    public static final int REASON_HANDLER = 2;
    public static final int REASON_FUTURE = 3;

    /**
     * True while at least one client listens; written by the agent only. Probes read it before
     * anything else and record nothing when it is false. NOTE: a producer that read true just
     * before it turned false still records; the drainer discards events nobody listens to.
     */
    public static volatile boolean active;

    /**
     * Set (by {@link Ring}'s initializer) once the ring exists. Until the first client connects
     * nothing is recorded, so a worker nobody watches never allocates the ring's
     * {@value #CAPACITY} slots (about 0.25 MiB of arrays): {@link #recorded()}, {@link #dropped()}
     * and {@link #poll} read this first and leave the ring unmade. The agent calls {@link #make}
     * before it first sets {@link #active}, so that no worker thread pays for it.
     */
    private static volatile boolean made;

    /** The ring's arrays, made on first use ({@link #make}). */
    private static final class Ring {
        static final MpscSlots SLOTS = new MpscSlots(CAPACITY);
        static final int[] KINDS = new int[CAPACITY];
        static final int[] PROBES = new int[CAPACITY];
        static final int[] OUTCOMES = new int[CAPACITY];
        static final long[] DURATIONS = new long[CAPACITY];
        static final long[] THREADS = new long[CAPACITY];
        static final long[] TIMES = new long[CAPACITY];
        static final double[] CPUS = new double[CAPACITY];
        static final long[] MEMORY = new long[CAPACITY];
        static final String[] CONTAINERS = new String[CAPACITY];

        static {
            made = true;
        }

        private Ring() {
        }

        static void make() {
            // loading and initializing the class is the work
        }
    }

    /** Allocates the ring now, if not yet: call before setting {@link #active} true. */
    public static void make() {
        Ring.make();
    }

    private LiveFeed() {
    }

    // ------------------------------------------------------------ producers (the probes)

    static void taskStarted(int probeId) {
        record(TASK_START, probeId, Outcome.SUCCESS, 0, 0, 0, null);
    }

    /**
     * A task run finished: its {@link Outcome}, and a timeout event when it threw a TimeoutException of
     * its own ({@code ownTimeout}: not one a timed-out get in the run already reported) or missed its deadline.
     */
    static void taskFinished(int probeId, long elapsedNanos, int outcome, boolean ownTimeout, boolean late) {
        record(TASK_FINISH, probeId, outcome, elapsedNanos, 0, 0, null);
        if (ownTimeout) {
            record(TIMEOUT, probeId, REASON_EXCEPTION, elapsedNanos, 0, 0, null);
        }
        if (late) {
            record(TIMEOUT, probeId, REASON_DEADLINE, elapsedNanos, 0, 0, null);
        }
    }

    static void timeout(int probeId, int reason) {
        record(TIMEOUT, probeId, reason, 0, 0, 0, null);
    }

    /** An allocation finished; {@code container} is named in the event only when it is a String (a docker-java id). */
    static void containerAllocated(long startNanos, boolean success, Object container, double cpus, long memoryBytes) {
        record(CONTAINER_ALLOCATED, -1, success ? Outcome.SUCCESS : Outcome.FAILURE, System.nanoTime() - startNanos, cpus,
                memoryBytes, container instanceof String ? (String) container : null);
    }

    static void container(int kind, Object container) {
        record(kind, -1, Outcome.SUCCESS, 0, 0, 0, container instanceof String ? (String) container : null);
    }

    /** Claims a sequence, fills its slot and publishes it; drops and counts the event when the ring is full. */
    static void record(int kind, int probeId, int outcome, long durationNanos, double cpus, long memoryBytes, String container) {
        long sequence = Ring.SLOTS.claim();
        if (sequence < 0) {
            return; // full: dropped and counted
        }
        int slot = Ring.SLOTS.slot(sequence);
        Ring.KINDS[slot] = kind;
        Ring.PROBES[slot] = probeId;
        Ring.OUTCOMES[slot] = outcome;
        Ring.DURATIONS[slot] = durationNanos;
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
        long thread = Thread.currentThread().getId();
        Ring.THREADS[slot] = thread;
        Ring.TIMES[slot] = System.currentTimeMillis();
        Ring.CPUS[slot] = cpus;
        Ring.MEMORY[slot] = memoryBytes;
        Ring.CONTAINERS[slot] = container;
        Ring.SLOTS.publish(sequence);
    }

    // ------------------------------------------------------------ the one consumer

    /** One event, copied out of the ring by {@link #poll}; reused by the consumer. */
    public static final class Event {
        /**
         * Position in the stream: 0 for the first event ever recorded, then 1, 2, ... without
         * gaps: an event dropped because the ring was full never gets a sequence, so losses show
         * in {@link LiveFeed#dropped()}, not as holes in the numbering.
         */
        public long sequence;
        public int kind;
        /** The task's probe id ({@link TaskRecorders#recorder}), or -1 for container events. */
        public int probeId;
        /** The {@link Outcome} of a task finish or container allocation; for {@link #TIMEOUT} events a {@code REASON_*}. */
        public int outcome;
        public long durationNanos;
        public long threadId;
        public long epochMillis;
        public double cpus;
        public long memoryBytes;
        /** The container's id when the key was a String, else null. */
        public String container;
    }

    /**
     * Copies the oldest unread event into {@code into} and frees its slot; returns false when no
     * published event is waiting. Only one thread may call this.
     */
    public static boolean poll(Event into) {
        if (!made) {
            return false;
        }
        long head = Ring.SLOTS.head();
        if (!Ring.SLOTS.readable(head)) {
            return false;
        }
        int slot = Ring.SLOTS.slot(head);
        into.sequence = head;
        into.kind = Ring.KINDS[slot];
        into.probeId = Ring.PROBES[slot];
        into.outcome = Ring.OUTCOMES[slot];
        into.durationNanos = Ring.DURATIONS[slot];
        into.threadId = Ring.THREADS[slot];
        into.epochMillis = Ring.TIMES[slot];
        into.cpus = Ring.CPUS[slot];
        into.memoryBytes = Ring.MEMORY[slot];
        into.container = Ring.CONTAINERS[slot];
        Ring.CONTAINERS[slot] = null; // let the id go; release() orders this before any producer's write
        Ring.SLOTS.release(head);
        return true;
    }

    /**
     * Events recorded so far (sequences handed out); {@code recorded() - dropped()} have been or
     * will be polled.
     */
    public static long recorded() {
        return made ? Ring.SLOTS.offered() : 0;
    }

    /** Events lost because the ring was full. */
    public static long dropped() {
        return made ? Ring.SLOTS.dropped() : 0;
    }
}

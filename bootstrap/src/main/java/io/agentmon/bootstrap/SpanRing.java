package io.agentmon.bootstrap;

/**
 * Finished, sampled task runs (and container allocations) on their way to the exporter: a fixed, bounded, lock-free,
 * allocation-free ring of {@link #CAPACITY} slots (one array per field; see {@link MpscSlots}
 * for the algorithm).
 *
 * <p><b>Threading contract.</b> Producers are the worker's threads, any number at once:
 * {@link #record} from {@link Traces#finished} and {@link #recordContainer} from the container
 * probes. The one consumer is the agent's span exporter thread, through {@link #poll}; only it
 * may call that. {@link #recorded()} and {@link #dropped()} are for any thread. The orderings
 * are {@link MpscSlots}': a producer's plain stores into its slot's fields happen before the
 * consumer's reads of them (it fills, then publishes), and the consumer's reads, and its nulling
 * of the slot's references, happen before the next lap's producer writes the slot (it copies
 * and clears, then releases), so no span is seen torn, twice or mixed with another.
 *
 * <p>When the exporter falls behind (a slow or absent collector) the ring fills and the newest
 * spans are dropped and counted in {@link #dropped()}: the worker's thread never waits, and
 * the memory held is this ring, whatever the collector does.
 *
 * <p><b>Why hand-written.</b> A span is 17 fields; handing it through JCTools'
 * {@code MpscArrayQueue} would take an object per span, allocated on the worker's thread, where
 * this ring copies primitives into preallocated arrays ({@code TracingBenchmark.sampledRecorded}:
 * no allocation per call). Its indices are padded in {@link MpscSlots}; the field arrays are
 * written by one producer per slot and read by the consumer a slot at a time.
 */
public final class SpanRing {

    /** Slots in the ring; a power of two. */
    public static final int CAPACITY = 8192;

    /** {@link Span#kind}: a task run. */
    public static final int TASK = 0;
    /** {@link Span#kind}: a container allocation. */
    public static final int CONTAINER = 1;

    /** {@link Span#flags}: the run finished after its deadline. */
    public static final int LATE = 1;
    /** {@link Span#flags}: the parent came from the worker's own OpenTelemetry context (a remote parent, say). */
    public static final int WORKER_PARENT = 2;

    private static final MpscSlots SLOTS = new MpscSlots(CAPACITY);
    private static final int[] KINDS = new int[CAPACITY];
    private static final int[] PROBES = new int[CAPACITY];
    private static final int[] METHODS = new int[CAPACITY];
    private static final int[] FLAGS = new int[CAPACITY];
    private static final long[] TRACE_HI = new long[CAPACITY];
    private static final long[] TRACE_LO = new long[CAPACITY];
    private static final long[] SPANS = new long[CAPACITY];
    private static final long[] PARENTS = new long[CAPACITY];
    private static final long[] STARTS = new long[CAPACITY];
    private static final long[] DURATIONS = new long[CAPACITY];
    private static final long[] THREAD_IDS = new long[CAPACITY];
    private static final String[] THREAD_NAMES = new String[CAPACITY];
    private static final Throwable[] THROWN = new Throwable[CAPACITY];
    private static final double[] CPUS = new double[CAPACITY];
    private static final long[] MEMORY = new long[CAPACITY];
    private static final String[] IMAGES = new String[CAPACITY];
    private static final String[] CONTAINERS = new String[CAPACITY];

    private SpanRing() {
    }

    /** Records one finished run; drops and counts it when the ring is full. Never blocks. */
    static void record(int probeId, int methodId, long traceHi, long traceLo, long spanId, long parentSpanId,
            int flags, long startNanos, long durationNanos, Throwable thrown) {
        long sequence = SLOTS.claim();
        if (sequence < 0) {
            return;
        }
        fill(SLOTS.slot(sequence), TASK, probeId, methodId, traceHi, traceLo, spanId, parentSpanId, flags, startNanos,
                durationNanos, thrown);
        SLOTS.publish(sequence);
    }

    /** Records one container allocation; drops and counts it when the ring is full. Never blocks. */
    static void recordContainer(long traceHi, long traceLo, long spanId, long parentSpanId, long startNanos,
            long durationNanos, Throwable thrown, double cpus, long memoryBytes, String image, String id) {
        long sequence = SLOTS.claim();
        if (sequence < 0) {
            return;
        }
        int slot = SLOTS.slot(sequence);
        fill(slot, CONTAINER, -1, TaskMethods.UNKNOWN, traceHi, traceLo, spanId, parentSpanId, 0, startNanos,
                durationNanos, thrown);
        CPUS[slot] = cpus;
        MEMORY[slot] = memoryBytes;
        IMAGES[slot] = image;
        CONTAINERS[slot] = id;
        SLOTS.publish(sequence);
    }

    private static void fill(int slot, int kind, int probeId, int methodId, long traceHi, long traceLo, long spanId,
            long parentSpanId, int flags, long startNanos, long durationNanos, Throwable thrown) {
        Thread thread = Thread.currentThread();
        KINDS[slot] = kind;
        PROBES[slot] = probeId;
        METHODS[slot] = methodId;
        FLAGS[slot] = flags;
        TRACE_HI[slot] = traceHi;
        TRACE_LO[slot] = traceLo;
        SPANS[slot] = spanId;
        PARENTS[slot] = parentSpanId;
        STARTS[slot] = startNanos;
        DURATIONS[slot] = durationNanos;
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
        long threadId = thread.getId();
        THREAD_IDS[slot] = threadId;
        THREAD_NAMES[slot] = thread.getName(); // the thread's own String: no copy
        THROWN[slot] = thrown; // already allocated by the worker; held only until drained
    }

    /** One span, copied out of the ring by {@link #poll}; reused by the consumer. */
    public static final class Span {
        /** {@link #TASK} or {@link #CONTAINER}. */
        public int kind;
        /** The task's probe id; -1 for a container allocation. */
        public int probeId;
        /** A {@link TaskMethods} id. */
        public int methodId;
        /** {@link #LATE}, {@link #WORKER_PARENT}. */
        public int flags;
        public long traceIdHigh;
        public long traceIdLow;
        public long spanId;
        /** 0 for a root span. */
        public long parentSpanId;
        /** {@link System#nanoTime()} at the start. */
        public long startNanos;
        public long durationNanos;
        public long threadId;
        public String threadName;
        /** What the run threw, or null when it returned. */
        public Throwable thrown;
        /** For a container allocation: its size, and docker-java's image and container id (else null). */
        public double cpus;
        public long memoryBytes;
        public String image;
        public String containerId;
    }

    /** Copies the oldest span into {@code into} and frees its slot; false when none is waiting. One thread only. */
    public static boolean poll(Span into) {
        long head = SLOTS.head();
        if (!SLOTS.readable(head)) {
            return false;
        }
        int slot = SLOTS.slot(head);
        into.kind = KINDS[slot];
        into.probeId = PROBES[slot];
        into.methodId = METHODS[slot];
        into.flags = FLAGS[slot];
        into.traceIdHigh = TRACE_HI[slot];
        into.traceIdLow = TRACE_LO[slot];
        into.spanId = SPANS[slot];
        into.parentSpanId = PARENTS[slot];
        into.startNanos = STARTS[slot];
        into.durationNanos = DURATIONS[slot];
        into.threadId = THREAD_IDS[slot];
        into.threadName = THREAD_NAMES[slot];
        into.thrown = THROWN[slot];
        into.cpus = CPUS[slot];
        into.memoryBytes = MEMORY[slot];
        into.image = IMAGES[slot];
        into.containerId = CONTAINERS[slot];
        // Let the references go (and a task record must not show a container's strings); release()
        // orders these stores before any producer's write.
        THREAD_NAMES[slot] = null;
        THROWN[slot] = null;
        IMAGES[slot] = null;
        CONTAINERS[slot] = null;
        SLOTS.release(head);
        return true;
    }

    /** Spans offered to the ring so far (polled, waiting, or dropped). */
    public static long recorded() {
        return SLOTS.offered();
    }

    /** Spans dropped because the ring was full. */
    public static long dropped() {
        return SLOTS.dropped();
    }
}

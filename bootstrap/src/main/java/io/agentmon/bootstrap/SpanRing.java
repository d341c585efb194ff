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

    /**
     * Set (by {@link Ring}'s initializer) once the ring exists. A worker without tracing never
     * records a span, so its JVM never allocates the ring's {@value #CAPACITY} slots (about 0.9 MiB
     * of arrays): {@link #recorded()}, {@link #dropped()} and {@link #poll} read this first and
     * leave the ring unmade. {@link Traces#enable} makes it, before any task method is woven, so
     * that no worker thread pays for it.
     */
    private static volatile boolean made;

    /** The ring's arrays, made on first use ({@link #make}). */
    private static final class Ring {
        static final MpscSlots SLOTS = new MpscSlots(CAPACITY);
        static final int[] KINDS = new int[CAPACITY];
        static final int[] PROBES = new int[CAPACITY];
        static final int[] METHODS = new int[CAPACITY];
        static final int[] FLAGS = new int[CAPACITY];
        static final long[] TRACE_HI = new long[CAPACITY];
        static final long[] TRACE_LO = new long[CAPACITY];
        static final long[] SPANS = new long[CAPACITY];
        static final long[] PARENTS = new long[CAPACITY];
        static final long[] STARTS = new long[CAPACITY];
        static final long[] DURATIONS = new long[CAPACITY];
        static final long[] THREAD_IDS = new long[CAPACITY];
        static final String[] THREAD_NAMES = new String[CAPACITY];
        static final Throwable[] THROWN = new Throwable[CAPACITY];
        static final double[] CPUS = new double[CAPACITY];
        static final long[] MEMORY = new long[CAPACITY];
        static final String[] IMAGES = new String[CAPACITY];
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

    /** Allocates the ring now, if not yet; for {@link Traces#enable}, before any task method is woven. */
    static void make() {
        Ring.make();
    }

    private SpanRing() {
    }

    /** Records one finished run; drops and counts it when the ring is full. Never blocks. */
    static void record(int probeId, int methodId, long traceHi, long traceLo, long spanId, long parentSpanId,
            int flags, long startNanos, long durationNanos, Throwable thrown) {
        long sequence = Ring.SLOTS.claim();
        if (sequence < 0) {
            return;
        }
        fill(Ring.SLOTS.slot(sequence), TASK, probeId, methodId, traceHi, traceLo, spanId, parentSpanId, flags, startNanos,
                durationNanos, thrown);
        Ring.SLOTS.publish(sequence);
    }

    /** Records one container allocation; drops and counts it when the ring is full. Never blocks. */
    static void recordContainer(long traceHi, long traceLo, long spanId, long parentSpanId, long startNanos,
            long durationNanos, Throwable thrown, double cpus, long memoryBytes, String image, String id) {
        long sequence = Ring.SLOTS.claim();
        if (sequence < 0) {
            return;
        }
        int slot = Ring.SLOTS.slot(sequence);
        fill(slot, CONTAINER, -1, TaskMethods.UNKNOWN, traceHi, traceLo, spanId, parentSpanId, 0, startNanos,
                durationNanos, thrown);
        Ring.CPUS[slot] = cpus;
        Ring.MEMORY[slot] = memoryBytes;
        Ring.IMAGES[slot] = image;
        Ring.CONTAINERS[slot] = id;
        Ring.SLOTS.publish(sequence);
    }

    private static void fill(int slot, int kind, int probeId, int methodId, long traceHi, long traceLo, long spanId,
            long parentSpanId, int flags, long startNanos, long durationNanos, Throwable thrown) {
        Thread thread = Thread.currentThread();
        Ring.KINDS[slot] = kind;
        Ring.PROBES[slot] = probeId;
        Ring.METHODS[slot] = methodId;
        Ring.FLAGS[slot] = flags;
        Ring.TRACE_HI[slot] = traceHi;
        Ring.TRACE_LO[slot] = traceLo;
        Ring.SPANS[slot] = spanId;
        Ring.PARENTS[slot] = parentSpanId;
        Ring.STARTS[slot] = startNanos;
        Ring.DURATIONS[slot] = durationNanos;
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
        long threadId = thread.getId();
        Ring.THREAD_IDS[slot] = threadId;
        Ring.THREAD_NAMES[slot] = thread.getName(); // the thread's own String: no copy
        Ring.THROWN[slot] = thrown; // already allocated by the worker; held only until drained
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
        if (!made) {
            return false;
        }
        long head = Ring.SLOTS.head();
        if (!Ring.SLOTS.readable(head)) {
            return false;
        }
        int slot = Ring.SLOTS.slot(head);
        into.kind = Ring.KINDS[slot];
        into.probeId = Ring.PROBES[slot];
        into.methodId = Ring.METHODS[slot];
        into.flags = Ring.FLAGS[slot];
        into.traceIdHigh = Ring.TRACE_HI[slot];
        into.traceIdLow = Ring.TRACE_LO[slot];
        into.spanId = Ring.SPANS[slot];
        into.parentSpanId = Ring.PARENTS[slot];
        into.startNanos = Ring.STARTS[slot];
        into.durationNanos = Ring.DURATIONS[slot];
        into.threadId = Ring.THREAD_IDS[slot];
        into.threadName = Ring.THREAD_NAMES[slot];
        into.thrown = Ring.THROWN[slot];
        into.cpus = Ring.CPUS[slot];
        into.memoryBytes = Ring.MEMORY[slot];
        into.image = Ring.IMAGES[slot];
        into.containerId = Ring.CONTAINERS[slot];
        // Let the references go (and a task record must not show a container's strings); release()
        // orders these stores before any producer's write.
        Ring.THREAD_NAMES[slot] = null;
        Ring.THROWN[slot] = null;
        Ring.IMAGES[slot] = null;
        Ring.CONTAINERS[slot] = null;
        Ring.SLOTS.release(head);
        return true;
    }

    /** Spans offered to the ring so far (polled, waiting, or dropped). */
    public static long recorded() {
        return made ? Ring.SLOTS.offered() : 0;
    }

    /** Spans dropped because the ring was full. */
    public static long dropped() {
        return made ? Ring.SLOTS.dropped() : 0;
    }
}

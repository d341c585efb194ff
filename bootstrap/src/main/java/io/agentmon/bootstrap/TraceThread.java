package io.agentmon.bootstrap;

/**
 * One thread's tracing state, used only by that thread: which of its runs is innermost (the
 * parent of the next one), and the context an executor hop handed it; and, on a pool thread,
 * when its current pool task started. Created once per thread
 * on its first traced run or hop, then reused: no allocation per task.
 */
final class TraceThread {

    private static final ThreadLocal<TraceThread> CURRENT = new ThreadLocal<TraceThread>() {
        @Override
        protected TraceThread initialValue() {
            return new TraceThread();
        }
    };

    /**
     * Whether this thread is inside a probe's call into the worker's code (its OpenTelemetry
     * API, a container key's {@code hashCode}/{@code equals}). A probe reached from there must
     * not make that call again, or it recurses without end: see {@link WorkerOtel#current}.
     */
    boolean inWorkerCode;

    /**
     * The sizes of this thread's allocations in progress ({@code agentmon.docker}), innermost
     * last, read on entry by their own advice and taken by the allocation's exit: see
     * {@link ContainerProbes#allocationStarted}. Deeper nesting than this records size 0.
     */
    static final int ALLOCATION_DEPTH = 4;
    final double[] allocationCpus = new double[ALLOCATION_DEPTH];
    final long[] allocationMemory = new long[ALLOCATION_DEPTH];
    int allocations;

    /**
     * The pool whose task this thread (a {@code ThreadPoolExecutor} thread) is running, or null,
     * and when it took that task: see {@link ExecutorProbes#taken} and {@link ExecutorProbes#ranTask}.
     */
    ExecutorRecorder poolTaskRecorder;
    long poolTaskStart;

    /** The {@link InFlight} slot of this thread's innermost traced run, or -1. */
    int current = -1;

    /** Whether {@link #traceHi} .. {@link #flags} hold a context handed over by a hop (or read from the worker's API). */
    boolean inherited;
    long traceHi;
    long traceLo;
    long spanId;
    int flags;

    /** Scratch for {@link Traces}: the parent context found for a new span (and {@link WorkerOtel}'s answer). */
    long parentHi;
    long parentLo;
    long parentSpan;
    int parentFlags;

    /** One level of what {@link Traces#resume} replaced, restored by {@link Traces#resumeEnded}. */
    private boolean savedInherited;
    private long savedHi;
    private long savedLo;
    private long savedSpan;
    private int savedFlags;

    static TraceThread get() {
        return CURRENT.get();
    }

    void inherit(long hi, long lo, long span, int contextFlags) {
        inherited = true;
        traceHi = hi;
        traceLo = lo;
        spanId = span;
        flags = contextFlags;
    }

    void parent(long hi, long lo, long span, int contextFlags) {
        parentHi = hi;
        parentLo = lo;
        parentSpan = span;
        parentFlags = contextFlags;
    }

    void save() {
        savedInherited = inherited;
        savedHi = traceHi;
        savedLo = traceLo;
        savedSpan = spanId;
        savedFlags = flags;
    }

    void restore() {
        inherit(savedHi, savedLo, savedSpan, savedFlags);
        inherited = savedInherited;
    }
}

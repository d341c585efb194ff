package io.agentmon.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace context for task runs, when tracing is configured: each run in flight gets a trace id,
 * a span id and a parent, kept in arrays beside its {@link InFlight} slot; a sampled run's span
 * goes into the {@link SpanRing} when it ends.
 *
 * <p>A run's parent is, in this order: the innermost traced run on the same thread (nested
 * tasks); the context an executor hop handed the thread ({@link #capture} on the submitting
 * thread, {@link #resume} on the pool thread); the span the worker's own OpenTelemetry API made
 * current ({@link WorkerOtel}); else the run starts a new trace, sampled as configured.
 *
 * <p>Per traced run: two thread-local reads, two or three random longs, a dozen plain stores and,
 * when sampled, one ring claim. No lock, no allocation (each thread allocates its
 * {@link TraceThread} once). While {@link #enabled} is false the probes skip all of it.
 *
 * <p><b>Threads.</b> The per-slot arrays are written only by the thread that owns the slot, between
 * its claim and its release (so a span's ids must be read before the release: see
 * {@code TaskProbes.exit}); {@link #enable} is called once, before any method is woven, and the
 * exporter thread reads only the {@link SpanRing}.
 */
public final class Traces {

    /** Context flag: the trace is sampled. */
    static final int SAMPLED = 1;
    /** Slot flag: the parent is the worker's own current span. */
    private static final int FROM_WORKER = 2;

    public static final int ALWAYS_ON = 0;
    public static final int ALWAYS_OFF = 1;
    public static final int RATIO = 2;

    /**
     * Written by the agent before any task method is woven, never after; read by every probe.
     * Plain, not volatile: woven code only exists once the write has happened (class
     * transformation is ordered after it).
     */
    static boolean enabled;
    private static int sampler = ALWAYS_ON;
    private static boolean parentBased = true;
    private static long ratioBound = Long.MAX_VALUE;

    /**
     * Per {@link InFlight} slot, written by the slot's owner thread only. Made by {@link #enable}
     * (before any method is woven): a worker without tracing never allocates them (about 0.17 MiB).
     */
    private static final class Slots {
        static final long[] TRACE_HI = new long[InFlight.SLOTS];
        static final long[] TRACE_LO = new long[InFlight.SLOTS];
        static final long[] SPAN = new long[InFlight.SLOTS];
        static final long[] PARENT = new long[InFlight.SLOTS];
        static final int[] FLAGS = new int[InFlight.SLOTS];
        static final int[] OUTER = new int[InFlight.SLOTS];
        static final int[] METHOD = new int[InFlight.SLOTS];

        static {
            slotsMade = true;
        }

        private Slots() {
        }

        static void make() {
            // loading and initializing the class is the work
        }
    }

    /** Set once {@link Slots} exists (by its initializer). */
    static volatile boolean slotsMade;

    /**
     * Set once {@link Handoffs} exists (by its initializer): only a traced hop makes the hop table,
     * so {@link #handoffOverflows} and {@link #sweepOlderThan} leave it unmade until then.
     */
    static volatile boolean handoffsMade;

    private Traces() {
    }

    /**
     * Switches tracing on with the given sampler ({@link #ALWAYS_ON}, {@link #ALWAYS_OFF},
     * {@link #RATIO}); {@code parentBased}: a run with a parent follows the parent's decision.
     * Call once, before any task method is woven.
     */
    public static void enable(int rootSampler, boolean followParent, double ratio) {
        sampler = rootSampler;
        parentBased = followParent;
        // As OpenTelemetry's TraceIdRatioBased: sampled when |low 63 bits of the trace id| < ratio * 2^63.
        ratioBound = ratio >= 1 ? Long.MAX_VALUE : (long) (ratio * Long.MAX_VALUE);
        // What tracing writes, allocated here and not by a worker's first traced run.
        Slots.make();
        Handoffs.make();
        SpanRing.make();
        enabled = true;
    }

    /** For tests: tracing off again, the default sampler back. */
    static void disable() {
        enabled = false;
        sampler = ALWAYS_ON;
        parentBased = true;
        ratioBound = Long.MAX_VALUE;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** A task run got {@code slot}: give it ids and a parent, and make it the thread's innermost run. */
    static void started(int methodId, int slot) {
        TraceThread thread = TraceThread.get();
        int outer = innermost(thread);
        int flags = parentOf(thread, outer, methodId);
        Slots.TRACE_HI[slot] = thread.parentHi;
        Slots.TRACE_LO[slot] = thread.parentLo;
        Slots.SPAN[slot] = newSpanId();
        Slots.PARENT[slot] = thread.parentSpan;
        Slots.FLAGS[slot] = flags;
        Slots.OUTER[slot] = outer;
        Slots.METHOD[slot] = methodId;
        thread.current = slot;
    }

    /** The thread's innermost traced run, or -1. */
    private static int innermost(TraceThread thread) {
        int current = thread.current;
        // A slot no longer ours: its run ended without us seeing it (cannot happen unless an exit was lost).
        return current >= 0 && InFlight.thread(current) == Thread.currentThread() ? current : -1;
    }

    /**
     * Finds the parent of a new span on this thread and leaves its trace id and span id (0 for a
     * root, with a new trace id) in {@code thread}'s parent fields; returns the new span's flags,
     * with the sampling decision made.
     */
    private static int parentOf(TraceThread thread, int outer, int methodId) {
        int flags;
        if (outer >= 0) {
            thread.parent(Slots.TRACE_HI[outer], Slots.TRACE_LO[outer], Slots.SPAN[outer], Slots.FLAGS[outer]);
            flags = Slots.FLAGS[outer] & SAMPLED;
        } else if (thread.inherited) {
            thread.parent(thread.traceHi, thread.traceLo, thread.spanId, thread.flags);
            flags = thread.flags & SAMPLED;
        } else if (methodId != TaskMethods.UNKNOWN && WorkerOtel.current(methodId, thread)) {
            flags = (thread.parentFlags & SAMPLED) | FROM_WORKER;
        } else {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long hi;
            long lo;
            do {
                hi = random.nextLong();
                lo = random.nextLong();
            } while (hi == 0 && lo == 0);
            thread.parent(hi, lo, 0, 0);
            flags = 0;
        }
        if (thread.parentSpan == 0 || !parentBased) {
            flags = (flags & ~SAMPLED) | (rootSampled(thread.parentLo) ? SAMPLED : 0);
        }
        return flags;
    }

    private static long newSpanId() {
        long span;
        do {
            span = ThreadLocalRandom.current().nextLong();
        } while (span == 0);
        return span;
    }

    private static boolean rootSampled(long traceLo) {
        switch (sampler) {
            case ALWAYS_ON:
                return true;
            case RATIO:
                return Math.abs(traceLo) < ratioBound; // Math.abs(MIN_VALUE) is negative: sampled, as in the SDK
            default:
                return false;
        }
    }

    /** The run in {@code slot} ended: hand a sampled one to the exporter; its outer run is innermost again. */
    static void finished(int probeId, int slot, long startNanos, long elapsedNanos, Throwable thrown, boolean late) {
        TraceThread.get().current = Slots.OUTER[slot];
        int flags = Slots.FLAGS[slot];
        if ((flags & SAMPLED) != 0) {
            SpanRing.record(probeId, Slots.METHOD[slot], Slots.TRACE_HI[slot], Slots.TRACE_LO[slot], Slots.SPAN[slot],
                    Slots.PARENT[slot], (late ? SpanRing.LATE : 0) | ((flags & FROM_WORKER) != 0 ? SpanRing.WORKER_PARENT : 0), startNanos, elapsedNanos, thrown);
        }
    }

    /**
     * A container allocation finished on this thread: a span of its own, the child of the task
     * running here (or of the context the thread inherited), sampled like any other.
     * {@code image} and {@code id} are docker-java's, else null.
     */
    static void containerAllocated(long startNanos, long elapsedNanos, Throwable thrown, double cpus, long memoryBytes,
            String image, String id) {
        TraceThread thread = TraceThread.get();
        int flags = parentOf(thread, innermost(thread), TaskMethods.UNKNOWN);
        if ((flags & SAMPLED) != 0) {
            SpanRing.recordContainer(thread.parentHi, thread.parentLo, newSpanId(), thread.parentSpan, startNanos,
                    elapsedNanos, thrown, cpus, memoryBytes, image, id);
        }
    }

    /**
     * On the submitting thread: {@code task} is being handed to an executor; it carries this
     * thread's context (its innermost run, else what it inherited) to whichever thread runs it.
     */
    public static void capture(Object task) {
        if (!enabled || task == null) {
            return;
        }
        TraceThread thread = TraceThread.get();
        int current = thread.current;
        if (current >= 0 && InFlight.thread(current) == Thread.currentThread()) {
            Handoffs.put(task, Slots.TRACE_HI[current], Slots.TRACE_LO[current], Slots.SPAN[current],
                    Slots.FLAGS[current] & SAMPLED);
        } else if (thread.inherited) {
            Handoffs.put(task, thread.traceHi, thread.traceLo, thread.spanId, thread.flags & SAMPLED);
        }
    }

    /**
     * On a pool thread about to run {@code task}: it inherits the context captured with the
     * task, or none. Holds until the next {@link #resume} on this thread.
     */
    public static void resume(Object task) {
        if (!enabled) {
            return;
        }
        TraceThread thread = TraceThread.get();
        if (task == null || !Handoffs.take(task, thread)) {
            thread.inherited = false;
        }
    }

    /**
     * Like {@link #resume}, for a task run by whatever thread the executor chose (possibly the
     * caller itself): what it replaces comes back at {@link #resumeEnded}. Only a task with a
     * captured context changes anything.
     */
    public static void resumeNested(Object task) {
        if (!enabled || task == null) {
            return;
        }
        TraceThread thread = TraceThread.get();
        thread.save();
        Handoffs.take(task, thread); // none captured: the thread keeps what it had, saved or not
    }

    /** The task given to {@link #resumeNested} finished. */
    public static void resumeEnded() {
        if (enabled) {
            TraceThread.get().restore();
        }
    }

    /** {@code task} will not run (rejected, removed, drained): forget its context. */
    public static void discard(Object task) {
        if (enabled && task != null) {
            Handoffs.discard(task);
        }
    }

    /** Frees hop contexts of tasks that never ran within {@code maxNanos}; for the agent's housekeeping thread. */
    public static void sweepOlderThan(long maxNanos) {
        if (enabled && handoffsMade) { // only a traced hop fills the table: without tracing it stays unmade
            Handoffs.sweepOlderThan(maxNanos);
        }
    }

    /** Hops whose context was not carried (the hop table was full near the task's hash). */
    public static long handoffOverflows() {
        return handoffsMade ? Handoffs.overflows() : 0;
    }
}

package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The worker's thread pools, found by identity. A fixed, lock-free open-addressing table: a
 * pool's recorder sits within {@link #PROBE_LIMIT} slots of the pool's identity hash, claimed by
 * CAS; a slot whose pool was collected is taken over by the next pool that needs it.
 * Writers: the threads that create pools and run their tasks. Readers: agent threads.
 */
public final class ExecutorRegistry {

    /** Slots in the table; a power of two. */
    public static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;
    private static final int PROBE_LIMIT = 32;

    private static final AtomicReferenceArray<ExecutorRecorder> RECORDERS = new AtomicReferenceArray<>(SLOTS);
    private static final LongAdder REFUSED = new LongAdder();
    private static volatile HistogramLayout queueWaitLayout = HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, new long[0]);
    private static volatile HistogramLayout runTimeLayout = HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, new long[0]);

    private ExecutorRegistry() {
    }

    /** Sets the queue-wait histogram's bucket bounds for pools registered from now on. */
    public static void useQueueWaitBuckets(long[] boundsNanos) {
        queueWaitLayout = HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, boundsNanos);
    }

    /** Sets the run-time histogram's bucket bounds for pools registered from now on. */
    public static void useRunTimeBuckets(long[] boundsNanos) {
        runTimeLayout = HistogramLayout.of(HistogramLayout.DEFAULT_SCHEMA, boundsNanos);
    }

    /** The recorder of {@code pool}, registering it on first sight; null when the table has no room. */
    public static ExecutorRecorder register(Object pool) {
        ExecutorRecorder known = find(pool);
        if (known != null) {
            return known;
        }
        int home = System.identityHashCode(pool) & MASK;
        ExecutorRecorder created = null; // allocated only once a free slot is in sight
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            while (true) {
                ExecutorRecorder current = RECORDERS.get(slot);
                if (current != null && current.pool() == pool) {
                    return current; // another thread registered it since find(): one pool, one recorder
                }
                if (current != null && current.pool() != null) {
                    break; // another pool's: try the next slot
                }
                if (created == null) {
                    created = new ExecutorRecorder(pool, queueWaitLayout, runTimeLayout);
                }
                if (RECORDERS.compareAndSet(slot, current, created)) {
                    return created;
                }
                // Lost this slot to another thread: look again at what it put there.
            }
        }
        REFUSED.increment();
        return null;
    }

    /** The recorder of {@code pool}, or null when it is not registered. */
    public static ExecutorRecorder find(Object pool) {
        if (pool == null) {
            return null;
        }
        int home = System.identityHashCode(pool) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            ExecutorRecorder recorder = RECORDERS.get((home + i) & MASK);
            if (recorder != null && recorder.pool() == pool) {
                return recorder;
            }
        }
        return null;
    }

    /** The recorder in {@code slot}, or null; for agent threads walking the table. */
    public static ExecutorRecorder recorder(int slot) {
        return RECORDERS.get(slot);
    }

    /** Pools not tracked because their neighbourhood of the table was full. */
    public static long refused() {
        return REFUSED.sum();
    }
}

package io.agentmon.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Quartz's own thread pools ({@code org.quartz.simpl.SimpleThreadPool}), which are no
 * {@code java.util.concurrent} executor: registered when the scheduler initializes one, read
 * by the agent at scrape time from the pool's own state. Held weakly, so a pool the worker
 * drops is collected as usual; a slot whose pool was collected is taken by the next one.
 *
 * <p><b>Threads.</b> Registration on the thread that builds the scheduler (a CAS per pool, once);
 * reads on agent threads.
 */
public final class QuartzPools {

    /** Most Quartz pools tracked at once. */
    public static final int SLOTS = 64;

    private static final AtomicReferenceArray<WeakReference<Object>> POOLS = new AtomicReferenceArray<>(SLOTS);

    private QuartzPools() {
    }

    /** {@code pool} was initialized; a pool already registered, or beyond {@link #SLOTS} live ones, is left out. */
    public static void initialized(Object pool) {
        if (pool == null) {
            return;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            WeakReference<Object> known = POOLS.get(slot);
            if (known != null && known.get() == pool) {
                return;
            }
        }
        WeakReference<Object> created = new WeakReference<>(pool);
        for (int slot = 0; slot < SLOTS; slot++) {
            WeakReference<Object> known = POOLS.get(slot);
            if ((known == null || known.get() == null) && POOLS.compareAndSet(slot, known, created)) {
                return;
            }
        }
    }

    /** The pool in {@code slot}, or null; for agent threads. */
    public static Object pool(int slot) {
        WeakReference<Object> known = POOLS.get(slot);
        return known == null ? null : known.get();
    }
}

package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts by exception class, in a small fixed table so that the failure path needs no map and
 * no allocation: a class takes the first free slot (by CAS) the first time it is seen; classes
 * beyond {@link #SLOTS} are counted together in the overflow counter.
 *
 * <p>The table holds the classes strongly. It is bounded, so at most {@link #SLOTS} classes per
 * task are kept loaded for the life of the JVM.
 *
 * <p><b>Threads.</b> Written by the worker threads whose runs fail (any number at once: a class
 * claims its slot by CAS, counts are adders); read by agent threads, which may see a slot's class
 * a moment before its first count.
 */
public final class ExceptionCounts {

    /** Distinct exception classes tracked per task before they share the overflow counter. */
    public static final int SLOTS = 16;

    private final AtomicReferenceArray<Class<?>> types = new AtomicReferenceArray<>(SLOTS);
    private final LongAdder[] counts = new LongAdder[SLOTS + 1];

    ExceptionCounts() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void increment(Class<?> type) {
        for (int i = 0; i < SLOTS; i++) {
            Class<?> slot = types.get(i);
            if (slot == null && types.compareAndSet(i, null, type)) {
                slot = type;
            } else if (slot == null) {
                slot = types.get(i); // another thread took this slot first
            }
            if (slot == type) {
                counts[i].increment();
                return;
            }
        }
        counts[SLOTS].increment();
    }

    /** The class in slot {@code i}, or null while the slot is free. */
    public Class<?> type(int slot) {
        return types.get(slot);
    }

    /** The count of slot {@code i}; slot {@link #SLOTS} is the overflow. */
    public long count(int slot) {
        return counts[slot].sum();
    }
}

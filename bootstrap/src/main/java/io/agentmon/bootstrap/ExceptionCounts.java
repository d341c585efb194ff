package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts by exception class, in a small fixed table so that the failure path needs no map and
 * no allocation: a class takes the first free slot (by CAS) the first time it is seen; classes
 * beyond {@link #SLOTS} are counted together in the overflow counter.
 *
 * <p>A slot's counter is created when its class first claims it (a CAS; the loser's object is
 * dropped), like {@link DurationHistogram}'s: most tasks see no exception or one or two classes,
 * and {@value #SLOTS} adders made up front cost every task over half a KiB it mostly never uses.
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
    private final AtomicReferenceArray<LongAdder> counts = new AtomicReferenceArray<>(SLOTS + 1);

    ExceptionCounts() {
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
                counter(i).increment();
                return;
            }
        }
        counter(SLOTS).increment();
    }

    private LongAdder counter(int slot) {
        LongAdder counter = counts.get(slot);
        if (counter == null) {
            LongAdder created = new LongAdder();
            counter = counts.compareAndSet(slot, null, created) ? created : counts.get(slot);
        }
        return counter;
    }

    /** The class in slot {@code i}, or null while the slot is free. */
    public Class<?> type(int slot) {
        return types.get(slot);
    }

    /** The count of slot {@code i}; slot {@link #SLOTS} is the overflow. */
    public long count(int slot) {
        LongAdder counter = counts.get(slot);
        return counter == null ? 0 : counter.sum();
    }
}

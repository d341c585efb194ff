package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The worker's live Kafka consumers, found by identity: what the poll probe counts under and
 * what the agent reads lag from at scrape time. A fixed, lock-free open-addressing table like
 * {@link ExecutorRegistry}'s: an entry sits within {@link #PROBE_LIMIT} slots of its consumer's
 * identity hash, claimed by CAS; the consumer is held weakly, and its slot is freed when the
 * consumer is closed or collected, so the table never keeps a consumer alive.
 *
 * <p><b>Threads.</b> Written by the threads that construct, poll and close consumers; read by
 * agent threads.
 */
public final class KafkaConsumers {

    /** Consumers tracked at most; a power of two. */
    public static final int SLOTS = 256;
    private static final int MASK = SLOTS - 1;
    static final int PROBE_LIMIT = 16;

    private static final AtomicReferenceArray<KafkaConsumerEntry> ENTRIES = new AtomicReferenceArray<>(SLOTS);
    private static final LongAdder REFUSED = new LongAdder();

    private KafkaConsumers() {
    }

    /**
     * Registers {@code consumer} of consumer group {@code group} (null: none) and returns its
     * entry, or the entry it already has; null when its neighbourhood of the table is full of
     * live consumers.
     */
    public static KafkaConsumerEntry register(Object consumer, String group) {
        KafkaConsumerEntry known = find(consumer);
        if (known != null) {
            return known;
        }
        int home = System.identityHashCode(consumer) & MASK;
        KafkaConsumerEntry created = null;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            while (true) {
                KafkaConsumerEntry current = ENTRIES.get(slot);
                if (current != null && current.consumer() == consumer) {
                    return current;
                }
                if (current != null && current.consumer() != null) {
                    break;
                }
                if (created == null) {
                    created = new KafkaConsumerEntry(consumer, group == null ? "" : group);
                }
                if (ENTRIES.compareAndSet(slot, current, created)) {
                    return created;
                }
            }
        }
        REFUSED.increment();
        return null;
    }

    /** The entry of {@code consumer}, or null when it is not registered. */
    public static KafkaConsumerEntry find(Object consumer) {
        if (consumer == null) {
            return null;
        }
        int home = System.identityHashCode(consumer) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            KafkaConsumerEntry entry = ENTRIES.get((home + i) & MASK);
            if (entry != null && entry.consumer() == consumer) {
                return entry;
            }
        }
        return null;
    }

    /** {@code consumer} was closed: its slot is free, and its lag is no longer read. */
    public static void remove(Object consumer) {
        if (consumer == null) {
            return;
        }
        int home = System.identityHashCode(consumer) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            KafkaConsumerEntry entry = ENTRIES.get(slot);
            if (entry != null && entry.consumer() == consumer) {
                entry.clear();
                ENTRIES.compareAndSet(slot, entry, null);
                return;
            }
        }
    }

    /** The entry in {@code slot}, or null; for agent threads walking the table. */
    public static KafkaConsumerEntry entry(int slot) {
        return ENTRIES.get(slot);
    }

    /** Consumers not tracked because their neighbourhood of the table was full. */
    public static long refused() {
        return REFUSED.sum();
    }
}

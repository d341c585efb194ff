package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records Kafka consumers' {@code poll} returned, per consumer group and topic: a fixed,
 * lock-free open-addressing table of {@link #SLOTS} pairs, claimed by CAS on a pair's first
 * sight and never freed, so the counts only grow. Pairs beyond the table share one counter
 * labelled {@link SeriesBudget#OTHER} for both group and topic.
 *
 * <p><b>Threads.</b> Written by polling threads (a lookup by the strings' cached hashes and one
 * adder per topic in a batch; one allocation per new pair); read by agent threads.
 */
public final class KafkaRecords {

    /** Group and topic pairs counted apart; a power of two. */
    public static final int SLOTS = 128;
    private static final int MASK = SLOTS - 1;

    private static final AtomicReferenceArray<Counter> COUNTERS = new AtomicReferenceArray<>(SLOTS);
    private static final Counter OVERFLOW = new Counter(SeriesBudget.OTHER, SeriesBudget.OTHER);
    private static final LongAdder FOLDED = new LongAdder();

    private KafkaRecords() {
    }

    /** One group and topic's count. */
    public static final class Counter {
        private final String group;
        private final String topic;
        private final LongAdder records = new LongAdder();

        Counter(String group, String topic) {
            this.group = group;
            this.topic = topic;
        }

        public String group() {
            return group;
        }

        public String topic() {
            return topic;
        }

        public long records() {
            return records.sum();
        }

        boolean is(String group, String topic) {
            return this.topic.equals(topic) && this.group.equals(group);
        }
    }

    /** Adds {@code records} under {@code group} and {@code topic}. */
    public static void add(String group, String topic, int records) {
        counter(group, topic).records.add(records);
    }

    static Counter counter(String group, String topic) {
        int home = (group.hashCode() * 31 + topic.hashCode()) & MASK;
        for (int i = 0; i < SLOTS; i++) {
            int slot = (home + i) & MASK;
            Counter current = COUNTERS.get(slot);
            if (current == null) {
                Counter created = new Counter(group, topic);
                if (COUNTERS.compareAndSet(slot, null, created)) {
                    return created;
                }
                current = COUNTERS.get(slot); // another thread claimed it: maybe for this pair
            }
            if (current.is(group, topic)) {
                return current;
            }
        }
        FOLDED.increment();
        return OVERFLOW;
    }

    /** The counter in {@code slot}, or null; for agent threads walking the table. */
    public static Counter counter(int slot) {
        return COUNTERS.get(slot);
    }

    /** The counter pairs beyond the table share. */
    public static Counter overflow() {
        return OVERFLOW;
    }

    /** Polls whose pair did not fit (each counted under {@link #overflow()}). */
    public static long folded() {
        return FOLDED.sum();
    }
}

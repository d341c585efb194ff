package io.agentmon.bootstrap;

/**
 * What the woven {@code KafkaConsumer} code calls: its constructor registers it (and its
 * consumer group), {@code poll} adds the records it returns per topic, {@code close} forgets it.
 * No lock; one allocation per new consumer and per new group and topic pair.
 *
 * <p><b>Threads.</b> The threads that construct, poll and close consumers. The agent reads
 * {@link KafkaConsumers} and {@link KafkaRecords} at scrape time.
 */
public final class KafkaProbes {

    private KafkaProbes() {
    }

    /** A consumer was constructed with {@code group} as its {@code group.id} (null: none). */
    public static void created(Object consumer, String group) {
        KafkaConsumers.register(consumer, group);
    }

    /**
     * {@code consumer}'s {@code poll} returned {@code records} records of {@code topic}. A
     * consumer built before the agent attached is registered here, with no group known; one the
     * full table refused counts under {@link SeriesBudget#OTHER}.
     */
    public static void polled(Object consumer, String topic, int records) {
        KafkaConsumerEntry entry = KafkaConsumers.find(consumer);
        if (entry == null) {
            entry = KafkaConsumers.register(consumer, null);
        }
        KafkaRecords.add(entry == null ? SeriesBudget.OTHER : entry.group(), topic, records);
    }

    /** {@code consumer} was closed. */
    public static void closed(Object consumer) {
        KafkaConsumers.remove(consumer);
    }
}

package io.agentmon.bootstrap;

import java.lang.ref.WeakReference;

/**
 * One live Kafka consumer in {@link KafkaConsumers}: the consumer, held weakly, and the consumer
 * group it was configured with ({@code ""} for none).
 *
 * <p><b>Threads.</b> Created by the constructing thread; the weak reference is cleared by the
 * closing thread; read by the polling thread and agent threads.
 */
public final class KafkaConsumerEntry {

    private final WeakReference<Object> consumer;
    private final String group;

    KafkaConsumerEntry(Object consumer, String group) {
        this.consumer = new WeakReference<>(consumer);
        this.group = group;
    }

    /** The consumer, or null once it has been closed or collected. */
    public Object consumer() {
        return consumer.get();
    }

    /** The consumer group, {@code ""} when the consumer has none. */
    public String group() {
        return group;
    }

    void clear() {
        consumer.clear();
    }
}

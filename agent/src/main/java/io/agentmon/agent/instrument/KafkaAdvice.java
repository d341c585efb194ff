package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.KafkaProbes;
import net.bytebuddy.asm.Advice;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Copied into the worker's own {@code org.apache.kafka.clients.consumer.KafkaConsumer}, the
 * public class every kafka-clients 3.x and 4.x consumer is (from 3.7 it hands each call to a
 * {@code ClassicKafkaConsumer} or {@code AsyncKafkaConsumer}, which these hooks need not know).
 * It links against the worker's kafka-clients, using only API that is public and unchanged
 * across 3.x and 4.x; everything else forwards to {@link KafkaProbes}.
 */
public final class KafkaAdvice {

    private KafkaAdvice() {
    }

    /**
     * {@code KafkaConsumer(ConsumerConfig, Deserializer, Deserializer)}, which every public
     * constructor comes to: the consumer and its {@code group.id}.
     */
    public static final class Created {
        private Created() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object consumer, @Advice.Argument(0) ConsumerConfig config) {
            KafkaProbes.created(consumer, config.getString(ConsumerConfig.GROUP_ID_CONFIG));
        }
    }

    /**
     * {@code poll(Duration)} (and 3.x's deprecated {@code poll(long)}, which does not call it):
     * the records it returns, per topic; no record is touched. kafka-clients' API makes
     * short-lived views for this ({@code partitions()}'s set and its iterator, a list view per
     * partition): nothing is kept, and the batch itself allocates far more.
     */
    public static final class Polled {
        private Polled() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object consumer, @Advice.Return ConsumerRecords<?, ?> records) {
            if (records == null || records.isEmpty()) {
                return;
            }
            for (TopicPartition partition : records.partitions()) {
                KafkaProbes.polled(consumer, partition.topic(), records.records(partition).size());
            }
        }
    }

    /** Every {@code close} overload: the consumer's lag is no longer read, its slot is free. */
    public static final class Closed {
        private Closed() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object consumer) {
            KafkaProbes.closed(consumer);
        }
    }
}

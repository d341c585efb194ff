package io.agentmon.agent.frameworks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.bootstrap.KafkaConsumers;
import io.agentmon.bootstrap.KafkaRecords;
import io.agentmon.bootstrap.SeriesBudget;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Lag as read from a consumer's metrics map, with stand-ins shaped as kafka-clients' own
 * ({@code metrics()} of {@code MetricName} to {@code Metric}): summed over partitions, NaN
 * skipped, dotted topic names as 3.x and 4.x tag them, and the number of series bounded.
 */
class KafkaCollectorTest {

    @Test
    void lagIsSummedOverPartitionsAndUnfetchedOnesAreSkipped() {
        FakeConsumer consumer = new FakeConsumer()
                .lag("orders", 0, 16).lag("orders", 1, 8).lag("audit", 0, Double.NaN)
                .metric("records-lag-max", "consumer-fetch-manager-metrics", Map.of("topic", "orders", "partition", "0"), 99)
                .metric("records-lag", "some-other-group", Map.of("topic", "orders", "partition", "0"), 99)
                .metric("records-lag", "consumer-fetch-manager-metrics", Map.of("client-id", "c"), 99);
        assertEquals(Map.of("orders", 24.0), KafkaCollector.lagByTopic(consumer, Set.of()));
    }

    @Test
    void dottedTopicsAreReportedOnceUnderTheirRealName() {
        // kafka-clients 4.x: the real name, and a deprecated copy with underscores.
        FakeConsumer four = new FakeConsumer().lag("shop.orders", 0, 5).lag("shop_orders", 0, 5).lag("plain_name", 0, 2);
        assertEquals(Map.of("shop.orders", 5.0, "plain_name", 2.0), KafkaCollector.lagByTopic(four, Set.of()));
        // kafka-clients 3.x: only the underscored tag; the name the polls returned restores it.
        FakeConsumer three = new FakeConsumer().lag("shop_orders", 0, 5).lag("shop_orders", 1, 1);
        assertEquals(Map.of("shop.orders", 6.0), KafkaCollector.lagByTopic(three, Set.of("shop.orders")));
        assertEquals(Map.of("shop_orders", 6.0), KafkaCollector.lagByTopic(three, Set.of()), "nothing polled yet: the tag as it is");
    }

    @Test
    void aConsumerWhoseMetricsCannotBeReadHasNoLag() {
        assertEquals(Map.of(), KafkaCollector.lagByTopic(new Object(), Set.of()));
        assertEquals(Map.of(), KafkaCollector.lagByTopic(new Throwing(), Set.of()));
    }

    @Test
    void lagSeriesAreBoundedLikeTheRecordsTable() {
        List<FakeConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < KafkaRecords.SLOTS + 20; i++) {
            FakeConsumer consumer = new FakeConsumer().lag("t" + i, 0, 1);
            if (KafkaConsumers.register(consumer, "wide") != null) {
                consumers.add(consumer);
            }
        }
        assertTrue(consumers.size() > KafkaRecords.SLOTS, consumers.size() + " registered");
        GaugeSnapshot lag = null;
        for (MetricSnapshot snapshot : new KafkaCollector("svc").collect()) {
            if (snapshot.getMetadata().getName().equals("agentmon_kafka_consumer_lag")) {
                lag = (GaugeSnapshot) snapshot;
            }
        }
        assertEquals(KafkaRecords.SLOTS + 1, lag.getDataPoints().size());
        double total = 0;
        double other = 0;
        for (GaugeSnapshot.GaugeDataPointSnapshot point : lag.getDataPoints()) {
            total += point.getValue();
            if (SeriesBudget.OTHER.equals(point.getLabels().get("topic"))) {
                other = point.getValue();
                assertEquals(SeriesBudget.OTHER, point.getLabels().get("group"));
            }
        }
        assertEquals(consumers.size(), total, 0.0, "no lag lost");
        assertEquals(consumers.size() - KafkaRecords.SLOTS, other, 0.0);
        for (FakeConsumer consumer : consumers) {
            KafkaConsumers.remove(consumer);
        }
    }

    /** kafka-clients' MetricName, as far as the collector reads it. */
    public static final class FakeName {
        private final String name;
        private final String group;
        private final Map<String, String> tags;

        FakeName(String name, String group, Map<String, String> tags) {
            this.name = name;
            this.group = group;
            this.tags = tags;
        }

        public String name() {
            return name;
        }

        public String group() {
            return group;
        }

        public Map<String, String> tags() {
            return tags;
        }
    }

    /** kafka-clients' KafkaMetric, as far as the collector reads it. */
    public static final class FakeMetric {
        private final Object value;

        FakeMetric(Object value) {
            this.value = value;
        }

        public Object metricValue() {
            return value;
        }
    }

    /** A consumer as far as the collector reads it: {@code metrics()}. */
    public static final class FakeConsumer {
        private final Map<FakeName, FakeMetric> metrics = new HashMap<>();

        FakeConsumer lag(String topic, int partition, double lag) {
            return metric("records-lag", "consumer-fetch-manager-metrics",
                    Map.of("client-id", "c", "topic", topic, "partition", Integer.toString(partition)), lag);
        }

        FakeConsumer metric(String name, String group, Map<String, String> tags, double value) {
            metrics.put(new FakeName(name, group, tags), new FakeMetric(value));
            return this;
        }

        public Map<FakeName, FakeMetric> metrics() {
            return metrics;
        }
    }

    /** A consumer whose metrics() fails. */
    public static final class Throwing {
        public Map<Object, Object> metrics() {
            throw new IllegalStateException("closed");
        }
    }
}

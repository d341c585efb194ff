package io.agentmon.agent.frameworks;

import io.agentmon.bootstrap.KafkaConsumerEntry;
import io.agentmon.bootstrap.KafkaConsumers;
import io.agentmon.bootstrap.KafkaRecords;
import io.agentmon.bootstrap.SeriesBudget;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka consumers at scrape time: the records their polls returned ({@link KafkaRecords}) and
 * their lag, read from each live consumer's own metrics.
 *
 * <p><b>Lag.</b> {@code agentmon_kafka_consumer_lag{group,topic}} is the sum, over the
 * partitions of that topic assigned to this worker's consumers of that group, of the client's
 * {@code records-lag} ({@code consumer-fetch-manager-metrics}, tagged topic and partition): the
 * partition's end offset (high watermark, or last stable offset under read_committed) as the
 * last fetch response reported it, minus the consumer's position after the records that poll
 * handed over. It is what this consumer has yet to be handed, as of its last poll of that
 * partition; with commits after processing it equals end offset minus committed offset. Summed
 * over the group's workers it is the group's lag. Partitions are summed here, never a label:
 * a topic may have hundreds.
 *
 * <p><b>Threads.</b> {@code KafkaConsumer} is not thread-safe, and its methods take its light
 * lock, which fails with {@code ConcurrentModificationException} on a second thread. Not
 * {@code metrics()}: verified in the kafka-clients 3.9.1 and 4.1.1 sources,
 * {@code KafkaConsumer.metrics()} returns {@code delegate.metrics()} with no
 * {@code acquire()}, and both {@code ClassicKafkaConsumer.metrics()} and
 * {@code AsyncKafkaConsumer.metrics()} return {@code Collections.unmodifiableMap(metrics.metrics())},
 * again with no {@code acquire()}; {@code Metrics.metrics()} is a {@code ConcurrentHashMap}, safe
 * to iterate while the poll thread adds sensors; {@code KafkaMetric.metricValue()} takes the
 * metric's own lock, which the poll thread holds only while it records into that sensor. That
 * is how the client's own {@code JmxReporter} reads it, from JMX threads. This collector only
 * reads that map, reflectively (agentmon links no kafka-clients of its own).
 */
public final class KafkaCollector implements MultiCollector {

    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
    private static final String LAG = "records-lag";

    private static final ClassValue<Method> METRICS = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return method(type, "metrics");
        }
    };
    private static final ClassValue<Method[]> NAME_PARTS = new ClassValue<Method[]>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            return new Method[] {method(type, "name"), method(type, "group"), method(type, "tags")};
        }
    };
    private static final ClassValue<Method> VALUE = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return method(type, "metricValue");
        }
    };

    private final String service;

    public KafkaCollector(String service) {
        this.service = service;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder records = CounterSnapshot.builder().name("agentmon_kafka_polled_records")
                .help("Records KafkaConsumer.poll returned to the application, per consumer group and topic.");
        Map<String, Set<String>> topicsByGroup = new HashMap<>();
        for (int slot = 0; slot < KafkaRecords.SLOTS; slot++) {
            KafkaRecords.Counter counter = KafkaRecords.counter(slot);
            if (counter != null) {
                records.dataPoint(counterPoint(counter.group(), counter.topic(), counter.records()));
                topicsByGroup.computeIfAbsent(counter.group(), g -> new HashSet<>()).add(counter.topic());
            }
        }
        KafkaRecords.Counter overflow = KafkaRecords.overflow();
        if (overflow.records() > 0) {
            records.dataPoint(counterPoint(overflow.group(), overflow.topic(), overflow.records()));
        }

        Map<String, Map<String, Double>> lags = new TreeMap<>();
        int pairs = 0;
        for (int slot = 0; slot < KafkaConsumers.SLOTS; slot++) {
            KafkaConsumerEntry entry = KafkaConsumers.entry(slot);
            Object consumer = entry == null ? null : entry.consumer();
            if (consumer == null) {
                continue;
            }
            Map<String, Double> byTopic = lagByTopic(consumer, topicsByGroup.getOrDefault(entry.group(), Set.of()));
            for (Map.Entry<String, Double> lag : byTopic.entrySet()) {
                String group = entry.group();
                String topic = lag.getKey();
                Map<String, Double> groupLags = lags.get(group);
                if ((groupLags == null || !groupLags.containsKey(topic)) && pairs >= KafkaRecords.SLOTS) {
                    group = SeriesBudget.OTHER; // as many pairs as the records table holds, then one more
                    topic = SeriesBudget.OTHER;
                } else if (groupLags == null || !groupLags.containsKey(topic)) {
                    pairs++;
                }
                lags.computeIfAbsent(group, g -> new TreeMap<>()).merge(topic, lag.getValue(), Double::sum);
            }
        }
        GaugeSnapshot.Builder lag = GaugeSnapshot.builder().name("agentmon_kafka_consumer_lag")
                .help("Records of the topic's partitions assigned to this worker's consumers of the group that they have yet to be handed: "
                        + "each partition's end offset as last fetched minus the consumer's position (the client's records-lag), summed.");
        for (Map.Entry<String, Map<String, Double>> group : lags.entrySet()) {
            for (Map.Entry<String, Double> topic : group.getValue().entrySet()) {
                lag.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("service", service, "group", group.getKey(), "topic", topic.getKey()))
                        .value(topic.getValue()).build());
            }
        }
        return new MetricSnapshots(records.build(), lag.build());
    }

    private CounterSnapshot.CounterDataPointSnapshot counterPoint(String group, String topic, long value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("service", service, "group", group, "topic", topic)).value(value).build();
    }

    /**
     * The consumer's records-lag per topic, summed over its partitions; nothing for a partition
     * not fetched yet (NaN) or a consumer whose metrics cannot be read. Topic names with a dot:
     * kafka-clients 3.x tags them with the dots replaced by underscores, 4.x with the real name
     * and, until 5.0, a deprecated copy with underscores; {@code polledTopics}, the real names
     * this group's polls returned, restore the first, and the copy is skipped.
     */
    static Map<String, Double> lagByTopic(Object consumer, Set<String> polledTopics) {
        Map<String, Map<String, Double>> partitions = new HashMap<>(); // topic tag -> partition -> lag
        try {
            Map<?, ?> metrics = (Map<?, ?>) METRICS.get(consumer.getClass()).invoke(consumer);
            for (Map.Entry<?, ?> metric : metrics.entrySet()) {
                Object name = metric.getKey();
                Method[] parts = NAME_PARTS.get(name.getClass());
                if (!LAG.equals(parts[0].invoke(name)) || !FETCH_GROUP.equals(parts[1].invoke(name))) {
                    continue;
                }
                Map<?, ?> tags = (Map<?, ?>) parts[2].invoke(name);
                Object topic = tags.get("topic");
                Object partition = tags.get("partition");
                Object value = VALUE.get(metric.getValue().getClass()).invoke(metric.getValue());
                if (topic == null || partition == null || !(value instanceof Number)) {
                    continue;
                }
                double lag = ((Number) value).doubleValue();
                if (!Double.isNaN(lag)) {
                    partitions.computeIfAbsent(topic.toString(), t -> new HashMap<>()).put(partition.toString(), lag);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Map.of(); // not a consumer this version of the hook can read: no lag rather than a wrong one
        }
        Map<String, String> underscored = new HashMap<>();
        for (String topic : partitions.keySet()) {
            if (topic.indexOf('.') >= 0) {
                underscored.put(topic.replace('.', '_'), topic);
            }
        }
        for (String topic : polledTopics) {
            if (topic.indexOf('.') >= 0) {
                underscored.putIfAbsent(topic.replace('.', '_'), topic);
            }
        }
        Map<String, Double> byTopic = new TreeMap<>();
        for (Map.Entry<String, Map<String, Double>> topic : partitions.entrySet()) {
            String tag = topic.getKey();
            String real = underscored.get(tag);
            if (real != null && !real.equals(tag) && partitions.containsKey(real)) {
                continue; // 4.x's deprecated underscore copy of a dotted topic's metric
            }
            double sum = 0;
            for (double lag : topic.getValue().values()) {
                sum += lag;
            }
            byTopic.merge(real != null ? real : tag, sum, Double::sum);
        }
        return byTopic;
    }

    private static Method method(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no public " + name + "()", e);
        }
    }
}

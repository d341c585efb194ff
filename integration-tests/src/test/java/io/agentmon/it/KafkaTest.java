package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.kafka.ListenerFixture;
import io.agentmon.it.fixtures.kafka.PollLoopFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.LibraryJars;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Kafka consumers with no configuration, against a real broker (spring-kafka-test's embedded
 * KRaft broker, one for the class, on localhost): a plain poll loop on a kafka-clients 3.x and
 * a 4.x client, whose records per group and topic must equal its own tally and whose lag,
 * created on purpose by pausing partitions part-way, must equal end offset minus committed
 * offset as the broker reports them; a spring-kafka {@code @KafkaListener} whose calls and
 * failures are tasks; and nothing of it with {@code agentmon.frameworks=none}.
 */
class KafkaTest {

    /** Records written to each partition before any fixture starts. */
    private static final Map<TopicPartition, Integer> WRITTEN = Map.of(
            new TopicPartition("orders", 0), 30, new TopicPartition("orders", 1), 22, new TopicPartition("audit", 0), 17);
    /** The poll loop pauses a partition once it has processed this many of it (7 per poll at most). */
    private static final int PAUSE_AFTER = 10;
    private static final int INVOICES = 40;
    private static final int BAD_INVOICES = 6;

    private static EmbeddedKafkaKraftBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0"); // a lone consumer joins at once
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> broker.afterPropertiesSet(), "the broker's start");
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        admin = Admin.create(config);
        admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1), new NewTopic("audit", 1, (short) 1),
                new NewTopic("invoices", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        Map<String, Object> producerConfig = new HashMap<>(config);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            for (Map.Entry<TopicPartition, Integer> partition : WRITTEN.entrySet()) {
                for (int i = 0; i < partition.getValue(); i++) {
                    TopicPartition tp = partition.getKey();
                    producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, tp + "-" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            for (int i = 0; i < INVOICES; i++) {
                String value = (i % 7 == 3 ? "bad-" : "invoice-") + i;
                producer.send(new ProducerRecord<>("invoices", 0, null, value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(10));
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    /**
     * kafka-clients 3.9 (KafkaConsumer hands every call to a ClassicKafkaConsumer) and 4.1, with
     * the classic group protocol and with the consumer protocol of KIP-848 (an AsyncKafkaConsumer,
     * its fetches on a background thread).
     */
    static Stream<Arguments> clients() {
        return Stream.of(Arguments.of(System.getProperty("worker.kafka3.version"), "classic", LibraryJars.of("worker.kafka3.jar")),
                Arguments.of("4.1.1", "classic", LibraryJars.of("worker.kafka4.jar")),
                Arguments.of("4.1.1", "consumer", LibraryJars.of("worker.kafka4.jar")));
    }

    @ParameterizedTest(name = "kafka-clients {0}, group.protocol={1}")
    @MethodSource("clients")
    void pollLoopRecordsAndLagEqualTheTallyAndTheBroker(String version, String protocol, Path kafkaClients) throws Exception {
        assertTrue(kafkaClients.getFileName().toString().contains(version), kafkaClients.toString());
        String group = "loop-" + version + "-" + protocol;
        Path tallyFile = Files.createTempDirectory("kafka").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .fixture(PollLoopFixture.class, List.of(kafkaClients, LibraryJars.of("worker.slf4j.jar")),
                        broker.getBrokersAsString(), group, "orders,audit", Integer.toString(PAUSE_AFTER), tallyFile.toString(),
                        protocol)
                .start()) {
            int port = fixture.agentPort();
            fixture.writeLine("start");
            Properties tally = fixture.awaitProperties(tallyFile, 90);
            Map<String, Long> brokerLag = brokerLag(group);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            System.out.println(group + ": tally " + tally + ", broker lag " + brokerLag + ", scraped "
                    + scrape.find("agentmon_kafka_polled_records_total", "group", group) + " "
                    + scrape.find("agentmon_kafka_consumer_lag", "group", group));

            for (String topic : new String[] {"orders", "audit"}) {
                long processed = Long.parseLong(tally.getProperty("processed." + topic));
                assertEquals(processed, scrape.value("agentmon_kafka_polled_records_total", "group", group, "topic", topic), topic);
                assertEquals(brokerLag.get(topic).doubleValue(), scrape.value("agentmon_kafka_consumer_lag", "group", group, "topic", topic), topic);
            }
            // The premise: the loop committed what it processed, and left a lag on every partition.
            long written = 0;
            for (Map.Entry<TopicPartition, Integer> partition : WRITTEN.entrySet()) {
                long position = Long.parseLong(tally.getProperty("position." + partition.getKey()));
                assertTrue(position >= PAUSE_AFTER && position < partition.getValue(), partition + " at " + position);
                written += partition.getValue();
            }
            long processed = Long.parseLong(tally.getProperty("processed.orders")) + Long.parseLong(tally.getProperty("processed.audit"));
            assertEquals(written - processed, brokerLag.get("orders") + brokerLag.get("audit"));

            // A closed consumer is forgotten (no lag read from it) and not kept alive; its counts stay.
            fixture.writeLine("close");
            Properties closed = fixture.awaitProperties(Paths.get(tallyFile + ".closed"), 60);
            assertEquals("true", closed.getProperty("collected"), "the agent does not keep a closed consumer alive");
            Scrape after = WorkerProcess.Http.scrape(port);
            assertTrue(after.find("agentmon_kafka_consumer_lag", "group", group).isEmpty(), after.find("agentmon_kafka_consumer_lag").toString());
            assertEquals(Long.parseLong(tally.getProperty("processed.orders")),
                    after.value("agentmon_kafka_polled_records_total", "group", group, "topic", "orders"));
        }
    }

    @Test
    void kafkaListenerCallsAreTasksWithTheirFailures() throws Exception {
        Path tallyFile = Files.createTempDirectory("kafka").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .fixture(ListenerFixture.class, testClasspath(), broker.getBrokersAsString(), Integer.toString(INVOICES),
                        tallyFile.toString())
                .start()) {
            int port = fixture.agentPort(); // before the Spring context loads its thousands of classes on a busy machine
            fixture.writeLine("start");
            Properties tally = fixture.awaitProperties(tallyFile, 120);
            long calls = Long.parseLong(tally.getProperty("calls"));
            long failures = Long.parseLong(tally.getProperty("failures"));
            assertEquals(INVOICES, calls);
            assertEquals(BAD_INVOICES, failures);
            awaitCommitted("billing", "invoices", INVOICES);

            Scrape scrape = WorkerProcess.Http.scrape(port);
            String task = "InvoiceListener.onInvoice";
            System.out.println("billing: tally " + tally + ", scraped " + scrape.find("agentmon_task_duration_seconds_count", "task", task)
                    + " " + scrape.find("agentmon_kafka_polled_records_total", "group", "billing")
                    + " " + scrape.find("agentmon_kafka_consumer_lag", "group", "billing"));
            assertEquals(calls - failures, scrape.value("agentmon_task_duration_seconds_count", "task", task, "outcome", "success"));
            assertEquals(failures, scrape.value("agentmon_task_duration_seconds_count", "task", task, "outcome", "failure"));
            assertEquals(failures, scrape.value("agentmon_task_failures_total", "task", task, "exception", "IllegalStateException"));
            assertEquals(calls, scrape.value("agentmon_kafka_polled_records_total", "group", "billing", "topic", "invoices"));
            assertEquals(brokerLag("billing").get("invoices").doubleValue(), scrape.value("agentmon_kafka_consumer_lag", "group", "billing", "topic", "invoices"));
        }
    }

    @Test
    void frameworksNoneRecordsNothingOfKafka() throws Exception {
        Path tallyFile = Files.createTempDirectory("kafka").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.frameworks", "none")
                .fixture(PollLoopFixture.class, List.of(LibraryJars.of("worker.kafka4.jar"), LibraryJars.of("worker.slf4j.jar")),
                        broker.getBrokersAsString(), "loop-none", "orders,audit", Integer.toString(PAUSE_AFTER), tallyFile.toString())
                .start()) {
            int port = fixture.agentPort();
            fixture.writeLine("start");
            Properties tally = fixture.awaitProperties(tallyFile, 90);
            assertTrue(Long.parseLong(tally.getProperty("processed.orders")) > 0, "the loop did consume");
            Scrape scrape = WorkerProcess.Http.scrape(port);
            for (Scrape.Sample sample : scrape.samples()) {
                assertTrue(!sample.name.startsWith("agentmon_kafka"), sample.toString());
            }
            assertTrue(scrape.find("agentmon_info").size() == 1, "the agent served the scrape");
        }
    }

    /** Per topic, the sum over its partitions of end offset minus the group's committed offset, from the broker. */
    private static Map<String, Long> brokerLag(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartition partition : committed.keySet()) {
            latest.put(partition, OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<String, Long> lag = new TreeMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> partition : committed.entrySet()) {
            lag.merge(partition.getKey().topic(), ends.get(partition.getKey()).offset() - partition.getValue().offset(), Long::sum);
        }
        return lag;
    }

    private static void awaitCommitted(String group, String topic, long offset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            if (committed != null && committed.offset() == offset) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, group + " committed " + committed + ", not " + offset);
            WorkerProcess.Http.pause(100);
        }
    }

    /** spring-kafka and everything it needs: the test's own classpath, less the agent's unshaded build. */
    private static List<Path> testClasspath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("agentmon-agent") && !entry.contains("agentmon-bootstrap")) {
                entries.add(Paths.get(entry));
            }
        }
        return entries;
    }
}

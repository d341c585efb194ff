package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.it.fixtures.jms.JakartaJmsFixture;
import io.agentmon.it.fixtures.jms.legacy.JavaxJmsFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JMS message listeners, timed with no agentmon.tasks entry: a worker on a real embedded broker
 * (ActiveMQ Artemis for jakarta.jms, ActiveMQ Classic for javax.jms) counts what its listeners
 * handled and how each call ended; the agent's counts per listener and outcome must equal that
 * tally, each message counted once under the listener's own name, whichever way it is called
 * (a consumer's listener, Spring's adapter and containers, a {@code @JmsListener} method).
 */
class JmsTest {

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void jakartaListenersCountEachMessageOnceUnderTheListenersName(Path java) throws Exception {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("orders", "OrderListener.onMessage"); // a listener class, with an onMessage overload of its own
        labels.put("payments", "JakartaJmsFixture$1.onMessage"); // an anonymous class
        labels.put("shipments", "ShipmentListener.onMessage"); // behind Spring's MessageListenerAdapter
        labels.put("returns", "ReturnListener.onMessage"); // Spring's SessionAwareMessageListener
        labels.put("invoices", "InvoiceService.invoice"); // @JmsListener, called by Spring's MessagingMessageListenerAdapter
        Map<String, String> exceptions = Map.of("orders", "IllegalStateException", "payments", "IllegalStateException",
                "shipments", "IllegalArgumentException", "returns", "IllegalStateException",
                "invoices", "UnsupportedOperationException");
        Path tallyFile = Files.createTempDirectory("jmsbatch-jms-").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .fixture(JakartaJmsFixture.class, testClasspath(), tallyFile.toString())
                .start()) {
            Properties tally = fixture.awaitProperties(tallyFile, 120);
            int port = fixture.agentPort(); // after the work: on a loaded machine the line may come late
            Scrape scrape = WorkerProcess.Http.scrape(port);
            int messages = Integer.parseInt(tally.getProperty("messages"));
            for (Map.Entry<String, String> queue : labels.entrySet()) {
                assertCounts(scrape, tally, queue.getKey(), queue.getValue(), exceptions.get(queue.getKey()));
            }
            // The worker's own state, so the comparison above is not of zeros: every fifth message
            // failed once; plain JMS redelivered it, Spring's containers (acknowledging first) did not.
            for (String queue : List.of("orders", "payments", "audit")) {
                assertEquals(messages, count(tally, queue, "success"), queue);
                assertEquals(messages / 5, count(tally, queue, "failure"), queue);
            }
            for (String queue : List.of("shipments", "returns", "invoices")) {
                assertEquals(messages - messages / 5, count(tally, queue, "success"), queue);
                assertEquals(messages / 5, count(tally, queue, "failure"), queue);
            }
            // Nothing else: no adapter of Spring's, no overload called from onMessage, and the lambda's
            // listener (audit) not at all: its class is a hidden class, which no agent sees loaded.
            assertEquals(new TreeSet<>(labels.values()), taskLabels(scrape), scrape.text());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void javaxListenersOnActiveMqClassicAreCountedLikewise(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("jmsbatch-jms-").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .fixture(JavaxJmsFixture.class, testClasspath(), tallyFile.toString())
                .start()) {
            Properties tally = fixture.awaitProperties(tallyFile, 120);
            int port = fixture.agentPort(); // after the work: on a loaded machine the line may come late
            Scrape scrape = WorkerProcess.Http.scrape(port);
            int messages = Integer.parseInt(tally.getProperty("messages"));
            assertCounts(scrape, tally, "ledger", "LedgerListener.onMessage", "IllegalStateException");
            assertCounts(scrape, tally, "refunds", "JavaxJmsFixture$1.onMessage", "IllegalArgumentException");
            for (String queue : List.of("ledger", "refunds")) {
                assertEquals(messages, count(tally, queue, "success"), queue);
                assertEquals(messages / 5, count(tally, queue, "failure"), queue);
            }
            assertEquals(new TreeSet<>(List.of("LedgerListener.onMessage", "JavaxJmsFixture$1.onMessage")), taskLabels(scrape),
                    scrape.text());
        }
    }

    private static void assertCounts(Scrape scrape, Properties tally, String queue, String label, String exception) {
        assertEquals(count(tally, queue, "success"),
                scrape.value("agentmon_task_duration_seconds_count", "task", label, "outcome", "success"), label);
        assertEquals(count(tally, queue, "failure"),
                scrape.value("agentmon_task_duration_seconds_count", "task", label, "outcome", "failure"), label);
        assertEquals(0, scrape.value("agentmon_task_duration_seconds_count", "task", label, "outcome", "timeout"), label);
        assertEquals(count(tally, queue, "failure"), scrape.sum("agentmon_task_failures_total", "task", label), label);
        assertEquals(count(tally, queue, "failure"),
                scrape.value("agentmon_task_failures_total", "task", label, "exception", exception), label);
    }

    static long count(Properties tally, String queue, String outcome) {
        return Long.parseLong(tally.getProperty(queue + "." + outcome, "0"));
    }

    /** The task labels that counted at least one run. */
    static TreeSet<String> taskLabels(Scrape scrape) {
        TreeSet<String> labels = new TreeSet<>();
        for (Scrape.Sample sample : scrape.find("agentmon_task_duration_seconds_count")) {
            if (sample.value > 0) {
                labels.add(sample.labels.get("task"));
            }
        }
        return labels;
    }

    /** The brokers, clients and Spring: the test's own classpath, less the agent's unshaded build. */
    static List<Path> testClasspath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("agentmon-agent") && !entry.contains("agentmon-bootstrap")) {
                entries.add(Paths.get(entry));
            }
        }
        return entries;
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.spring.SpringSchedulingFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.LibraryJars;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spring scheduling with no configuration ({@code agentmon.frameworks} includes
 * {@code spring-scheduling} by default): every {@code @Scheduled} method of a real Spring
 * context is a task labelled {@code Class.method}, counted by outcome exactly as the worker
 * counted its own runs, once each, under the class the user wrote (never a CGLIB subclass's).
 */
class SpringSchedulingTest {

    private static final String F = "SpringSchedulingFixture$";
    private static final String[] METHODS = {"Rates.tick", "Delays.poll", "Delays.twice", "Failing.explode",
            "Config.housekeeping", "Proxied.audit"};

    static Stream<Arguments> springJars() {
        return Stream.of(Arguments.of(System.getProperty("worker.spring.version"), "worker.spring.jars"),
                Arguments.of(System.getProperty("worker.spring.other.version"), "worker.spring.other.dir"));
    }

    @ParameterizedTest(name = "Spring {0}")
    @MethodSource("springJars")
    void everyScheduledRunEqualsTheWorkersOwnTally(String version, String jarsProperty) throws Exception {
        Path tallyFile = Files.createTempDirectory("spring").resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .fixture(SpringSchedulingFixture.class, classpath(jarsProperty), tallyFile.toString(), "1500")
                .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 90);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            for (String method : METHODS) {
                String task = F + method;
                long success = count(tally, task + ".success");
                long failure = count(tally, task + ".failure");
                assertTrue(success + failure > 0, task + " ran: " + tally);
                assertEquals(success, scrape.valueOrZero("agentmon_task_duration_seconds_count", "task", task, "outcome", "success"), task);
                assertEquals(failure, scrape.valueOrZero("agentmon_task_duration_seconds_count", "task", task, "outcome", "failure"), task);
                assertEquals(0, scrape.value("agentmon_tasks_active", "task", task), task + ": nothing in flight after close");
            }
            assertEquals(count(tally, F + "Failing.explode.failure"),
                    scrape.value("agentmon_task_failures_total", "task", F + "Failing.explode", "exception", "IllegalStateException"));
            // The proxied bean ran through its proxy (every run intercepted), and the proxies are CGLIB subclasses ...
            assertEquals(count(tally, F + "Proxied.audit.success"), count(tally, "intercepted"));
            assertTrue(tally.getProperty("class.proxied").contains("$$"), tally.getProperty("class.proxied"));
            assertTrue(tally.getProperty("class.config").contains("$$"), tally.getProperty("class.config"));
            // ... which are never timed: every run once, under the user's class.
            for (Scrape.Sample sample : scrape.samples()) {
                String task = sample.labels.get("task");
                assertFalse(task != null && task.contains("$$"), sample.toString());
            }
        }
    }

    @Test
    void aFrameworksListWithoutSpringSchedulingTimesNoScheduledMethod() throws Exception {
        Path tallyFile = Files.createTempDirectory("spring-off").resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.frameworks", "quartz,jms")
                .fixture(SpringSchedulingFixture.class, classpath("worker.spring.jars"), tallyFile.toString(), "500")
                .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 90);
            assertTrue(count(tally, F + "Rates.tick.success") > 0, tally.toString());
            Scrape scrape = WorkerProcess.Http.scrape(port);
            for (Scrape.Sample sample : scrape.samples()) {
                String task = sample.labels.getOrDefault("task", "");
                assertFalse(task.startsWith("SpringSchedulingFixture"), sample.toString());
            }
            assertTrue(scrape.text().contains("agentmon_info"), "a scrape of the running agent");
        }
    }

    private static long count(Properties tally, String key) {
        return Long.parseLong(tally.getProperty(key, "0"));
    }

    /** The jars the comma-separated property names, or every jar in the directory it names. */
    private static List<Path> classpath(String property) throws IOException {
        String value = System.getProperty(property);
        assertTrue(value != null && !value.contains("${"), property + " is not set: run through Maven, which sets it");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(Paths.get(value))) {
            try (Stream<Path> files = Files.list(Paths.get(value))) {
                files.filter(file -> file.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
            assertTrue(jars.size() >= 5, property + ": " + jars);
            return jars;
        }
        for (String jar : value.split(",")) {
            assertTrue(Files.isRegularFile(Paths.get(jar)), property + ": no file " + jar);
            jars.add(Paths.get(jar));
        }
        return jars;
    }
}

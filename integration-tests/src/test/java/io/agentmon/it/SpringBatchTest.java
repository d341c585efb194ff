package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.batch.SpringBatchFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spring Batch steps, timed with no agentmon.tasks entry: each step execution of a real Spring
 * Batch 5.2 job is a run of the task {@code job.step}, a FAILED step a failure named by the
 * exception the step recorded; the counts must equal the worker's own, taken from the step
 * executions its jobs returned.
 */
class SpringBatchTest {

    static final List<String> LABELS = List.of("importJob.prepare", "importJob.load", "importJob.publish", "reportJob.prepare");

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void eachStepExecutionIsARunOfJobDotStep(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("jmsbatch-batch-").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.task.deadline.reportJob.prepare", "1ns") // a deadline for a label known at run time
                .fixture(SpringBatchFixture.class, classpath(), tallyFile.toString())
                .start()) {
            Properties tally = fixture.awaitProperties(tallyFile, 120);
            int port = fixture.agentPort(); // after the work: on a loaded machine the line may come late
            Scrape scrape = WorkerProcess.Http.scrape(port);
            for (String label : LABELS) {
                for (String outcome : List.of("success", "failure")) {
                    assertEquals(count(tally, label + "." + outcome),
                            scrape.value("agentmon_task_duration_seconds_count", "task", label, "outcome", outcome), label + " " + outcome);
                }
                assertEquals(0, scrape.value("agentmon_task_duration_seconds_count", "task", label, "outcome", "timeout"), label);
                assertEquals(count(tally, label + ".failure"), scrape.sum("agentmon_task_failures_total", "task", label), label);
            }
            assertEquals(count(tally, "importJob.load.failure.IllegalArgumentException"),
                    scrape.value("agentmon_task_failures_total", "task", "importJob.load", "exception", "IllegalArgumentException"));
            assertEquals(count(tally, "importJob.publish.failure.IllegalStateException"),
                    scrape.value("agentmon_task_failures_total", "task", "importJob.publish", "exception", "IllegalStateException"));
            assertEquals(count(tally, "reportJob.prepare.success"),
                    scrape.value("agentmon_task_timeouts_total", "task", "reportJob.prepare", "reason", "deadline"));
            assertEquals(0, scrape.valueOrZero("agentmon_task_timeouts_total", "task", "importJob.prepare", "reason", "deadline"));
            assertEquals(new TreeSet<>(LABELS), JmsTest.taskLabels(scrape), scrape.text());

            // The worker's own state, so the comparison is not of zeros: 7 runs of importJob, the
            // chunk step failing on run 3 (so publish did not run then), publish on runs 1 and 4.
            assertEquals(7, count(tally, "importJob.prepare.success"));
            assertEquals(0, count(tally, "importJob.prepare.failure"));
            assertEquals(6, count(tally, "importJob.load.success"));
            assertEquals(1, count(tally, "importJob.load.failure.IllegalArgumentException"));
            assertEquals(4, count(tally, "importJob.publish.success"));
            assertEquals(2, count(tally, "importJob.publish.failure.IllegalStateException"));
            assertEquals(2, count(tally, "reportJob.prepare.success"));
            assertEquals(3, count(tally, "jobs.FAILED"));
        }
    }

    static long count(Properties tally, String key) {
        return Long.parseLong(tally.getProperty(key, "0"));
    }

    /**
     * Spring Batch 5.2 with the Spring Framework 6.2 and Micrometer it is built on (the build's
     * spring-batch-runtime directory), in place of the test classpath's Spring 7 (spring-kafka's)
     * and the older Micrometer IsolationTest needs; everything else is the test's own classpath.
     */
    static List<Path> classpath() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> jars = Files.list(Paths.get(System.getProperty("spring.batch.runtime.dir")))) {
            jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(entries::add);
        }
        assertTrue(entries.size() >= 10, "spring-batch-runtime holds Spring Batch and its Spring: " + entries);
        for (Path entry : JmsTest.testClasspath()) {
            String path = entry.toString().replace(File.separatorChar, '/');
            if (!path.contains("/org/springframework/") && !entry.getFileName().toString().startsWith("micrometer-")) {
                entries.add(entry);
            }
        }
        return entries;
    }
}

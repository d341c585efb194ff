package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.virtual.VirtualThreadsFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tasks run on virtual threads (Java 21+, here Temurin 25) are counted and timed like any others. */
class VirtualThreadsTest {

    private static final String TASK = "VirtualThreadsFixture.step";

    static List<Path> jdksWithVirtualThreads() {
        return Jdks.all().stream().filter(java -> !java.equals(Jdks.current())).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdksWithVirtualThreads")
    void tasksOnVirtualThreadsAreCountedAndTimed(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("virtual").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", VirtualThreadsFixture.class.getName() + "#step")
                .fixture(VirtualThreadsFixture.class, Collections.emptyList(), tallyFile.toString())
                .start()) {
            int port = fixture.agentPort();
            Properties tally = fixture.awaitProperties(tallyFile, 120);
            Scrape scrape = WorkerProcess.Http.scrape(port);

            assertEquals("true", tally.getProperty("virtual"), "the fixture really ran virtual threads");
            long runs = Long.parseLong(tally.getProperty("runs"));
            long failures = Long.parseLong(tally.getProperty("failures"));
            assertEquals(runs - failures, scrape.value("agentmon_task_duration_seconds_count", "task", TASK, "outcome", "success"));
            assertEquals(failures, scrape.value("agentmon_task_duration_seconds_count", "task", TASK, "outcome", "failure"));
            assertEquals(failures, scrape.value("agentmon_task_failures_total", "task", TASK, "exception", "IllegalStateException"));
            assertEquals(0, scrape.value("agentmon_tasks_active", "task", TASK));

            double agentSeconds = scrape.sum("agentmon_task_duration_seconds_sum", "task", TASK);
            double fixtureSeconds = Long.parseLong(tally.getProperty("nanos")) / 1e9;
            // Each run sleeps at least 5 ms, so the sum has a floor; the fixture's own outer timing is the ceiling.
            assertTrue(agentSeconds >= runs * 0.005, "agent sum " + agentSeconds + "s below the sleeps' floor");
            assertTrue(agentSeconds <= fixtureSeconds, "agent sum " + agentSeconds + "s above the fixture's " + fixtureSeconds + "s");
        }
    }
}

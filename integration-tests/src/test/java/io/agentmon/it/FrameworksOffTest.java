package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.batch.SpringBatchFixture;
import io.agentmon.it.fixtures.jms.JakartaJmsFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code agentmon.frameworks=none}: the same JMS and Spring Batch workers as JmsTest and SpringBatchTest, and no task series. */
class FrameworksOffTest {

    @Test
    void noneTimesNoListenerAndNoStep() throws Exception {
        assertNoTasks(JakartaJmsFixture.class, JmsTest.testClasspath(), "orders.success");
        assertNoTasks(SpringBatchFixture.class, SpringBatchTest.classpath(), "importJob.prepare.success");
    }

    private static void assertNoTasks(Class<?> fixtureClass, List<Path> classpath, String worked) throws Exception {
        Path tallyFile = Files.createTempDirectory("jmsbatch-off-").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.frameworks", "none")
                .fixture(fixtureClass, classpath, tallyFile.toString())
                .start()) {
            Properties tally = fixture.awaitProperties(tallyFile, 120);
            int port = fixture.agentPort();
            Scrape scrape = WorkerProcess.Http.scrape(port);
            assertTrue(Long.parseLong(tally.getProperty(worked, "0")) > 0, "the worker did its work: " + tally);
            assertEquals(List.of(), scrape.find("agentmon_task_duration_seconds_count"), fixtureClass.getSimpleName());
            assertEquals(List.of(), scrape.find("agentmon_task_failures_total"), fixtureClass.getSimpleName());
        }
    }
}

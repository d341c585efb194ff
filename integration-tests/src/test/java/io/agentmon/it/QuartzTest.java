package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.quartz.QuartzFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.LibraryJars;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quartz with no configuration ({@code agentmon.frameworks} includes {@code quartz} by default):
 * a worker runs its jobs on Quartz's own scheduler, keeping its own tally through Quartz's
 * listeners; every job run, failure, veto and misfire the agent reports equals that tally,
 * per job class, and the scheduler's thread pool shows its threads and the one busy thread.
 * The same worker runs on the newest Quartz and on the oldest supported, 2.3.2.
 */
class QuartzTest {

    private static final String[] JOBS = {"Count", "Fail", "Sometimes", "Late", "Hold"};
    private static final String POOL = "Fixture_Worker";

    static Stream<Arguments> quartzJars() {
        return Stream.of(Arguments.of(System.getProperty("worker.quartz.version"), "worker.quartz.jar"),
                Arguments.of(System.getProperty("worker.quartz.old.version"), "worker.quartz.old.jar"));
    }

    @ParameterizedTest(name = "Quartz {0}")
    @MethodSource("quartzJars")
    void everyRunMisfireAndVetoEqualsTheSchedulersOwnTally(String version, String jarProperty) throws Exception {
        Path dir = Files.createTempDirectory("quartz");
        Path tallyFile = dir.resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .fixture(QuartzFixture.class, classpath(jarProperty), tallyFile.toString())
                .start()) {
            int port = worker.agentPort();
            worker.awaitProperties(Path.of(tallyFile + ".busy"), 90);
            Scrape held = WorkerProcess.Http.scrape(port);
            assertEquals(1, held.value("agentmon_quartz_active_threads", "pool", POOL), "the holding job's thread");
            assertEquals(3, held.value("agentmon_quartz_pool_threads", "pool", POOL));
            assertEquals(1, held.value("agentmon_tasks_active", "task", label("Hold")));
            worker.writeLine("go on");

            Properties tally = worker.awaitProperties(tallyFile, 90);
            assertEquals(tally.getProperty("triggers"), tally.getProperty("triggers.finished"), "every trigger ran to its end");
            Scrape scrape = WorkerProcess.Http.scrape(port);
            for (String job : JOBS) {
                String task = label(job);
                assertEquals(count(tally, task, "success"),
                        scrape.valueOrZero("agentmon_task_duration_seconds_count", "task", task, "outcome", "success"), task);
                assertEquals(count(tally, task, "failure"),
                        scrape.valueOrZero("agentmon_task_duration_seconds_count", "task", task, "outcome", "failure"), task);
                assertEquals(count(tally, task, "failure"),
                        scrape.sum("agentmon_task_failures_total", "task", task), task);
                assertEquals(count(tally, task, "misfires"), scrape.valueOrZero("agentmon_task_misfires_total", "task", task), task);
                assertEquals(count(tally, task, "vetoes"), scrape.valueOrZero("agentmon_task_vetoes_total", "task", task), task);
            }
            assertEquals(count(tally, label("Fail"), "failure"),
                    scrape.value("agentmon_task_failures_total", "task", label("Fail"), "exception", "JobExecutionException"));
            // Nothing counted under a label the worker does not know.
            assertEquals(0, scrape.valueOrZero("agentmon_task_misfires_total", "task", "unknown"));
            assertEquals(0, scrape.valueOrZero("agentmon_task_vetoes_total", "task", "unknown"));
            assertEquals(0, held.valueOrZero("agentmon_task_misfires_total", "task", "other"));
            // The tally is of real events: the one-shot triggers due a minute ago misfired (again, when the
            // scheduler came to one past the 100 ms threshold once more), every third Sometimes run was vetoed.
            assertTrue(count(tally, label("Late"), "misfires") >= 3, tally.toString());
            assertEquals(3, count(tally, label("Late"), "success"));
            assertTrue(count(tally, label("Sometimes"), "vetoes") >= 1, tally.toString());
            assertTrue(count(tally, label("Fail"), "failure") >= 1, tally.toString());
            assertTrue(count(tally, label("Count"), "success") >= 2, tally.toString()); // two job keys, one class
            // After shutdown(true) no run is in flight, and the pool is idle (or gone, once collected).
            assertEquals(0, scrape.value("agentmon_tasks_active", "task", label("Count")));
            assertEquals(0, scrape.valueOrZero("agentmon_quartz_active_threads", "pool", POOL));
        }
    }

    @Test
    void aFrameworksListWithoutQuartzWeavesNothingOfIt() throws Exception {
        for (String frameworks : List.of("none", "spring-scheduling,kafka")) {
            Path dir = Files.createTempDirectory("quartz-off");
            Path tallyFile = dir.resolve("tally.properties");
            try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                    .onLoopback()
                    .property("agentmon.frameworks", frameworks)
                    .fixture(QuartzFixture.class, classpath("worker.quartz.jar"), tallyFile.toString())
                    .start()) {
                int port = worker.agentPort();
                worker.awaitProperties(Path.of(tallyFile + ".busy"), 90);
                worker.writeLine("go on");
                Properties tally = worker.awaitProperties(tallyFile, 90);
                assertTrue(count(tally, label("Count"), "success") > 0, tally.toString());
                Scrape scrape = WorkerProcess.Http.scrape(port);
                for (Scrape.Sample sample : scrape.samples()) {
                    String task = sample.labels.getOrDefault("task", "");
                    assertTrue(!task.startsWith("QuartzFixture"), frameworks + ": " + sample);
                    assertTrue(!sample.name.startsWith("agentmon_task_misfires") && !sample.name.startsWith("agentmon_task_vetoes")
                            && !sample.name.startsWith("agentmon_quartz_"), frameworks + ": " + sample);
                }
                assertTrue(scrape.text().contains("agentmon_info"), "a scrape of the running agent");
            }
        }
    }

    private static String label(String job) {
        return "QuartzFixture$" + job + ".execute";
    }

    private static long count(Properties tally, String task, String what) {
        return Long.parseLong(tally.getProperty(task + "." + what, "0"));
    }

    private static List<Path> classpath(String quartzJarProperty) {
        return List.of(LibraryJars.of(quartzJarProperty), LibraryJars.of("worker.slf4j.jar"));
    }
}

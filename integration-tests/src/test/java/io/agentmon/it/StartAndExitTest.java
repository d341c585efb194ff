package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.startup.ClassLoadingWorker;
import io.agentmon.it.fixtures.startup.ExitingWorker;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the agent does around the worker's start and exit, so as not to slow either: the port and
 * Micrometer's binders wait until the worker's class loading pauses (5 s at most), and every
 * scrape has the JVM's metrics; at exit the endpoint closes once no task is in flight (so that the
 * JVM does not wait for its sockets' threads), but stays open while a draining worker's last runs
 * finish.
 */
class StartAndExitTest {

    /** A class of Micrometer's registry, relocated: it loads when the binders are bound. */
    private static final String MICROMETER_REGISTRY = "io.agentmon.shaded.micrometer.prometheusmetrics.PrometheusMeterRegistry ";
    /** agentmon's HTTP server: it loads when the port is bound. */
    private static final String HTTP_SERVER = "io.agentmon.agent.http.server.HttpServer ";
    private static final String TICK = "io.agentmon.it.fixtures.startup.Tick ";

    @TempDir
    Path dir;

    static Stream<Path> jdks() {
        return Jdks.all().stream();
    }

    /**
     * A worker that never stops loading classes (one every 10 ms for a minute) still gets its
     * endpoint, once the 5 s bound is reached, and the first scrape, made as soon as the agent
     * serves, has the JVM's metrics beside the tasks' (binding them itself if the agent's own
     * binding, which follows the port's, has not finished).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void aWorkerThatNeverSettlesIsServedAndItsFirstScrapeHasTheJvmMetrics(Path java) throws IOException {
        try (WorkerProcess worker = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", ClassLoadingWorker.class.getName() + "#tick")
                .fixture(ClassLoadingWorker.class, List.of(), "60", "0")
                .start()) {
            Scrape scrape = WorkerProcess.Http.scrape(worker.agentPort());
            assertFalse(scrape.find("jvm_memory_used_bytes").isEmpty(), "JVM memory in the first scrape:\n" + scrape.text());
            assertFalse(scrape.find("jvm_threads_live_threads").isEmpty(), "JVM threads in the first scrape");
            assertFalse(scrape.find("process_cpu_usage").isEmpty(), "process CPU in the first scrape");
            assertFalse(scrape.find("agentmon_task_duration_seconds_count").isEmpty(), "the task's series in the first scrape");
        }
    }

    /**
     * The port and the binders wait for the worker's class loading to pause: in the class-load
     * log, the last of the worker's 2 s of loads comes before agentmon's HTTP server and
     * Micrometer's registry; a scrape then has the JVM's metrics.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void thePortAndTheBindersWaitForClassLoadingToPause(Path java) throws IOException {
        Path log = dir.resolve("class-load.log");
        try (WorkerProcess worker = WorkerProcess.builder(java)
                .onLoopback()
                .jvmArg("-Xlog:class+load=info:file=" + log)
                .property("agentmon.tasks", ClassLoadingWorker.class.getName() + "#tick")
                .fixture(ClassLoadingWorker.class, List.of(), "2", "60")
                .start()) {
            int port = worker.agentPort();
            worker.waitFor(60, "Micrometer's registry in the class-load log", () -> read(log).contains(MICROMETER_REGISTRY));
            String loads = read(log);
            int lastTick = loads.lastIndexOf(TICK);
            assertTrue(lastTick > 0, "the worker's own loads are in the log");
            assertTrue(lastTick < loads.indexOf(HTTP_SERVER), "the port waits for the worker's class loading to pause");
            assertTrue(lastTick < loads.indexOf(MICROMETER_REGISTRY), "the binders wait for it too");
            assertTrue(worker.stdout().contains("loaded "), "the worker had finished loading:\n" + worker.stdout());
            Scrape scrape = WorkerProcess.Http.scrape(port);
            assertFalse(scrape.find("jvm_memory_used_bytes").isEmpty(), "JVM memory served");
        }
    }

    /** A worker exiting with nothing in flight: the port is closed while the worker's own shutdown hook still runs. */
    @ParameterizedTest
    @MethodSource("jdks")
    void atExitWithNoTaskInFlightTheEndpointCloses(Path java) throws IOException {
        try (WorkerProcess worker = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", ExitingWorker.class.getName() + "#drain")
                .fixture(ExitingWorker.class, List.of(), "idle")
                .start()) {
            assertEquals(0, worker.awaitExit(60), "exit status\n" + worker.stderr());
            assertTrue(worker.stdout().contains("endpoint open during shutdown: false"), worker.stdout() + worker.stderr());
        }
    }

    /**
     * A worker draining at exit: once the agent's exit hook has run (and left its watcher), the
     * endpoint still serves, with the run in flight; the worker then exits when the run ends.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void atExitADrainingWorkerIsStillScraped(Path java) throws IOException {
        Path done = dir.resolve("done");
        try (WorkerProcess worker = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", ExitingWorker.class.getName() + "#drain")
                .fixture(ExitingWorker.class, List.of(), "draining", done.toString())
                .start()) {
            int port = worker.agentPort();
            worker.waitFor(60, "the worker's shutdown hook's first line", () -> worker.stdout().contains("agent waits for the drain: "));
            assertTrue(worker.stdout().contains("agent waits for the drain: true"),
                    "the agent's exit hook has run and left its watcher:\n" + worker.stdout() + worker.stderr());
            Scrape scrape = WorkerProcess.Http.scrape(port);
            assertEquals(1.0, scrape.sum("agentmon_tasks_active"), "the draining run in flight:\n" + scrape.text());
            Files.createFile(done);
            assertEquals(0, worker.awaitExit(60), "exit status\n" + worker.stderr());
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}

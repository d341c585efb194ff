package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.it.fixtures.docker.DockerJavaFixture;
import io.agentmon.it.support.DockerEngineStandIn;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docker-java, built in with no configuration: a worker drives the real client against a
 * stand-in Docker Engine API; the agent's allocation counts and live-container gauges must
 * equal what the engine itself holds at the end.
 */
class DockerJavaTest {

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void containerGaugesFollowWhatTheEngineHasRunning(Path java) throws Exception {
        Path doneFile = Files.createTempDirectory("docker").resolve("done.properties");
        try (DockerEngineStandIn engine = new DockerEngineStandIn();
                WorkerProcess fixture = WorkerProcess.builder(java)
                        .property("agentmon.port", "0")
                        .property("agentmon.host", "127.0.0.1")
                        .fixture(DockerJavaFixture.class, testClasspath(), engine.host(), doneFile.toString())
                        .start()) {
            int port = fixture.agentPort();
            fixture.awaitProperties(doneFile, 60);
            Scrape scrape = WorkerProcess.Http.scrape(port);

            long running = 0;
            double cpus = 0;
            long memory = 0;
            for (DockerEngineStandIn.Container container : engine.containers().values()) {
                if (container.running) {
                    running++;
                    cpus += container.cpus;
                    memory += container.memoryBytes;
                }
            }
            assertEquals(engine.successfulCreates(), scrape.value("agentmon_docker_allocations_total", "outcome", "success"));
            assertEquals(engine.failedCreates(), scrape.value("agentmon_docker_allocations_total", "outcome", "failure"));
            assertEquals(running, scrape.value("agentmon_docker_containers_active"));
            assertEquals(cpus, scrape.value("agentmon_docker_cpu_limit_cores"), 1e-9);
            assertEquals(memory, scrape.value("agentmon_docker_memory_limit_bytes"));
            // The engine's own state, so the comparison above is not of zeros.
            assertEquals(4, engine.successfulCreates());
            assertEquals(1, engine.failedCreates());
            assertEquals(2, running);
            assertEquals(2.5, cpus, 1e-9);
            assertEquals((256L << 20) + (1L << 30), memory);
        }
    }

    /** docker-java and everything it needs: the test's own classpath, less the agent's unshaded build. */
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

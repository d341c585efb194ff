package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.it.fixtures.docker.DockerJavaFixture;
import io.agentmon.it.support.DockerEngineStandIn;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
                OtlpReceiver receiver = OtlpReceiver.start();
                WorkerProcess fixture = WorkerProcess.builder(java)
                        .onLoopback()
                        .property("otel.exporter.otlp.endpoint", receiver.httpEndpoint())
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

            // With tracing on, each create is a span carrying the image, the id and the size the engine got.
            List<OtlpReceiver.ReceivedSpan> spans = receiver.awaitSpans(5, 30);
            WorkerProcess.Http.pause(300); // nothing more may come
            assertEquals(5, receiver.spans().size(), receiver.spans().toString());
            Map<String, Long> images = new TreeMap<>();
            Map<String, String> sizes = new TreeMap<>();
            for (OtlpReceiver.ReceivedSpan span : spans) {
                assertEquals("container.allocate", span.name());
                Map<String, Object> attributes = span.attributes();
                images.merge((String) attributes.get("container.image.name"), 1L, Long::sum);
                String id = (String) attributes.get("container.id");
                assertEquals(id == null ? "failure" : "success", attributes.get("agentmon.outcome"), span.toString());
                if (id != null) {
                    sizes.put(id, attributes.get("agentmon.container.cpus") + " cpus " + attributes.get("agentmon.container.memory_bytes"));
                }
            }
            // The sizes the fixture asked for, each under the id the engine gave.
            assertEquals(Map.of(id(1), "1.5 cpus " + (512L << 20), id(2), "0.5 cpus " + (256L << 20),
                    id(3), "2.0 cpus " + (1L << 30), id(4), "0.0 cpus 0"), sizes);
            for (Map.Entry<String, DockerEngineStandIn.Container> container : engine.containers().entrySet()) {
                assertEquals(container.getValue().cpus + " cpus " + container.getValue().memoryBytes, sizes.get(container.getKey()));
            }
            assertEquals(Map.of("alpine:3", 4L, "missing:latest", 1L), images);
        }
    }

    /** The stand-in engine's n-th container id. */
    private static String id(int n) {
        return String.format("%064x", n);
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

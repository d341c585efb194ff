package io.agentmon.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer harness in its smoke mode, so that it cannot rot: one round of every workload in
 * every configuration (bare, agentmon, jmx_exporter, the OpenTelemetry agent, the Micrometer
 * timer), short. {@link PeerOverhead#run} throws when any configuration did not run or gave
 * no figure, or when an endpoint it scrapes did not answer (a peer that cannot run fails here,
 * it is not skipped). No time is asserted: the figures of a smoke run mean nothing.
 */
class PeerOverheadSmokeTest {

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set (benchmarks/pom.xml, surefire)");
        }
        return value;
    }

    @Test
    void everyWorkloadRunsInEveryConfiguration() throws Exception {
        // Like every test that needs a tool from outside Maven: skipped where it is missing, except
        // under CI=true (.ci/run installs it), where that is a failure.
        Assumptions.assumeTrue(Files.isExecutable(Paths.get("/usr/bin/time")) || "true".equals(System.getenv("CI")),
                "/usr/bin/time is not installed (Debian package time): the hello world is measured with it");
        String section = PeerOverhead.run("--smoke",
                "--agent", property("peers.agentmon.jar"),
                "--sample-worker", property("peers.sample.worker.jar"),
                "--peers", property("peers.dir"),
                "--micrometer", property("peers.micrometer.dir"),
                "--classpath", property("peers.worker.classes"));
        for (String table : List.of("### Hello world", "### The sample worker", "### A small running worker", "### Throughput",
                "### Against the goals")) {
            assertTrue(section.contains(table), "no " + table + " in\n" + section);
        }
        for (String configuration : List.of("| bare JVM |", "| agentmon ", "| Prometheus jmx_exporter 1.", "| OpenTelemetry agent 2.",
                "| hand-written Micrometer ")) {
            assertTrue(section.contains(configuration), "no " + configuration + " in\n" + section);
        }
    }

    @Test
    void theSectionReplacesItselfAndLeavesTheRest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Files.write(file, "# Benchmarks\n\n## Before\n\ntext\n".getBytes(StandardCharsets.UTF_8));
        PeerOverhead.writeSection(file, PeerOverhead.SECTION + "\n\nfirst\n");
        assertEquals("# Benchmarks\n\n## Before\n\ntext\n\n" + PeerOverhead.SECTION + "\n\nfirst\n", read(file));

        Files.write(file, (read(file) + "\n## After\n\nmore\n").getBytes(StandardCharsets.UTF_8));
        PeerOverhead.writeSection(file, PeerOverhead.SECTION + "\n\nsecond\n\n");
        assertEquals("# Benchmarks\n\n## Before\n\ntext\n\n" + PeerOverhead.SECTION + "\n\nsecond\n\n## After\n\nmore\n", read(file));
    }

    private static String read(Path file) throws Exception {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}

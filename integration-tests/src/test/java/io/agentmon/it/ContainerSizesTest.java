package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.sizes.SizesFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * An allocation whose size cannot be read (a null on the configured getter chain) is still
 * counted and timed by its real duration, with size 0 (issue 11: it used to lose the clock read
 * and record the clock's whole value, days, as its duration), and the sizes that can be read
 * are exact.
 */
class ContainerSizesTest {

    @Test
    void anUnreadableSizeCostsTheSizeNotTheDuration() throws Exception {
        Path tallyFile = Files.createTempDirectory("sizes").resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.docker", "io.agentmon.it.fixtures.sizes.SizedAllocator#allocate")
                .property("agentmon.docker.cpu", "arg0")
                .property("agentmon.docker.memory", "arg1.resources.memoryBytes")
                .fixture(SizesFixture.class, Collections.emptyList(), tallyFile.toString())
                .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 60);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            long allocations = Long.parseLong(tally.getProperty("allocations"));
            assertEquals(allocations, scrape.value("agentmon_docker_allocations_total", "outcome", "success"));
            assertEquals(allocations, scrape.value("agentmon_docker_allocation_duration_seconds_count", "outcome", "success"));
            double sum = scrape.value("agentmon_docker_allocation_duration_seconds_sum", "outcome", "success");
            assertTrue(sum >= allocations * 0.002 && sum < allocations * 1.0,
                    "each allocation took about 2 ms; the durations add up to " + sum + " s");
            assertEquals(allocations, scrape.value("agentmon_docker_allocation_duration_seconds_bucket", "outcome", "success",
                    "le", "1.0"), "no allocation recorded as longer than a second");
            assertEquals(allocations, scrape.value("agentmon_docker_containers_active"));
            assertEquals(Double.parseDouble(tally.getProperty("memory")), scrape.value("agentmon_docker_memory_limit_bytes"),
                    "the readable sizes, and 0 for the unreadable ones");
            // The CPU argument is readable on every call, so it is not lost with the memory.
            assertEquals(Double.parseDouble(tally.getProperty("cpus")), scrape.value("agentmon_docker_cpu_limit_cores"));
        }
    }
}

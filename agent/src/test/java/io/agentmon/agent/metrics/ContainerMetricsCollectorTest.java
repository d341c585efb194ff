package io.agentmon.agent.metrics;

import static io.agentmon.agent.metrics.Points.counter;
import static io.agentmon.agent.metrics.Points.gauge;
import static io.agentmon.agent.metrics.Points.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.bootstrap.ContainerProbes;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

/** The container collector read from the container table the probes fill; each figure is checked as a change. */
class ContainerMetricsCollectorTest {

    private static MetricSnapshots collect() {
        return new ContainerMetricsCollector("svc", true, HistogramKinds.BOTH).collect();
    }

    @Test
    void allocationsByOutcomeAndWhatIsAliveNow() {
        MetricSnapshots before = collect();
        Object container = new Object();
        ContainerProbes.allocated(System.nanoTime(), container, null, 1.5, 100);
        ContainerProbes.allocated(System.nanoTime(), new Object(), new IllegalStateException(), 8, 1000);

        MetricSnapshots during = collect();
        assertEquals(1, counter(during, "agentmon_docker_allocations", "outcome", "success")
                - counter(before, "agentmon_docker_allocations", "outcome", "success"));
        assertEquals(1, counter(during, "agentmon_docker_allocations", "outcome", "failure")
                - counter(before, "agentmon_docker_allocations", "outcome", "failure"));
        assertEquals(2, histogram(during, "agentmon_docker_allocation_duration_seconds", "outcome", "success").getCount()
                + histogram(during, "agentmon_docker_allocation_duration_seconds", "outcome", "failure").getCount()
                - histogram(before, "agentmon_docker_allocation_duration_seconds", "outcome", "success").getCount()
                - histogram(before, "agentmon_docker_allocation_duration_seconds", "outcome", "failure").getCount());
        assertEquals(1, gauge(during, "agentmon_docker_containers_active") - gauge(before, "agentmon_docker_containers_active"));
        assertEquals(1.5, gauge(during, "agentmon_docker_cpu_limit_cores") - gauge(before, "agentmon_docker_cpu_limit_cores"), 1e-9);
        assertEquals(100, gauge(during, "agentmon_docker_memory_limit_bytes") - gauge(before, "agentmon_docker_memory_limit_bytes"));

        ContainerProbes.released(container);
        MetricSnapshots after = collect();
        assertEquals(gauge(before, "agentmon_docker_containers_active"), gauge(after, "agentmon_docker_containers_active"));
        assertEquals(gauge(before, "agentmon_docker_cpu_limit_cores"), gauge(after, "agentmon_docker_cpu_limit_cores"), 1e-9);
    }
}

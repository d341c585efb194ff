package io.agentmon.agent.metrics;

import static io.agentmon.agent.metrics.Points.counter;
import static io.agentmon.agent.metrics.Points.one;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

/** The agent's account of itself: the exporters' counts arrive through what startup hands in, each under its own name. */
class AgentSelfCollectorTest {

    @Test
    void theExportersCountsAreShownUnderTheirNames() {
        ExporterCounts counts = new ExporterCounts(() -> 11, () -> 12, () -> 13, () -> 14);
        MetricSnapshots snapshots = new AgentSelfCollector("svc", "1.2.3", counts).collect();
        assertEquals(11, counter(snapshots, "agentmon_dropped", "what", "events"));
        assertEquals(12, counter(snapshots, "agentmon_dropped", "what", "spans"));
        assertEquals(14, counter(snapshots, "agentmon_dropped", "what", "metric_pushes"));
        assertEquals(13, counter(snapshots, "agentmon_spans_exported", "service", "svc"));
        assertEquals("1.2.3", one(snapshots, "agentmon", "service", "svc").getLabels().get("version"));
        for (String what : new String[] {"series", "inflight", "executors", "queue_wait", "containers", "trace_context", "kafka"}) {
            one(snapshots, "agentmon_dropped", "what", what); // every bounded table has its series
        }
    }
}

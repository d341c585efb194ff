package io.agentmon.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.config.ConfigLoader;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** agentmon's collectors at once, Micrometer's binders on first need: bound once, whoever asks first. */
class AgentMeterRegistryTest {

    private static AgentMeterRegistry create() throws Exception {
        return AgentMeterRegistry.create("svc", "1.2.3", ConfigLoader.load(null, Map.of(), Map.of()), SpanExemplars.NONE,
                new ExporterCounts(() -> 0, () -> 0, () -> 0, () -> 0));
    }

    private static Set<String> names(PrometheusRegistry registry) {
        Set<String> names = new java.util.TreeSet<>();
        MetricSnapshots snapshots = registry.scrape();
        for (MetricSnapshot snapshot : snapshots) {
            names.add(snapshot.getMetadata().getPrometheusName());
        }
        return names;
    }

    @Test
    void theJvmMetricsAreBoundByTheFirstReadThatNeedsThem() throws Exception {
        AgentMeterRegistry metrics = create();
        Set<String> before = names(metrics.registry());
        assertTrue(before.contains("agentmon_dropped"), "agentmon's own collectors from the start: " + before);
        assertFalse(before.contains("jvm_memory_used_bytes"), "no binder yet: " + before);
        assertFalse(metrics.jvmMetricsBound());

        PrometheusRegistry scraped = metrics.withJvmMetrics();
        assertSame(metrics.registry(), scraped, "one registry");
        Set<String> after = names(scraped);
        for (String name : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
            "jvm_classes_loaded_classes", "process_uptime_seconds", "agentmon_dropped"}) {
            assertTrue(after.contains(name), name + " in " + after);
        }
        assertTrue(metrics.jvmMetricsBound());
    }

    /** A second bind, or many at once, registers nothing twice (client_java would refuse a duplicate name). */
    @Test
    void bindingIsOnceWhoeverAsks() throws Exception {
        AgentMeterRegistry metrics = create();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        Set<Throwable> failures = ConcurrentHashMap.newKeySet();
        Thread[] binders = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            binders[i] = new Thread(() -> {
                try {
                    go.await();
                    metrics.withJvmMetrics().scrape();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            binders[i].start();
        }
        go.countDown();
        for (Thread binder : binders) {
            binder.join(60_000);
        }
        assertTrue(failures.isEmpty(), failures.toString());
        metrics.bindJvmMetrics();
        MetricSnapshots snapshots = metrics.registry().scrape();
        long memory = snapshots.stream().filter(s -> s.getMetadata().getPrometheusName().equals("jvm_memory_used_bytes")).count();
        assertEquals(1, memory, "one jvm_memory_used_bytes family");
    }
}

package io.agentmon.agent.metrics;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.config.AgentConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The one registry the endpoint serves: agentmon's own task metrics and Micrometer's JVM,
 * process and system binders, every series labelled with {@code service}.
 *
 * <p>agentmon's collectors are registered when it is created. Micrometer's binders are bound
 * by {@link #bindJvmMetrics()}: creating Micrometer's registry and binding them loads some 700
 * classes and takes 0.3-0.6 s of a core at a JVM's start. The agent binds them right after the
 * port (both once the worker's start-up has settled), and a scrape or push that comes first binds
 * them itself ({@link #withJvmMetrics()}), so that no read ever lacks them.
 */
public final class AgentMeterRegistry {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String service;
    private final Object binding = new Object();
    private volatile boolean jvmMetricsBound;

    private AgentMeterRegistry(String service) {
        this.service = service;
    }

    /**
     * The registry with agentmon's own collectors; call on an agent thread, never in premain.
     * {@code exemplars} and {@code exporters} are what the exporters keep that the scrape shows.
     */
    public static AgentMeterRegistry create(String service, String version, AgentConfig config, SpanExemplars exemplars,
            ExporterCounts exporters) {
        AgentMeterRegistry metrics = new AgentMeterRegistry(service);
        InFlightSnapshot.useStuckAfter(config.stuckAfterNanos());
        metrics.registry.register(new TaskMetricsCollector(service, config.histograms(), exemplars));
        metrics.registry.register(new ExecutorMetricsCollector(service, config.executorNames(), config.histograms()));
        metrics.registry.register(new EventMetricsCollector(service));
        metrics.registry.register(new ContainerMetricsCollector(service, !config.docker().isEmpty(), config.histograms()));
        metrics.registry.register(new AgentSelfCollector(service, version, exporters));
        return metrics;
    }

    /** The registry, for collectors that others add; it may not hold the JVM's metrics yet. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The registry as a scrape or a push must read it: with the JVM's metrics, bound now if they were not. */
    public PrometheusRegistry withJvmMetrics() {
        bindJvmMetrics();
        return registry;
    }

    /** Whether the binders are bound (or failed, once): for the tests. */
    boolean jvmMetricsBound() {
        return jvmMetricsBound;
    }

    /**
     * Binds Micrometer's binders into the registry, once; a second call, or one while another
     * thread binds, returns when they are bound. A binder that fails is one warning, and what is
     * bound by then, with agentmon's own series, is still served: it is not tried again.
     */
    public void bindJvmMetrics() {
        if (jvmMetricsBound) {
            return;
        }
        synchronized (binding) {
            if (jvmMetricsBound) {
                return;
            }
            try {
                MicrometerBinders.bind(registry, service);
            } catch (Throwable e) {
                AgentLog.warn("the JVM's metrics (Micrometer's binders) could not all be bound: " + e
                        + "; agentmon's own series are served without them");
            } finally {
                jvmMetricsBound = true;
            }
        }
    }
}

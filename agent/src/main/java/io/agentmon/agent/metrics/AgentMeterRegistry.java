package io.agentmon.agent.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import io.agentmon.agent.config.AgentConfig;

/**
 * The one registry the endpoint serves: Micrometer's JVM, process and system binders, and
 * agentmon's own task metrics, every series labelled with {@code service}.
 */
public final class AgentMeterRegistry {

    private AgentMeterRegistry() {
    }

    /**
     * Builds the registry; call on an agent thread, never in premain (binders are slow to start).
     * {@code exemplars} and {@code exporters} are what the exporters keep that the scrape shows.
     */
    public static PrometheusRegistry create(String service, String version, AgentConfig config, SpanExemplars exemplars,
            ExporterCounts exporters) {
        MicrometerLogging.install();
        PrometheusMeterRegistry micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        micrometer.config().commonTags("service", service);
        new ClassLoaderMetrics().bindTo(micrometer);
        new JvmMemoryMetrics().bindTo(micrometer);
        new JvmGcMetrics().bindTo(micrometer);
        new JvmHeapPressureMetrics().bindTo(micrometer);
        new JvmThreadMetrics().bindTo(micrometer);
        new JvmInfoMetrics().bindTo(micrometer);
        new JvmCompilationMetrics().bindTo(micrometer);
        new ProcessorMetrics().bindTo(micrometer);
        new UptimeMetrics().bindTo(micrometer);
        new FileDescriptorMetrics().bindTo(micrometer);
        new DiskSpaceMetrics(new File(".").getAbsoluteFile()).bindTo(micrometer);
        PrometheusRegistry registry = micrometer.getPrometheusRegistry();
        InFlightSnapshot.useStuckAfter(config.stuckAfterNanos());
        registry.register(new TaskMetricsCollector(service, config.histograms(), exemplars));
        registry.register(new ExecutorMetricsCollector(service, config.executorNames(), config.histograms()));
        registry.register(new EventMetricsCollector(service));
        registry.register(new ContainerMetricsCollector(service, !config.docker().isEmpty(), config.histograms()));
        registry.register(new AgentSelfCollector(service, version, exporters));
        return registry;
    }
}

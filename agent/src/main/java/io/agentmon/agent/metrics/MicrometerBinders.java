package io.agentmon.agent.metrics;

import io.micrometer.core.instrument.Clock;
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

/**
 * Micrometer's JVM, process and system binders, bound into agentmon's registry under their
 * standard names. A class of its own so that nothing of Micrometer loads before
 * {@link AgentMeterRegistry#bindJvmMetrics()} calls it: the verifier of a class that passes a
 * {@code PrometheusMeterRegistry} where a {@code MeterRegistry} is expected loads both.
 */
final class MicrometerBinders {

    private MicrometerBinders() {
    }

    static void bind(PrometheusRegistry registry, String service) {
        MicrometerLogging.install();
        PrometheusMeterRegistry micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM);
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
    }
}

package io.agentmon.agent.otlp;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.config.OtelConfig;
import io.agentmon.agent.metrics.SpanExemplars;
import io.agentmon.bootstrap.Traces;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Switches tracing on when {@code otel.traces.exporter} (or an OTLP endpoint) asks for it: the
 * probes first, before any method is woven, then the exporter thread; and metrics push when
 * {@code otel.metrics.exporter=otlp} asks for it. Touches no OpenTelemetry SDK class unless
 * one of them is on.
 */
public final class OtlpSetup {

    private OtlpSetup() {
    }

    /** Before weaving: give task runs trace context, sampled as {@code otel.traces.sampler} says. */
    public static void enableProbes(OtelConfig otel) {
        if (otel == null || otel.traces() == null) {
            return;
        }
        String sampler = otel.sampler();
        int root = sampler.endsWith("always_on") ? Traces.ALWAYS_ON
                : sampler.endsWith("always_off") ? Traces.ALWAYS_OFF : Traces.RATIO;
        Traces.enable(root, sampler.startsWith("parentbased_"), otel.samplerRatio());
    }

    /**
     * Before the endpoint binds: start exporting spans. Returns the exemplars the exporter keeps
     * of the spans the collector accepted, for the task histogram ({@link SpanExemplars#NONE}
     * without tracing).
     */
    public static SpanExemplars startExport(OtelConfig otel, String service, String version) {
        if (otel == null || otel.traces() == null) {
            return SpanExemplars.NONE;
        }
        TaskExemplars exemplars = new TaskExemplars();
        SpanExport.start(otel.traces(), Resources.lazily(service, version, otel.resourceAttributes()), version, exemplars);
        AgentLog.info("tracing: task spans go to " + otel.traces() + " (sampler " + otel.sampler()
                + (otel.sampler().endsWith("traceidratio") ? " " + otel.samplerRatio() : "") + ")");
        return exemplars;
    }

    /**
     * Once the registry exists: push it over OTLP every {@code otel.metric.export.interval}, if
     * {@code otel.metrics.exporter=otlp} asks for it, each push reading it as {@code registry}
     * gives it then. Cumulative totals start at {@code startEpochMillis}, when the agent started counting.
     */
    public static void startMetricsPush(OtelConfig otel, Supplier<PrometheusRegistry> registry, String service, String version,
            long startEpochMillis) {
        if (otel == null || otel.metrics() == null) {
            return;
        }
        MetricsPush.start(otel, registry, Resources.lazily(service, version, otel.resourceAttributes()), version,
                TimeUnit.MILLISECONDS.toNanos(startEpochMillis));
        AgentLog.info("metrics: pushed every " + otel.metricIntervalMillis() + " ms to " + otel.metrics());
    }
}

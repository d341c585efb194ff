package io.agentmon.agent.traces;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.config.OtelConfig;
import io.agentmon.bootstrap.Traces;

/**
 * Switches tracing on when {@code otel.traces.exporter} (or an OTLP endpoint) asks for it: the
 * probes first, before any method is woven, then the exporter thread. Touches no
 * OpenTelemetry SDK class unless tracing is on.
 */
public final class Tracing {

    private Tracing() {
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

    /** Once the endpoint is up: start exporting spans (and pushing metrics, if asked). */
    public static void startExport(OtelConfig otel, String service, String version) {
        if (otel == null || otel.traces() == null) {
            return;
        }
        SpanExport.start(otel.traces(), Resources.of(service, version, otel.resourceAttributes()), version);
        AgentLog.info("tracing: task spans go to " + otel.traces() + " (sampler " + otel.sampler()
                + (otel.sampler().endsWith("traceidratio") ? " " + otel.samplerRatio() : "") + ")");
    }
}

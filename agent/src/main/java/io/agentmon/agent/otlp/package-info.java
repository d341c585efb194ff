/**
 * Everything that leaves over OTLP, built on the OpenTelemetry SDK's exporters (relocated):
 * task spans from the bootstrap's span ring ({@link io.agentmon.agent.otlp.SpanExport}) and,
 * when asked for, the metrics registry pushed on a timer ({@link io.agentmon.agent.otlp.MetricsPush}).
 * Only {@link io.agentmon.agent.otlp.OtlpSetup} and the counters are touched when neither is
 * configured, so no SDK class loads then.
 *
 * <p>Above {@code metrics} in the package stack: it reads the registry's snapshots and gives the
 * task histogram its exemplars through {@link io.agentmon.agent.metrics.SpanExemplars}; the
 * metrics package knows nothing of it.
 */
package io.agentmon.agent.otlp;

package io.agentmon.agent.otlp;

import io.agentmon.agent.config.OtelConfig;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SDK's OTLP exporters, built from the {@code otel.exporter.otlp.*} settings. Their own
 * telemetry goes nowhere (a no-op meter provider, not the worker's global one), and their
 * java.util.logging output is switched off: agentmon reports export failures itself, on one
 * line, instead of the SDK writing stack traces into the worker's log.
 */
final class OtlpExporters {

    /** Held so the level set on it lasts: java.util.logging keeps loggers only weakly. */
    private static Logger sdkLoggers;

    private OtlpExporters() {
    }

    static SpanExporter spans(OtelConfig.Export export) {
        silenceSdkLogging();
        if (OtelConfig.GRPC.equals(export.protocol)) {
            OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder().setMeterProvider(MeterProvider::noop);
            configure(export, builder::setEndpoint, builder::setTimeout, builder::addHeader, builder::setCompression);
            return builder.build();
        }
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setMeterProvider(MeterProvider::noop);
        configure(export, builder::setEndpoint, builder::setTimeout, builder::addHeader, builder::setCompression);
        return builder.build();
    }

    static MetricExporter metrics(OtelConfig.Export export) {
        silenceSdkLogging();
        if (OtelConfig.GRPC.equals(export.protocol)) {
            OtlpGrpcMetricExporterBuilder builder = OtlpGrpcMetricExporter.builder().setMeterProvider(MeterProvider::noop);
            configure(export, builder::setEndpoint, builder::setTimeout, builder::addHeader, builder::setCompression);
            return builder.build();
        }
        OtlpHttpMetricExporterBuilder builder = OtlpHttpMetricExporter.builder().setMeterProvider(MeterProvider::noop);
        configure(export, builder::setEndpoint, builder::setTimeout, builder::addHeader, builder::setCompression);
        return builder.build();
    }

    /** The settings every OTLP exporter builder takes; the four builders share no interface for them. */
    private static void configure(OtelConfig.Export export, Consumer<String> endpoint, BiConsumer<Long, TimeUnit> timeout,
            BiConsumer<String, String> header, Consumer<String> compression) {
        endpoint.accept(export.endpoint);
        timeout.accept(export.timeoutMillis, TimeUnit.MILLISECONDS);
        for (Map.Entry<String, String> entry : export.headers.entrySet()) {
            header.accept(entry.getKey(), entry.getValue());
        }
        if (export.gzip) {
            compression.accept("gzip");
        }
    }

    private static synchronized void silenceSdkLogging() {
        if (sdkLoggers == null) {
            // The parent of every relocated SDK logger.
            sdkLoggers = Logger.getLogger(OtlpExporters.class.getPackage().getName().replace("agent.otlp", "shaded"));
            sdkLoggers.setLevel(Level.OFF);
            sdkLoggers.setUseParentHandlers(false);
        }
    }
}

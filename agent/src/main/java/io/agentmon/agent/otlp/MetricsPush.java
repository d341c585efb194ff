package io.agentmon.agent.otlp;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.config.OtelConfig;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Pushes what {@code /metrics} shows to an OTLP collector, for workers nobody scrapes: a daemon
 * thread that every {@code otel.metric.export.interval} scrapes the same registry the endpoint
 * serves, converts it ({@link PrometheusToOtlp}) and waits for the export. Only this thread
 * does the work; the worker's threads never notice a slow or absent collector. A failed push is
 * counted and warned about at most once a minute; the next push carries the same cumulative
 * totals, so nothing is retried here.
 */
public final class MetricsPush implements Runnable {


    private final OtelConfig.Export export;
    private final long intervalNanos;
    private final Supplier<PrometheusRegistry> registry;
    private final Supplier<Resource> resource;
    private final InstrumentationScopeInfo scope;
    private final long startEpochNanos;
    private PrometheusToOtlp converter;
    private MetricExporter exporter;
    private final ExportLog log;
    private boolean toldSkipped;

    private MetricsPush(OtelConfig.Export export, long intervalMillis, Supplier<PrometheusRegistry> registry,
            Supplier<Resource> resource, String version, long startEpochNanos) {
        this.export = export;
        this.log = new ExportLog("metrics push to " + export);
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.registry = registry;
        this.resource = resource;
        this.scope = InstrumentationScopeInfo.builder("io.agentmon").setVersion(version).build();
        this.startEpochNanos = startEpochNanos;
    }

    /** Starts the push thread; the first push is one interval from now. */
    static void start(OtelConfig otel, Supplier<PrometheusRegistry> registry, Supplier<Resource> resource, String version,
            long startEpochNanos) {
        Thread thread = new Thread(new MetricsPush(otel.metrics(), otel.metricIntervalMillis(), registry, resource,
                version, startEpochNanos), "agentmon-metrics-push");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        long next = System.nanoTime() + intervalNanos;
        while (true) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                // A push that overran its interval is not caught up with a burst: totals are cumulative.
                next = Math.max(next + intervalNanos, System.nanoTime());
                push();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) { // never let the thread die: pushing would stop for good
                PushCounts.FAILED.incrementAndGet();
                log.failed(e.toString(), failedSoFar());
            }
        }
    }

    private void push() {
        if (exporter == null) {
            // Built on first use, as for spans: the SDK brings java.util.logging up, and the
            // worker's main should get the chance to install its own LogManager first.
            exporter = OtlpExporters.metrics(export);
        }
        List<String> skipped = new ArrayList<>();
        if (converter == null) { // on the first push, not at start: the SDK's Resource brings java.util.logging up
            converter = new PrometheusToOtlp(resource.get(), scope, startEpochNanos);
        }
        List<MetricData> metrics = converter.convert(registry.get().scrape(), epochNanos(), skipped);
        if (!skipped.isEmpty() && !toldSkipped) {
            toldSkipped = true;
            AgentLog.warn("metrics push leaves out what it cannot convert: " + skipped);
        }
        CompletableResultCode result = exporter.export(metrics);
        if (ExportLog.succeeded(result, export.timeoutMillis)) {
            log.worked();
        } else {
            PushCounts.FAILED.incrementAndGet();
            log.failed(ExportLog.why(result), failedSoFar());
        }
    }

    private static String failedSoFar() {
        return PushCounts.failed() + " pushes failed so far, counted in agentmon_dropped_total{what=\"metric_pushes\"}";
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}

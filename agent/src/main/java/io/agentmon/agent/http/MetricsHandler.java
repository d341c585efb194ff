package io.agentmon.agent.http;

import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.agent.http.server.Handler;
import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.http.server.Response;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.agentmon.agent.metrics.HistogramPoints;
import io.agentmon.agent.metrics.ScrapeFormat;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /metrics}: the registry in the format the scraper's {@code Accept} header asks for
 * (Prometheus text by default, OpenMetrics or protobuf on request), gzipped when accepted. Only
 * protobuf carries native histogram buckets; text formats get the classic buckets.
 */
final class MetricsHandler implements Handler {

    private static final String PROTOBUF = "application/vnd.google.protobuf";

    private final PrometheusRegistry registry;
    private final HistogramKinds histograms;
    private final ExpositionFormats formats = ExpositionFormats.init();

    MetricsHandler(PrometheusRegistry registry, HistogramKinds histograms) {
        this.registry = registry;
        this.histograms = histograms;
    }

    @Override
    public Response handle(Request request) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(request.header("Accept"));
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        boolean gzip = acceptsGzip(request.header("Accept-Encoding"));
        try (OutputStream out = gzip ? new GZIPOutputStream(body) : body) {
            boolean protobuf = writer.getContentType().startsWith(PROTOBUF);
            MetricSnapshots snapshots = protobuf ? registry.scrape() : ScrapeFormat.asText(registry::scrape);
            if (!histograms.classicInProtobuf() && protobuf) {
                snapshots = HistogramPoints.withoutClassic(snapshots);
            }
            writer.write(out, snapshots);
        }
        Response response = Response.bytes(200, writer.getContentType(), body.toByteArray());
        return gzip ? response.header("Content-Encoding", "gzip") : response;
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().toLowerCase(java.util.Locale.ROOT).split(";");
            if (parts[0].trim().equals("gzip")) {
                return !(parts.length > 1 && parts[1].replace(" ", "").matches("q=0(\\.0*)?"));
            }
        }
        return false;
    }
}

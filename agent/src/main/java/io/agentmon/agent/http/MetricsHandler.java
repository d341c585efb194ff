package io.agentmon.agent.http;

import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.agent.http.exposition.OpenMetricsText;
import io.agentmon.agent.http.exposition.PrometheusProtobuf;
import io.agentmon.agent.http.exposition.PrometheusText;
import io.agentmon.agent.http.server.Handler;
import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.http.server.Response;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.agentmon.agent.metrics.HistogramPoints;
import io.agentmon.agent.metrics.ScrapeFormat;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /metrics}: the registry in the format the scraper's {@code Accept} header asks for
 * (Prometheus text by default, OpenMetrics or protobuf on request), each written by agentmon's
 * own writer from client_java's snapshots, gzipped when accepted. Only
 * protobuf carries native histogram buckets; text formats get the classic buckets.
 *
 * <p>The body is rendered into a buffer sized from the previous scrape of the same format and
 * encoding, and that buffer is sent as it is: growing a buffer from a fixed 16 KiB and copying
 * it out once more cost a text scrape of 38 KB 150 KB of allocation (JFR, issue 12), and one of
 * 11 MB ten doublings and a second copy. Nothing is kept between scrapes but the sizes.
 */
final class MetricsHandler implements Handler {

    private static final PrometheusProtobuf PROTOBUF_WRITER = new PrometheusProtobuf();
    private static final OpenMetricsText OPEN_METRICS_WRITER = new OpenMetricsText();
    private static final PrometheusText TEXT_WRITER = new PrometheusText();
    /** The first scrape's buffer, before any size is known. */
    static final int FIRST_BUFFER = 16 * 1024;
    /** Room over the previous size: a scrape grows by a few series between two reads. */
    private static final int SLACK_SHIFT = 4;
    private static final int MIN_BUFFER = 1024;

    /** The registry as a scrape reads it (with the JVM's metrics, bound by the first scrape that comes before the agent did). */
    private final Supplier<PrometheusRegistry> registry;
    private final HistogramKinds histograms;
    /** The last body's length per format (text, OpenMetrics, protobuf) and encoding (plain, gzip). */
    private final AtomicIntegerArray lastLength = new AtomicIntegerArray(6);

    MetricsHandler(Supplier<PrometheusRegistry> registry, HistogramKinds histograms) {
        this.registry = registry;
        this.histograms = histograms;
    }

    MetricsHandler(PrometheusRegistry registry, HistogramKinds histograms) {
        this(() -> registry, histograms);
    }

    @Override
    public Response handle(Request request) throws IOException {
        String accept = request.header("Accept");
        boolean protobuf = PROTOBUF_WRITER.accepts(accept);
        // As client_java's ExpositionFormats chooses: protobuf, else OpenMetrics, else the text format.
        ExpositionFormatWriter writer = protobuf ? PROTOBUF_WRITER
                : OPEN_METRICS_WRITER.accepts(accept) ? OPEN_METRICS_WRITER : TEXT_WRITER;
        boolean gzip = acceptsGzip(request.header("Accept-Encoding"));
        int kind = (protobuf ? 2 : writer == OPEN_METRICS_WRITER ? 1 : 0) + (gzip ? 3 : 0);
        Body body = new Body(bufferFor(lastLength.get(kind)));
        try (OutputStream out = gzip ? new GZIPOutputStream(body) : body) {
            PrometheusRegistry scraped = registry.get();
            MetricSnapshots snapshots = protobuf ? scraped.scrape() : ScrapeFormat.asText(scraped::scrape);
            if (!histograms.classicInProtobuf() && protobuf) {
                snapshots = HistogramPoints.withoutClassic(snapshots);
            }
            writer.write(out, snapshots);
        }
        lastLength.set(kind, body.size());
        Response response = Response.bytes(200, writer.getContentType(), body.array(), body.size());
        return gzip ? response.header("Content-Encoding", "gzip") : response;
    }

    /** A buffer for a body that last time took {@code last} bytes (0: none yet). */
    static int bufferFor(int last) {
        if (last <= 0) {
            return FIRST_BUFFER;
        }
        long size = (long) last + (last >>> SLACK_SHIFT) + MIN_BUFFER;
        return (int) Math.min(size, Integer.MAX_VALUE - 16);
    }

    /** A body buffer whose array is handed to the response as it is. */
    private static final class Body extends ByteArrayOutputStream {
        Body(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
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

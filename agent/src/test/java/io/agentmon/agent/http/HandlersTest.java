package io.agentmon.agent.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.JsonText;
import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.metrics.HistogramPoints;
import io.agentmon.agent.metrics.ScrapeFormat;
import io.agentmon.bootstrap.HistogramLayout;
import io.agentmon.bootstrap.TaskMethods;
import io.agentmon.bootstrap.TaskProbes;
import io.agentmon.bootstrap.TaskRecorders;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.agentmon.agent.http.server.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Each handler through a request made in memory. */
class HandlersTest {

    private static MetricsHandler metrics() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("agentmon.test.runs").increment(3);
        return new MetricsHandler(registry.getPrometheusRegistry(), HistogramKinds.BOTH);
    }

    @Test
    void metricsArePrometheusTextByDefault() throws Exception {
        Response response = metrics().handle(Request.of("GET", "/metrics", Map.of()));
        assertEquals(200, response.status());
        assertTrue(response.header("Content-Type").startsWith("text/plain; version=0.0.4"), response.headers().toString());
        assertTrue(response.bodyText().contains("agentmon_test_runs_total 3.0"), response.bodyText());
        assertNull(response.header("Content-Encoding"));
    }

    @Test
    void openMetricsAndGzipWhenAsked() throws Exception {
        Response response = metrics().handle(Request.of("GET", "/metrics",
                Map.of("Accept", "application/openmetrics-text; version=1.0.0", "Accept-Encoding", "br, gzip;q=0.5")));
        assertTrue(response.header("Content-Type").startsWith("application/openmetrics-text"), response.headers().toString());
        assertEquals("gzip", response.header("Content-Encoding"));
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, Arrays.copyOf(response.body(), 2));
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("# EOF\n"), text);
        Response refused = metrics().handle(Request.of("GET", "/metrics", Map.of("Accept-Encoding", "gzip;q=0")));
        assertNull(refused.header("Content-Encoding"), "q=0 refuses gzip");
    }

    /**
     * The body is rendered into a buffer sized from the previous scrape of its kind and handed
     * over uncopied: each scrape is still whole, whether the registry grew past that size (the
     * buffer grows), shrank, or is scraped in another format or encoding in between.
     */
    @Test
    void aScrapeIsWholeWhateverThePreviousScrapeWeighed() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsHandler handler = new MetricsHandler(registry.getPrometheusRegistry(), HistogramKinds.BOTH);
        List<io.micrometer.core.instrument.Meter> added = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 2_000; i++) { // each round adds about 200 KB, past the last size and its slack
                added.add(registry.counter("agentmon.test.grow", "round", String.valueOf(round), "n", String.valueOf(i)));
            }
            if (round == 3) {
                added.forEach(registry::remove); // and a scrape much smaller than the one before
                registry.counter("agentmon.test.last").increment();
            }
            Response plain = handler.handle(Request.of("GET", "/metrics", Map.of()));
            Response zipped = handler.handle(Request.of("GET", "/metrics", Map.of("Accept-Encoding", "gzip")));
            String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(),
                    StandardCharsets.UTF_8);
            String text = plain.bodyText();
            assertEquals(text, unzipped, "round " + round);
            assertEquals(plain.bodyLength(), plain.body().length);
            assertEquals(text, registry.scrape(), "round " + round + ": the handler's body is the registry's text scrape");
            int series = round == 3 ? 1 : 2_000 * (round + 1);
            assertEquals(series, text.split("\n", -1).length - 1 - 2, "round " + round);
        }
    }

    @Test
    void aBufferIsSizedFromTheLastBodyWithRoomToGrow() {
        assertEquals(MetricsHandler.FIRST_BUFFER, MetricsHandler.bufferFor(0));
        assertTrue(MetricsHandler.bufferFor(38_000) > 38_000 + 38_000 / 32, "room for a few more series");
        assertTrue(MetricsHandler.bufferFor(38_000) < 38_000 * 5 / 4, "not a doubling");
        assertEquals(Integer.MAX_VALUE - 16, MetricsHandler.bufferFor(Integer.MAX_VALUE));
    }

    private static final String PROTOBUF_ACCEPT =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    /** A registry with one agentmon histogram: four runs of 2 ms, one of 300 ms. */
    private static PrometheusRegistry withHistogram() {
        HistogramLayout layout = new HistogramLayout(3, new long[] {1_000_000L, 10_000_000L, 1_000_000_000L});
        long[] slots = new long[layout.slots()];
        slots[layout.slot(2_000_000L)] = 4;
        slots[layout.slot(300_000_000L)] = 1;
        HistogramSnapshot histogram = HistogramSnapshot.builder().name("agentmon_task_duration_seconds")
                .dataPoint(HistogramPoints.of(layout, slots, 308_000_000L, Labels.EMPTY, Exemplars.EMPTY, true)).build();
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> new MetricSnapshots(histogram));
        return registry;
    }

    private static Metrics.MetricFamily protobufFamily(HistogramKinds kinds) throws Exception {
        Response response = new MetricsHandler(withHistogram(), kinds).handle(Request.of("GET", "/metrics",
                Map.of("Accept", PROTOBUF_ACCEPT)));
        assertTrue(response.header("Content-Type").startsWith("application/vnd.google.protobuf"), response.headers().toString());
        return Metrics.MetricFamily.parseDelimitedFrom(new ByteArrayInputStream(response.body()));
    }

    @Test
    void protobufCarriesNativeBucketsBesideTheClassicOnesByDefault() throws Exception {
        Metrics.Histogram histogram = protobufFamily(HistogramKinds.BOTH).getMetric(0).getHistogram();
        assertEquals(5, histogram.getSampleCount());
        assertEquals(3, histogram.getSchema());
        assertTrue(histogram.getZeroThreshold() > 0);
        assertEquals(2, histogram.getPositiveSpanCount(), "two buckets far apart: two spans");
        assertEquals(4, histogram.getPositiveDelta(0));
        assertEquals(1 - 4, histogram.getPositiveDelta(1));
        assertEquals(4, histogram.getBucketCount(), "3 classic bounds and +Inf");
        assertEquals(4, histogram.getBucket(1).getCumulativeCount(), "le=0.01");
        assertEquals(5, histogram.getBucket(3).getCumulativeCount(), "le=+Inf");
    }

    @Test
    void aTextScrapeTellsTheCollectorsToBuildNoNativeBuckets() throws Exception {
        List<Boolean> asked = new ArrayList<>();
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> {
            asked.add(ScrapeFormat.nativeBuckets(true));
            return new MetricSnapshots();
        });
        MetricsHandler handler = new MetricsHandler(registry, HistogramKinds.BOTH);
        handler.handle(Request.of("GET", "/metrics", Map.of()));
        handler.handle(Request.of("GET", "/metrics", Map.of("Accept", PROTOBUF_ACCEPT)));
        handler.handle(Request.of("GET", "/metrics", Map.of("Accept", "application/openmetrics-text; version=1.0.0")));
        assertEquals(List.of(false, true, false), asked, "text, protobuf, OpenMetrics");
        assertTrue(ScrapeFormat.nativeBuckets(true), "after a text scrape, this thread's next reading gets them again");
    }

    @Test
    void nativeModeLeavesTheClassicBucketsOutOfProtobufOnly() throws Exception {
        Metrics.Histogram histogram = protobufFamily(HistogramKinds.NATIVE).getMetric(0).getHistogram();
        assertEquals(0, histogram.getBucketCount());
        assertEquals(2, histogram.getPositiveSpanCount());
        assertEquals(5, histogram.getSampleCount());
        Response text = new MetricsHandler(withHistogram(), HistogramKinds.NATIVE).handle(Request.of("GET", "/metrics", Map.of()));
        assertTrue(text.bodyText().contains("agentmon_task_duration_seconds_bucket{le=\"0.01\"} 4"), text.bodyText());
    }

    @Test
    void classicHistogramsStayClassicInProtobuf() throws Exception {
        PrometheusMeterRegistry micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        io.micrometer.core.instrument.Timer.builder("worker.calls").publishPercentileHistogram().register(micrometer)
                .record(java.time.Duration.ofMillis(3));
        Response response = new MetricsHandler(micrometer.getPrometheusRegistry(), HistogramKinds.NATIVE).handle(
                Request.of("GET", "/metrics", Map.of("Accept", PROTOBUF_ACCEPT)));
        ByteArrayInputStream in = new ByteArrayInputStream(response.body());
        Metrics.MetricFamily family;
        do {
            family = Metrics.MetricFamily.parseDelimitedFrom(in);
        } while (family != null && !family.getName().equals("worker_calls_seconds"));
        assertNotNull(family, "the timer is served");
        assertTrue(family.getMetric(0).getHistogram().getBucketCount() > 0, "a histogram with no native buckets keeps its classic ones");
    }

    @Test
    void thePageIsHtml() {
        Response response = new PageHandler().handle(Request.of("GET", "/", Map.of()));
        assertEquals(200, response.status());
        assertEquals("text/html; charset=utf-8", response.header("Content-Type"));
        assertEquals("no-cache", response.header("Cache-Control"));
        assertTrue(response.body().length > 0);
    }

    @Test
    void tasksAreJson() {
        Response response = new TasksHandler(false).handle(Request.of("GET", "/tasks", Map.of()));
        assertEquals(200, response.status());
        assertEquals("application/json", response.header("Content-Type"));
        assertTrue(response.bodyText().startsWith("{\"tasks\":["), response.bodyText());
    }

    @Test
    void tasksListARunInFlightWithItsDeadline() {
        int id = TaskRecorders.registerTask("handlers.stuck", 1_500_000_000L);
        long start = System.nanoTime() - 3_600_000_000_000L; // an hour ago: past its 1.5 s deadline
        int slot = TaskProbes.enter(id, TaskMethods.UNKNOWN, start);
        try {
            String json = new TasksHandler(true).handle(Request.of("GET", "/tasks", Map.of())).bodyText();
            String run = json.substring(json.indexOf("{\"task\":\"handlers.stuck\""));
            assertTrue(run.startsWith("{\"task\":\"handlers.stuck\",\"thread\":" + JsonText.string(Thread.currentThread().getName())
                    + ",\"started\":\""), run);
            assertTrue(run.contains(",\"deadlineSeconds\":1.500000,\"stuck\":true,\"stack\":[\""), run);
            assertTrue(json.startsWith("{\"tasks\":[{\"task\":\"handlers.stuck\""), "the longest-running first: " + json);
        } finally {
            TaskProbes.exit(id, slot, start, null);
        }
        assertFalse(new TasksHandler(false).handle(Request.of("GET", "/tasks", Map.of())).bodyText().contains("handlers.stuck"));
    }

    @Test
    void eventsHeadIsHeadersOnlyAndRegistersNoClient() {
        Response response = new LiveFeedHandler().handle(Request.of("HEAD", "/events", Map.of()));
        assertEquals(200, response.status());
        assertEquals("text/event-stream; charset=utf-8", response.header("Content-Type"));
        assertNull(response.stream());
    }

    @Test
    void eventsTaskFilter() {
        assertEquals("Ingest.run", LiveFeedHandler.taskFilter("x=1&task=Ingest.run"));
        assertEquals("a b", LiveFeedHandler.taskFilter("task=a%20b"));
        assertEquals("%zz", LiveFeedHandler.taskFilter("task=%zz"), "a malformed escape is taken as sent");
        assertNull(LiveFeedHandler.taskFilter(null));
        assertNull(LiveFeedHandler.taskFilter("task="));
    }
}

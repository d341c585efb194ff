package io.agentmon.agent.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.http.server.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Each handler through a request made in memory. */
class HandlersTest {

    private static MetricsHandler metrics() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("agentmon.test.runs").increment(3);
        return new MetricsHandler(registry.getPrometheusRegistry());
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
    void eventsHeadIsHeadersOnlyAndRegistersNoClient() {
        Response response = new EventsHandler().handle(Request.of("HEAD", "/events", Map.of()));
        assertEquals(200, response.status());
        assertEquals("text/event-stream; charset=utf-8", response.header("Content-Type"));
        assertNull(response.stream());
    }

    @Test
    void eventsTaskFilter() {
        assertEquals("Ingest.run", EventsHandler.taskFilter("x=1&task=Ingest.run"));
        assertEquals("a b", EventsHandler.taskFilter("task=a%20b"));
        assertEquals("%zz", EventsHandler.taskFilter("task=%zz"), "a malformed escape is taken as sent");
        assertNull(EventsHandler.taskFilter(null));
        assertNull(EventsHandler.taskFilter("task="));
    }
}

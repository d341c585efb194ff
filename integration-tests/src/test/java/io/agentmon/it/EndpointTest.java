package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.WorkerProcess;
import io.agentmon.it.support.WorkerProcess.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP endpoint as a scraper and a health checker meet it, and a worker that still exits by itself. */
class EndpointTest {

    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";
    /** A flat JSON object of strings, booleans and integers: what the health endpoints answer. */
    @TempDir
    static Path dir;

    private static WorkerProcess worker;
    private static int port;

    @BeforeAll
    static void startTheWorker() throws IOException {
        Path tally = dir.resolve("tally.properties");
        worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", "com.acme.worker.jobs.Job+#execute")
                .sampleWorker("--jobs", "40", "--threads", "4", "--tally", tally.toString(), "--hold-seconds", "60")
                .start();
        port = worker.agentPort();
        worker.awaitProperties(tally, 120); // every job class is loaded and woven by now
    }

    @AfterAll
    static void stopTheWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void healthIsUp() throws IOException {
        Response response = get("/health", Map.of());
        assertEquals(200, response.status, response.toString());
        assertTrue(response.contentType.startsWith("application/json"), response.toString());
        assertJson(response.body);
        assertTrue(response.body.replace(" ", "").contains("\"status\":\"UP\""), response.body);
    }

    @Test
    void readinessIsJsonAndSaysWhatWasWoven() throws IOException {
        Response response = get("/health/ready", Map.of());
        assertEquals(200, response.status, response.toString());
        assertTrue(response.contentType.startsWith("application/json"), response.toString());
        assertJson(response.body);
        String body = response.body.replace(" ", "");
        assertTrue(body.contains("\"status\":\"READY\""), body);
        assertTrue(body.contains("\"serving\":true"), body);
        assertTrue(body.contains("\"taskMatchers\":1"), body);
        assertTrue(body.contains("\"lostHooks\":[]"), "every JDK class of the fixed instrumentation woven: " + body);
        Matcher woven = Pattern.compile("\"wovenMethods\":(\\d+)").matcher(body);
        assertTrue(woven.find() && Integer.parseInt(woven.group(1)) >= 4, "the four job classes' execute: " + body);
    }

    @Test
    void unknownPathsAre404() throws IOException {
        for (String path : new String[] {"/nope", "/metrics/x", "/healthz", "/index.html", "/metrics/summary/x"}) {
            assertEquals(404, get(path, Map.of()).status, path);
        }
        assertEquals(404, request("HEAD", "/nope", Map.of()).status);
    }

    @Test
    void otherMethodsThanGetAndHeadAre405() throws IOException {
        Response post = request("POST", "/metrics", Map.of());
        assertEquals(405, post.status, post.toString());
        assertEquals("GET, HEAD", post.header("Allow"), post.toString());
        for (String method : new String[] {"PUT", "DELETE", "OPTIONS"}) {
            assertEquals(405, request(method, "/health", Map.of()).status, method);
        }
    }

    @Test
    void headIsHeadersOnly() throws IOException {
        Response head = request("HEAD", "/metrics", Map.of());
        assertEquals(200, head.status);
        assertTrue(head.contentType.startsWith("text/plain; version=0.0.4"), head.toString());
        assertEquals(0, head.bytes.length);
    }

    @Test
    void withoutAnAcceptHeaderMetricsArePrometheusText() throws IOException {
        // HttpURLConnection always sends an Accept header of its own, so this one goes over a bare socket.
        String response = bareGet("/metrics");
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        assertTrue(head.toLowerCase().contains("\ncontent-type: text/plain; version=0.0.4"), head);
        assertTrue(!head.toLowerCase().contains("content-encoding"), head);
        String body = response.substring(head.length() + 4);
        assertTrue(body.contains("# TYPE agentmon_task_duration_seconds histogram"), body);
        assertTrue(!body.contains("# EOF"), "no OpenMetrics terminator in the text format");
    }

    @Test
    void aBrowserLikeAcceptHeaderGetsPrometheusTextToo() throws IOException {
        Response response = get("/metrics", Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));
        assertEquals(200, response.status);
        assertTrue(response.contentType.startsWith("text/plain; version=0.0.4"), response.contentType);
    }

    @Test
    void openMetricsWhenAskedFor() throws IOException {
        Response response = get("/metrics", Map.of("Accept", OPENMETRICS));
        assertEquals(200, response.status, response.toString());
        assertTrue(response.contentType.startsWith("application/openmetrics-text; version=1.0.0"), response.contentType);
        assertOpenMetrics(response.body);
    }

    @Test
    void gzipWhenAccepted() throws IOException {
        Response plain = get("/metrics", Map.of());
        assertNull(plain.header("Content-Encoding"), "not gzipped unless asked");

        Response gzipped = get("/metrics", Map.of("Accept-Encoding", "gzip"));
        assertEquals(200, gzipped.status);
        assertEquals("gzip", gzipped.header("Content-Encoding"));
        assertTrue(gzipped.contentType.startsWith("text/plain; version=0.0.4"), gzipped.contentType);
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, Arrays.copyOf(gzipped.bytes, 2), "gzip magic");
        String text = gunzip(gzipped.bytes);
        assertTrue(text.contains("# TYPE agentmon_task_duration_seconds histogram"), text);

        Response refused = get("/metrics", Map.of("Accept-Encoding", "gzip;q=0, identity"));
        assertNull(refused.header("Content-Encoding"), "q=0 means the client refuses gzip");

        Response both = get("/metrics", Map.of("Accept", OPENMETRICS, "Accept-Encoding", "deflate, gzip;q=0.9"));
        assertEquals("gzip", both.header("Content-Encoding"));
        assertTrue(both.contentType.startsWith("application/openmetrics-text"), both.contentType);
        assertOpenMetrics(gunzip(both.bytes));
    }

    /**
     * A worker whose main returns exits by itself under the agent: every thread the agent starts
     * (start-up, HTTP dispatcher, HTTP handlers) is a daemon. The endpoint has served a scrape
     * before main returns, so its threads exist when the JVM decides whether to exit.
     */
    @Test
    void aWorkerWhoseMainReturnsExitsUnderTheAgent() throws IOException {
        Path tally = dir.resolve("exit-tally.properties");
        try (WorkerProcess exiting = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", "com.acme.worker.jobs.Job+#execute")
                // 160 jobs at 20 a second, some 8 s: main is still running when the endpoint is scraped
                .sampleWorker("--jobs", "160", "--rate", "20", "--threads", "4", "--tally", tally.toString(),
                        "--hold-seconds", "0")
                .start()) {
            int exitingPort = exiting.agentPort();
            Response scrape = WorkerProcess.Http.request(exitingPort, "GET", "/metrics", Map.of());
            assertEquals(200, scrape.status, "scraped while the worker runs");
            assertEquals(0, exiting.awaitExit(60), "exit code\n" + exiting.stderr());
            assertEquals("160", exiting.awaitProperties(tally, 1).getProperty("total.count"));
        }
    }

    // ------------------------------------------------------------ helpers

    private static Response get(String path, Map<String, String> headers) throws IOException {
        return request("GET", path, headers);
    }

    private static Response request(String method, String path, Map<String, String> headers) throws IOException {
        return WorkerProcess.Http.request(port, method, path, headers);
    }

    private static void assertJson(String body) {
        assertTrue(io.agentmon.it.support.Json.parse(body.trim()) instanceof java.util.Map, "a JSON object: " + body);
    }

    private static void assertOpenMetrics(String body) {
        assertTrue(body.endsWith("# EOF\n"), "ends with the OpenMetrics terminator:\n" + body);
        String[] lines = body.split("\n");
        assertEquals("# EOF", lines[lines.length - 1]);
        assertEquals(1, body.split("# EOF", -1).length - 1, "one terminator");
        assertTrue(body.contains("# TYPE agentmon_task_duration_seconds histogram"), body);
        assertTrue(body.contains("# UNIT agentmon_task_duration_seconds seconds"), "OpenMetrics UNIT line:\n" + body);
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A GET with no headers but Host, over a plain socket; returns the whole response. */
    private static String bareGet(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package io.agentmon.agent.otlp.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentmon.agent.otlp.ExportLogAccess;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OTLP/HTTP sender as the SDK's span exporter uses it (found through ServiceLoader, as in
 * agentmon.jar), against the JDK's own HTTP/1.1 server and, for a kept-alive connection the
 * server drops between exports, against a peer on a plain socket.
 */
class Http1SenderTest {

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static final class Received {
        final String method;
        final String path;
        final String contentType;
        final String contentEncoding;
        final String apiKey;
        final int remotePort;
        final byte[] body;

        Received(HttpExchange exchange, byte[] body) {
            method = exchange.getRequestMethod();
            path = exchange.getRequestURI().toString();
            contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            contentEncoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            apiKey = exchange.getRequestHeaders().getFirst("api-key");
            remotePort = exchange.getRemoteAddress().getPort();
            this.body = body;
        }
    }

    /** A collector answering each request with the next of {@code statuses} (the last one repeats); chunked when asked. */
    private int collector(boolean chunked, int... statuses) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        AtomicInteger next = new AtomicInteger();
        server.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange, in.readAllBytes()));
            }
            int status = statuses[Math.min(next.getAndIncrement(), statuses.length - 1)];
            byte[] answer = status == 200 ? new byte[0] : "{\"message\":\"no\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, chunked ? 0 : answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    @Test
    void protobufArrivesWholeOnOneKeptAliveConnection() throws Exception {
        int port = collector(false, 200);
        OtlpHttpSpanExporter exporter = exporter(port, 2).addHeader("api-key", "s3cret").build();
        assertTrue(exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS).isSuccess());
        assertTrue(exporter.export(List.of(span("b"))).join(10, TimeUnit.SECONDS).isSuccess());
        exporter.shutdown();
        assertEquals(2, received.size());
        Received first = received.get(0);
        assertEquals("POST", first.method);
        assertEquals("/v1/traces", first.path);
        assertEquals("application/x-protobuf", first.contentType);
        assertEquals("s3cret", first.apiKey);
        assertTrue(first.body.length > 20, "a span's worth of protobuf: " + first.body.length);
        assertTrue(new String(first.body, StandardCharsets.ISO_8859_1).contains("job-a"), "the span's name in the protobuf");
        assertEquals(first.remotePort, received.get(1).remotePort, "the second export on the first one's connection");
    }

    @Test
    void gzipAsTheExporterAsks() throws Exception {
        int port = collector(false, 200);
        SpanData span = span("zipped");
        OtlpHttpSpanExporter plain = exporter(port, 2).build();
        OtlpHttpSpanExporter gzipped = exporter(port, 2).setCompression("gzip").build();
        assertTrue(plain.export(List.of(span)).join(10, TimeUnit.SECONDS).isSuccess());
        assertTrue(gzipped.export(List.of(span)).join(10, TimeUnit.SECONDS).isSuccess());
        plain.shutdown();
        gzipped.shutdown();
        assertEquals(null, received.get(0).contentEncoding);
        assertEquals("gzip", received.get(1).contentEncoding);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(received.get(1).body))) {
            assertArrayEquals(received.get(0).body, in.readAllBytes(), "the same request, inflated");
        }
    }

    @Test
    void unavailableIsRetriedAndAChunkedAnswerKeepsTheConnection() throws Exception {
        int port = collector(true, 503, 200);
        OtlpHttpSpanExporter exporter = exporter(port, 3).build();
        assertTrue(exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS).isSuccess());
        exporter.shutdown();
        assertEquals(2, received.size(), "503, then again");
        assertEquals(received.get(0).remotePort, received.get(1).remotePort, "the chunked 503 read to its end, the connection kept");
    }

    @Test
    void aRefusalIsNotRetriedAndSaysWhy() throws Exception {
        int port = collector(false, 400);
        OtlpHttpSpanExporter exporter = exporter(port, 5).build();
        CompletableResultCode result = exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS);
        exporter.shutdown();
        assertFalse(result.isSuccess());
        assertEquals(1, received.size());
        assertEquals("HTTP status 400 Bad Request", ExportLogAccess.why(result));
    }

    @Test
    void aHeaderThatWouldSplitTheRequestIsRefusedAndNothingIsSent() throws Exception {
        int port = collector(false, 200);
        OtlpHttpSpanExporter exporter = exporter(port, 2).addHeader("x-team", "ops\r\nInjected: yes").build();
        CompletableResultCode result = exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS);
        exporter.shutdown();
        assertFalse(result.isSuccess());
        assertEquals(0, received.size());
        assertTrue(ExportLogAccess.why(result).contains("the header x-team cannot be sent"), ExportLogAccess.why(result));
    }

    @Test
    void aKeptAliveConnectionTheServerDroppedBetweenExportsIsReplacedAndTheExportGoesThrough() throws Exception {
        ExecutorService peerThread = Http2Peer.clientThread();
        try (ServerSocket peer = new ServerSocket(0, 2, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(10_000);
            AtomicInteger requests = new AtomicInteger();
            CountDownLatch firstClosed = new CountDownLatch(1);
            Future<Integer> connections = peerThread.submit(() -> {
                // first connection: one request answered, then closed without a word
                try (Socket first = peer.accept()) {
                    answer(first, requests);
                }
                firstClosed.countDown();
                // the second export finds that connection closed and comes back on a new one
                try (Socket second = peer.accept()) {
                    answer(second, requests);
                }
                return 2;
            });
            OtlpHttpSpanExporter exporter = exporter(peer.getLocalPort(), 2).build();
            assertTrue(exporter.export(List.of(span("a"))).join(10, TimeUnit.SECONDS).isSuccess());
            assertTrue(firstClosed.await(10, TimeUnit.SECONDS), "the peer closed the first connection");
            assertTrue(exporter.export(List.of(span("b"))).join(10, TimeUnit.SECONDS).isSuccess(),
                    "sent again on a new connection, not counted as a failed attempt");
            exporter.shutdown();
            assertEquals(2, connections.get(10, TimeUnit.SECONDS));
            assertEquals(2, requests.get(), "each export once");
        } finally {
            peerThread.shutdownNow();
        }
    }

    @Test
    void aCollectorThatStopsReadingIsCutOffAtTheTimeout() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0, 2, InetAddress.getByName("127.0.0.1"))) {
            OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + stalled.getLocalPort() + "/v1/traces").setTimeout(Duration.ofSeconds(1))
                    .setRetryPolicy(null).build();
            // 40 MB: more than the socket buffers on both sides take, so the write blocks on a peer that never reads.
            // On a thread of its own, so that a write left blocked fails this test instead of hanging it.
            ExecutorService exporting = Http2Peer.clientThread();
            CompletableResultCode result;
            try {
                result = exporting.submit(() -> exporter.export(List.of(span("x".repeat(40 << 20)))).join(30, TimeUnit.SECONDS))
                        .get(30, TimeUnit.SECONDS);
            } finally {
                exporting.shutdownNow();
            }
            assertTrue(result.isDone(), "the export ended: the write did not hold the exporting thread");
            assertFalse(result.isSuccess());
            String why = ExportLogAccess.why(result);
            assertTrue(why.contains("SocketTimeoutException") && why.contains("cut off at its deadline"), why);
            exporter.shutdown();
        }
    }

    /** Reads one request (headers, then Content-Length bytes) and answers 200 with no body. */
    private static void answer(Socket socket, AtomicInteger requests) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length = -1;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request ended early");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1.name()).trim();
            line.reset();
            if (text.isEmpty()) {
                break;
            }
            if (text.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(text.substring("content-length:".length()).trim());
            }
        }
        in.readFully(new byte[length]);
        requests.incrementAndGet();
        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static OtlpHttpSpanExporterBuilder exporter(int port, int attempts) {
        return OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + port + "/v1/traces").setTimeout(Duration.ofSeconds(10))
                .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(attempts).setInitialBackoff(Duration.ofMillis(20)).build());
    }

    private static SpanData span(String name) {
        SdkTracerProvider provider = SdkTracerProvider.builder().build();
        Span span = provider.get("test").spanBuilder("job-" + name).startSpan();
        span.end();
        return ((ReadableSpan) span).toSpanData();
    }
}

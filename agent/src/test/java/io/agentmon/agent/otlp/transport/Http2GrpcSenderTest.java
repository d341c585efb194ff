package io.agentmon.agent.otlp.transport;

import static io.agentmon.agent.otlp.transport.Http2Peer.DATA;
import static io.agentmon.agent.otlp.transport.Http2Peer.GOAWAY;
import static io.agentmon.agent.otlp.transport.Http2Peer.HEADERS;
import static io.agentmon.agent.otlp.transport.Http2Peer.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.otlp.ExportLogAccess;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sender as the SDK's OTLP gRPC span exporter uses it (found through ServiceLoader, as in
 * agentmon.jar), against a scripted HTTP/2 peer: what it retries, what it does not, and the
 * request sent again when a server going away never processed it.
 */
class Http2GrpcSenderTest {

    private final ExecutorService client = Http2Peer.clientThread();

    @AfterEach
    void stop() {
        client.shutdownNow();
    }

    @Test
    void unavailableIsRetriedOnTheSameConnection() throws Exception {
        try (Http2Peer peer = new Http2Peer()) {
            OtlpGrpcSpanExporter exporter = exporter(peer.port(), 3);
            Future<CompletableResultCode> export = exportLater(exporter, span());
            peer.accept();
            Http2Peer.Frame first = peer.until(HEADERS);
            byte[] message = body(peer);
            assertEquals(0, message[0], "not compressed");
            assertEquals(message.length - 5, ((message[1] & 0xFF) << 24) | ((message[2] & 0xFF) << 16) | ((message[3] & 0xFF) << 8)
                    | (message[4] & 0xFF), "the gRPC length prefix");
            peer.write(HEADERS, 0x4 | 0x1, first.stream, block(":status", "200", "content-type", "application/grpc",
                    "grpc-status", "14", "grpc-message", "busy"));
            Http2Peer.Frame second = peer.until(HEADERS);
            assertEquals(first.stream + 2, second.stream, "the next stream of the same connection");
            body(peer);
            answerOk(peer, second.stream);
            CompletableResultCode result = export.get(20, TimeUnit.SECONDS);
            assertTrue(result.isSuccess());
            exporter.shutdown();
        }
    }

    @Test
    void aRefusalIsNotRetriedAndSaysWhy() throws Exception {
        try (Http2Peer peer = new Http2Peer()) {
            OtlpGrpcSpanExporter exporter = exporter(peer.port(), 5);
            Future<CompletableResultCode> export = exportLater(exporter, span());
            peer.accept();
            Http2Peer.Frame request = peer.until(HEADERS);
            body(peer);
            peer.write(HEADERS, 0x4 | 0x1, request.stream, block(":status", "200", "content-type", "application/grpc",
                    "grpc-status", "3", "grpc-message", "span %E2%80%9Cx%E2%80%9D too big"));
            CompletableResultCode result = export.get(20, TimeUnit.SECONDS);
            assertFalse(result.isSuccess());
            assertEquals("gRPC status 3: span \u201Cx\u201D too big", ExportLogAccess.why(result));
            exporter.shutdown();
        }
    }

    @Test
    void aRequestTheServerGoingAwayNeverProcessedGoesAgainOnANewConnection() throws Exception {
        try (Http2Peer peer = new Http2Peer()) {
            OtlpGrpcSpanExporter exporter = exporter(peer.port(), 2); // what is sent again is no retry: this I/O failure is not retried
            Future<CompletableResultCode> export = exportLater(exporter, span());
            peer.accept();
            peer.until(HEADERS);
            peer.write(GOAWAY, 0, 0, new byte[8]); // last stream 0: stream 1 was not processed
            peer.accept();
            Http2Peer.Frame again = peer.until(HEADERS);
            assertEquals(1, again.stream, "the first stream of a new connection");
            body(peer);
            answerOk(peer, again.stream);
            assertTrue(export.get(20, TimeUnit.SECONDS).isSuccess());
            exporter.shutdown();
        }
    }

    @Test
    void aCollectorThatIsNotThereIsRetriedWithinTheTimeoutThenSaidSo() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        OtlpGrpcSpanExporter exporter = exporter(closed, 3);
        CompletableResultCode result = exporter.export(List.of(span())).join(20, TimeUnit.SECONDS);
        assertFalse(result.isSuccess());
        String why = ExportLogAccess.why(result);
        assertTrue(why.contains("ConnectException"), why);
        exporter.shutdown();
    }

    @Test
    void aServerThatOpensItsWindowsAndStopsReadingIsCutOffAtTheTimeout() throws Exception {
        try (Http2Peer peer = new Http2Peer()) {
            OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + peer.port())
                    .setTimeout(Duration.ofSeconds(1)).setRetryPolicy(null).build();
            Future<CompletableResultCode> export = exportLater(exporter, span("x".repeat(40 << 20)));
            peer.accept(Http2Peer.setting(4, Integer.MAX_VALUE)); // a stream may send 2 GiB...
            peer.write(Http2Peer.WINDOW_UPDATE, 0, 0, Http2Peer.intBytes(Integer.MAX_VALUE - 65_535)); // ...and so may the connection
            // ... and then nothing of it is read
            CompletableResultCode result = export.get(30, TimeUnit.SECONDS);
            assertTrue(result.isDone(), "the export ended: the write did not hold the exporting thread");
            assertFalse(result.isSuccess());
            String why = ExportLogAccess.why(result);
            assertTrue(why.contains("SocketTimeoutException") && why.contains("cut off at its deadline"), why);
            exporter.shutdown();
        }
    }

    /** Exports {@code span} on the client thread (the sender blocks there while the test plays the server). */
    private Future<CompletableResultCode> exportLater(OtlpGrpcSpanExporter exporter, SpanData span) {
        return client.submit(() -> exporter.export(List.of(span)).join(30, TimeUnit.SECONDS));
    }

    private static OtlpGrpcSpanExporter exporter(int port, int attempts) {
        return OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + port).setTimeout(Duration.ofSeconds(10))
                .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(attempts).setInitialBackoff(Duration.ofMillis(20))
                        .build())
                .build();
    }

    private static SpanData span() {
        return span("job");
    }

    private static SpanData span(String name) {
        SdkTracerProvider provider = SdkTracerProvider.builder().build();
        Span span = provider.get("test").spanBuilder(name).startSpan();
        span.end();
        return ((ReadableSpan) span).toSpanData();
    }

    /** The request's DATA frames, to the one that ends the stream. */
    private static byte[] body(Http2Peer peer) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            Http2Peer.Frame frame = peer.until(DATA);
            body.write(frame.payload);
            if ((frame.flags & 1) != 0) {
                return body.toByteArray();
            }
        }
    }

    private static void answerOk(Http2Peer peer, int stream) throws Exception {
        peer.write(HEADERS, 0x4, stream, block(":status", "200", "content-type", "application/grpc"));
        peer.write(DATA, 0, stream, new byte[5]);
        peer.write(HEADERS, 0x4 | 0x1, stream, block("grpc-status", "0"));
    }
}

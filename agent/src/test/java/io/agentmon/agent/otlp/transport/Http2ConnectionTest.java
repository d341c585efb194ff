package io.agentmon.agent.otlp.transport;

import static io.agentmon.agent.otlp.transport.Http2Peer.CONTINUATION;
import static io.agentmon.agent.otlp.transport.Http2Peer.DATA;
import static io.agentmon.agent.otlp.transport.Http2Peer.GOAWAY;
import static io.agentmon.agent.otlp.transport.Http2Peer.HEADERS;
import static io.agentmon.agent.otlp.transport.Http2Peer.PING;
import static io.agentmon.agent.otlp.transport.Http2Peer.RST_STREAM;
import static io.agentmon.agent.otlp.transport.Http2Peer.SETTINGS;
import static io.agentmon.agent.otlp.transport.Http2Peer.WINDOW_UPDATE;
import static io.agentmon.agent.otlp.transport.Http2Peer.block;
import static io.agentmon.agent.otlp.transport.Http2Peer.intBytes;
import static io.agentmon.agent.otlp.transport.Http2Peer.setting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 paths a gRPC server of the usual kind (grpc-java, grpc-go: large windows, one
 * header frame, no goodbyes mid-call) never takes, played by a peer on loopback that writes
 * and reads the frames by hand: a small window that makes the body wait, an answer split over
 * CONTINUATION frames with padding and a PING between, a GOAWAY or a refused stream before an
 * answer, a server that never answers. The usual kind is in the integration tests (grpc-java).
 */
class Http2ConnectionTest {


    private static final List<String[]> REQUEST = List.of(new String[] {":method", "POST"}, new String[] {":scheme", "http"},
            new String[] {":path", "/opentelemetry.proto.collector.trace.v1.TraceService/Export"},
            new String[] {":authority", "127.0.0.1"}, new String[] {"content-type", "application/grpc"});

    private final ExecutorService client = Http2Peer.clientThread();

    @AfterEach
    void stop() {
        client.shutdownNow();
    }

    @Test
    void aBodyLargerThanTheWindowWaitsForItAndTheAnswerIsReadWhateverItsFraming() throws Exception {
        byte[] body = new byte[150_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        try (Http2Peer peer = new Http2Peer()) {
            Future<Http2Connection.Answer> call = exchangeLater(peer, body, 20000);
            peer.accept(setting(4, 1000)); // a stream may only send 1000 bytes until told more
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Http2Peer.Frame headers = peer.until(HEADERS);
            assertEquals(1, headers.stream);
            assertEquals(List.of(":method: POST", ":scheme: http", ":path: /opentelemetry.proto.collector.trace.v1.TraceService/Export",
                    ":authority: 127.0.0.1", "content-type: application/grpc"), text(new Hpack().decode(headers.payload, 0, headers.payload.length)));
            boolean ended = false;
            int windowsGiven = 0;
            while (!ended) {
                Http2Peer.Frame frame = peer.read();
                if (frame.type == SETTINGS) {
                    continue; // the client's ACK
                }
                assertEquals(DATA, frame.type);
                assertTrue(received.size() + frame.payload.length <= 1000 + 7000 * windowsGiven,
                        "sent past the window: " + received.size() + " + " + frame.payload.length);
                received.write(frame.payload);
                ended = (frame.flags & 1) != 0;
                if (!ended && received.size() == 1000 + 7000 * windowsGiven) {
                    peer.write(WINDOW_UPDATE, 0, 1, intBytes(7000));
                    windowsGiven++;
                    if (windowsGiven % 9 == 0) {
                        peer.write(WINDOW_UPDATE, 0, 0, intBytes(63_000)); // the connection's 65,535 run out too
                    }
                }
            }
            assertArrayEquals(body, received.toByteArray(), "the body, whole and in order");

            // The answer: headers split over CONTINUATION with padding, a PING, a padded DATA, trailers.
            byte[] block = block(":status", "200", "content-type", "application/grpc", "grpc-encoding", "identity");
            byte[] padded = new byte[1 + 4 + 3];
            padded[0] = 3;
            System.arraycopy(block, 0, padded, 1, 4);
            peer.write(HEADERS, 0x8, 1, padded);
            peer.write(CONTINUATION, 0, 1, Arrays.copyOfRange(block, 4, 9));
            peer.write(CONTINUATION, 0x4, 1, Arrays.copyOfRange(block, 9, block.length));
            peer.write(PING, 0, 0, "12345678".getBytes(StandardCharsets.US_ASCII));
            peer.write(DATA, 0x8, 1, new byte[] {2, 0, 0, 0, 0, 0, 0, 0});
            peer.write(HEADERS, 0x4 | 0x1, 1, block("grpc-status", "0", "grpc-message", "fine"));
            Http2Peer.Frame pong = peer.until(PING);
            assertEquals(1, pong.flags, "a PING is answered with its ACK");
            assertEquals("12345678", new String(pong.payload, StandardCharsets.US_ASCII));

            Http2Connection.Answer answer = call.get(20, TimeUnit.SECONDS);
            assertEquals(200, answer.status());
            assertEquals("0", answer.header("grpc-status"));
            assertEquals("fine", answer.trailers.get("grpc-message"));
            assertEquals("identity", answer.headers.get("grpc-encoding"));
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0}, answer.body(), "the DATA without its padding");
        }
    }

    @Test
    void anAnswerBeforeTheWholeBodyStopsTheBodyAndClosesTheStreamFromThisSideToo() throws Exception {
        try (Http2Peer peer = new Http2Peer()) {
            Future<Http2Connection.Answer> call = exchangeLater(peer, new byte[100_000], 20000);
            peer.accept(setting(4, 1000));
            Http2Peer.Frame headers = peer.until(HEADERS);
            assertEquals(1000, peer.until(DATA).payload.length, "the window's worth");
            peer.write(HEADERS, 0x4 | 0x1, headers.stream, block(":status", "200", "content-type", "application/grpc",
                    "grpc-status", "8", "grpc-message", "too large"));
            peer.write(WINDOW_UPDATE, 0, headers.stream, intBytes(50_000)); // room the client must not use now
            Http2Connection.Answer answer = call.get(20, TimeUnit.SECONDS);
            assertEquals("8", answer.header("grpc-status"));
            Http2Peer.Frame reset = peer.until(RST_STREAM);
            assertEquals(headers.stream, reset.stream);
            assertArrayEquals(intBytes(8), reset.payload, "CANCEL");
        }
    }

    @Test
    void aGoAwayBeforeTheAnswerMeansNotProcessedAndTheConnectionIsDone() throws Exception {
        try (Http2Peer peer = new Http2Peer()) {
            Future<Boolean> call = client.submit(() -> {
                try (Http2Connection connection = Http2Connection.open("127.0.0.1", peer.port(), null, 5000)) {
                    assertThrows(Unprocessed.class,
                            () -> connection.exchange(REQUEST, new byte[10], System.nanoTime() + TimeUnit.SECONDS.toNanos(20)));
                    return connection.usable();
                }
            });
            peer.accept();
            peer.until(HEADERS);
            byte[] goAway = new byte[8]; // last stream 0, NO_ERROR
            peer.write(GOAWAY, 0, 0, goAway);
            assertFalse(call.get(20, TimeUnit.SECONDS), "no new request goes on a connection going away");
        }
    }

    @Test
    void aRefusedStreamIsNotProcessedAndAnyOtherResetIsAFailure() throws Exception {
        for (int code : new int[] {7, 2}) {
            try (Http2Peer peer = new Http2Peer()) {
                Future<Http2Connection.Answer> call = exchangeLater(peer, new byte[10], 20000);
                peer.accept();
                peer.until(HEADERS);
                peer.write(RST_STREAM, 0, 1, intBytes(code));
                ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
                assertEquals(code == 7, failed.getCause() instanceof Unprocessed, failed.getCause().toString());
                assertTrue(failed.getCause().getMessage().contains(code == 7 ? "refused" : "error code 2"), failed.getCause().getMessage());
            }
        }
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpOnAtTheDeadline() throws Exception {
        try (Http2Peer peer = new Http2Peer()) {
            Future<Http2Connection.Answer> call = exchangeLater(peer, new byte[10], 300);
            peer.accept();
            peer.until(HEADERS);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof SocketTimeoutException, failed.getCause().toString());
        }
    }

    @Test
    void aServerThatIsNotHttp2IsToldApartAtOnce() throws Exception {
        try (ServerSocket http1 = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Future<Object> call = client.submit(() -> Http2Connection.open("127.0.0.1", http1.getLocalPort(), null, 10_000));
            try (Socket socket = http1.accept()) {
                socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
                assertTrue(failed.getCause().getMessage().contains("did not answer as an HTTP/2 server"), failed.getCause().getMessage());
            }
        }
    }

    /** Connects to {@code peer} and sends one request with {@code body}, on the client thread, given {@code millis} to answer. */
    private Future<Http2Connection.Answer> exchangeLater(Http2Peer peer, byte[] body, long millis) {
        return client.submit(() -> {
            try (Http2Connection connection = Http2Connection.open("127.0.0.1", peer.port(), null, 5000)) {
                return connection.exchange(REQUEST, body, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
            }
        });
    }

    private static List<String> text(List<String[]> fields) {
        return fields.stream().map(f -> f[0] + ": " + f[1]).collect(java.util.stream.Collectors.toList());
    }
}

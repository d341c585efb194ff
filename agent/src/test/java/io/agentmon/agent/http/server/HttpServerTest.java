package io.agentmon.agent.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server on loopback with small limits, so that every deadline shows within a second or two. */
class HttpServerTest {

    private static final long MS = 1_000_000L;

    private HttpServer server;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private void start(int connections, long requestMs, long responseMs, long idleMs, Handler handler) throws IOException {
        ServerOptions options = new ServerOptions(connections, requestMs * MS, responseMs * MS, idleMs * MS, responseMs * MS, null, false);
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), options, handler, line -> {
            synchronized (log) {
                log.add(line);
            }
        });
    }

    private static Handler hello() {
        return request -> Response.text(200, "hello " + request.path() + "\n");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), 2_000);
        socket.setSoTimeout(5_000);
        sockets.add(socket);
        return socket;
    }

    private String get(String path) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Bytes until the server closes (or 5 s pass without any). */
    private static String readToClose(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static boolean closedWithin(Socket socket, long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void await(long millis, String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void keepAliveAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(4, 1_000, 1_000, 1_000, hello());
        Socket socket = connect();
        socket.getOutputStream().write(("GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String all = readToClose(socket);
        assertEquals(3, all.split("HTTP/1.1 200 OK", -1).length - 1, all);
        assertTrue(all.indexOf("hello /a") < all.indexOf("hello /c"), all);
        assertTrue(!all.contains("hello /b"), "HEAD has no body: " + all);
        assertTrue(all.contains("Content-Length: 9\r\n"), "HEAD says the length the body would have: " + all);
        assertTrue(all.endsWith("Connection: close\r\nContent-Length: 9\r\n\r\nhello /c\n"), all);
    }

    /** A body that is the start of a larger array (a scrape's buffer, handed over) is sent as its length says. */
    @Test
    void aBodyThatIsPartOfAnArraySendsOnlyThatPart() throws Exception {
        byte[] buffer = "scrape body\nand the buffer's unused rest".getBytes(StandardCharsets.ISO_8859_1);
        start(4, 1_000, 1_000, 1_000, request -> Response.bytes(200, "text/plain", buffer, 12));
        String all = get("/metrics");
        assertTrue(all.endsWith("Connection: close\r\nContent-Length: 12\r\n\r\nscrape body\n"), all);
        Response response = Response.bytes(200, "text/plain", buffer, 12);
        assertEquals("scrape body\n", response.bodyText());
        assertEquals(12, response.body().length);
        assertEquals(12, response.bodyLength());
        assertThrows(IllegalArgumentException.class, () -> Response.bytes(200, "text/plain", buffer, buffer.length + 1));
    }

    @Test
    void aHeadThatDoesNotArriveWithinTheRequestTimeoutIsClosed() throws Exception {
        start(4, 300, 1_000, 5_000, hello());
        Socket socket = connect();
        socket.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        assertTrue(closedWithin(socket, 3_000));
        long elapsed = (System.nanoTime() - start) / MS;
        assertTrue(elapsed >= 200, "not before the deadline: " + elapsed + " ms");
        await(1_000, "the slot to be freed", () -> server.openConnections() == 0);
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start(4, 5_000, 5_000, 300, hello());
        Socket socket = connect();
        socket.getOutputStream().write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(closedWithin(socket, 3_000), "closed when idle");
    }

    @Test
    void whenEverySlotIsStalledTheOldestGivesWayToANewConnection() throws Exception {
        start(2, 60_000, 5_000, 60_000, hello());
        Socket first = connect();
        first.getOutputStream().write('G');
        Thread.sleep(50);
        Socket second = connect();
        second.getOutputStream().write('G');
        Thread.sleep(ServerOptions.EVICTION_GRACE_NANOS / MS + 100);
        assertTrue(get("/metrics").contains("hello /metrics"));
        assertTrue(closedWithin(first, 1_000), "the oldest stalled connection was closed");
        assertTrue(!closedWithin(second, 200), "the younger one stays");
    }

    @Test
    void whenEverySlotIsBusyANewConnectionWaitsForOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(1, 10_000, 10_000, 10_000, request -> {
            if (request.path().equals("/slow")) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Response.text(200, "done " + request.path() + "\n");
        });
        Socket slow = connect();
        slow.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(100);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                return;
            }
            release.countDown();
        });
        releaser.start();
        assertTrue(get("/fast").contains("done /fast"), "served once the busy one finished");
        assertTrue(readToClose(slow).contains("done /slow"), "the busy one was not evicted");
    }

    @Test
    void aClientThatDoesNotReadItsResponseIsDisconnectedAtTheResponseTimeout() throws Exception {
        byte[] big = new byte[64 * 1024 * 1024];
        start(2, 1_000, 500, 1_000, request -> Response.bytes(200, "application/octet-stream", big));
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(server.address(), 2_000);
        sockets.add(socket);
        socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        await(3_000, "the unread response to be cut off", () -> server.openConnections() == 0);
        assertTrue(get("/metrics").startsWith("HTTP/1.1 200 "));
    }

    @Test
    void aStreamWhoseClientStopsReadingIsClosedAtTheWriteTimeout() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        start(2, 1_000, 500, 1_000, request -> Response.stream(200, "text/event-stream", new StreamBody() {
            @Override
            public void start(OutputStream out, Runnable close) {
                Thread writer = new Thread(() -> {
                    byte[] frame = new byte[1024];
                    try {
                        for (int i = 0; i < 1_000_000; i++) {
                            out.write(frame);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // cut off
                    } finally {
                        closed.set(true);
                        close.run();
                    }
                });
                writer.setDaemon(true);
                writer.start();
            }

            @Override
            public void cancel() {
            }
        }));
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(server.address(), 2_000);
        sockets.add(socket);
        socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        await(4_000, "the stream's writer to be cut off", closed::get);
        await(1_000, "its slot to be freed", () -> server.openConnections() == 0);
    }

    @Test
    void aStreamIsChunked() throws Exception {
        start(2, 1_000, 1_000, 1_000, request -> Response.stream(200, "text/event-stream", new StreamBody() {
            @Override
            public void start(OutputStream out, Runnable close) {
                try {
                    out.write("data: 1\n\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    out.close();
                } catch (IOException ignored) {
                    // test client went away
                }
                close.run();
            }

            @Override
            public void cancel() {
            }
        }));
        String all = get("/events");
        assertTrue(all.contains("Transfer-Encoding: chunked\r\n\r\n9\r\ndata: 1\n\n\r\n0\r\n\r\n"), all);
    }

    @Test
    void aHandlerThatThrowsGets500AndALine() throws Exception {
        start(2, 1_000, 1_000, 1_000, request -> {
            throw new IllegalStateException("boom");
        });
        assertTrue(get("/x").startsWith("HTTP/1.1 500 "));
        synchronized (log) {
            assertTrue(log.toString().contains("boom"), log.toString());
        }
    }

    @Test
    void anErrorResponseIsReadableAlthoughTheRequestWasNotReadToItsEnd() throws Exception {
        start(2, 1_000, 1_000, 1_000, hello());
        Socket socket = connect();
        byte[] body = new byte[100_000];
        socket.getOutputStream().write(("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        String answer = readToClose(socket);
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.contains("Connection: close"), answer);
    }

    /** However many connections ask at once, at most two handlers run; the rest wait their turn and are answered. */
    @Test
    void atMostTwoRequestsAreHandledAtOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        start(16, 2_000, 10_000, 2_000, request -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
            return Response.text(200, "done\n");
        });
        int clients = 8;
        List<Socket> waiting = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Socket socket = connect();
            socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            waiting.add(socket);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inside.get() < ServerOptions.HANDLERS_AT_ONCE && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300); // time for a third handler to enter, if the limit let it
        assertEquals(ServerOptions.HANDLERS_AT_ONCE, most.get(), "handlers running at once");
        release.countDown();
        for (Socket socket : waiting) {
            assertTrue(readToClose(socket).startsWith("HTTP/1.1 200"), "every waiting request is answered");
        }
        assertEquals(ServerOptions.HANDLERS_AT_ONCE, most.get());
    }
}

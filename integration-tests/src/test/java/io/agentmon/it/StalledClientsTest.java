package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Clients that hold connections without finishing a request, or streams without reading them:
 * while they stay connected, every scrape must still be answered within {@link #SCRAPE_BOUND}.
 * (On the JDK's built-in server one connection that sent {@code G} silenced {@code /metrics}
 * until it closed, and four never-reading {@code /events} clients made every later one 503.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StalledClientsTest {

    static final Duration SCRAPE_BOUND = Duration.ofSeconds(5);
    private static final int CONNECTION_LIMIT = 8;

    private static WorkerProcess worker;
    private static int port;
    private final List<Socket> stalled = new ArrayList<>();

    @BeforeAll
    static void startTheWorker() throws IOException {
        worker = WorkerProcess.builder(Jdks.current())
                .demoConfiguration()
                .property("agentmon.http.connections", String.valueOf(CONNECTION_LIMIT))
                .property("agentmon.http.request.timeout", "3s")
                .sampleWorker("--jobs", "0", "--rate", "200", "--threads", "4")
                .start();
        port = worker.agentPortOnceATaskRan();
    }

    @AfterAll
    static void stopTheWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @AfterEach
    void closeTheStalledConnections() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
    }

    @Test
    @Order(1) // first, on a fresh endpoint: what one connection does to it, before others grew any pool
    void onePartialRequestDoesNotSilenceTheScrape() throws Exception {
        stall(1, "G".getBytes(StandardCharsets.US_ASCII));
        scrapesAnswer(6);
    }

    @Test
    void morePartialRequestsThanHandlerThreadsOrTheConnectionLimit() throws Exception {
        stall(12, "G".getBytes(StandardCharsets.US_ASCII)); // above the limit of 8: the oldest give way
        scrapesAnswer(6);
        stall(3 * CONNECTION_LIMIT, "GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        scrapesAnswer(6);
    }

    @Test
    void randomBytesDoNotSilenceTheScrape() throws Exception {
        Random random = new Random(9);
        for (int i = 0; i < 12; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            stall(1, junk);
        }
        scrapesAnswer(6);
    }

    @Test
    void aTlsClientHelloOnThePlainPortIsRefusedAtOnce() throws Exception {
        byte[] hello = clientHelloStart();
        stall(12, hello);
        scrapesAnswer(6);
        // Not held until the deadline: a TLS record is no HTTP method, so it gets 400 and a close.
        try (Socket socket = connect()) {
            socket.getOutputStream().write(hello);
            socket.setSoTimeout(2_000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
    }

    @Test
    void aHeadThatDoesNotArriveInTimeIsClosed() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(500);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(15);
            int read = 0;
            // Slowloris: one byte of a valid head every 500 ms keeps every read short, never the whole head.
            byte[] head = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < head.length && System.nanoTime() < end; i++) {
                try {
                    out.write(head[i]);
                    out.flush();
                } catch (IOException closed) {
                    read = -1;
                    break;
                }
                try {
                    read = in.read();
                    if (read < 0) {
                        break;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // go on dribbling
                } catch (IOException reset) {
                    read = -1;
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(-1, read, "the server closed the connection");
            assertTrue(seconds >= 2.5 && seconds < 8, "closed at the 3 s request deadline, not later: " + seconds + "s");
        }
    }

    @Test
    void fourEventStreamsThatAreNeverReadDoNotLockOutAFifth() throws Exception {
        byte[] request = "GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 4; i++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096); // before connect, so the window stays small
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.getOutputStream().write(request);
            stalled.add(socket); // and never read
        }
        Thread.sleep(500);
        scrapesAnswer(3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String answer = null;
        while (System.nanoTime() < deadline) {
            try (Socket fifth = connect()) {
                fifth.getOutputStream().write(request);
                fifth.setSoTimeout(10_000);
                answer = readHead(fifth.getInputStream());
                if (answer.startsWith("HTTP/1.1 200 ")) {
                    String first = new String(fifth.getInputStream().readNBytes(17), StandardCharsets.UTF_8);
                    assertTrue(first.contains(": agentmon events") || first.length() == 17, first);
                    break;
                }
            }
            Thread.sleep(500);
        }
        assertTrue(answer != null && answer.startsWith("HTTP/1.1 200 "),
                "a fifth client got its stream within 30 s while four never read: " + answer);
        scrapesAnswer(3);
    }

    /** Many more scrapers at once than the endpoint has connections: each waits its turn, none fails. */
    @Test
    void twoHundredConcurrentScrapesAllSucceed() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(60)).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            scrapes.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        for (java.util.concurrent.CompletableFuture<HttpResponse<String>> scrape : scrapes) {
            HttpResponse<String> response = scrape.get(90, TimeUnit.SECONDS);
            if (response.statusCode() == 200 && response.body().contains("agentmon_task_duration_seconds")) {
                ok++;
            }
        }
        assertEquals(200, ok);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n") && head.length() < 16_384) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private void stall(int connections, byte[] bytes) throws IOException {
        for (int i = 0; i < connections; i++) {
            Socket socket = connect();
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            stalled.add(socket);
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** {@code count} scrapes, half a second apart (one client, which may reuse its connection), each answered within the bound. */
    static void scrapesAnswer(int count) throws Exception {
        scrapesAnswer(port, count);
    }

    static void scrapesAnswer(int port, int count) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(SCRAPE_BOUND).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(SCRAPE_BOUND).build();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError("scrape " + (i + 1) + " of " + count + " not answered within " + SCRAPE_BOUND
                        + ": " + e + "\n" + worker.stderr(), e);
            }
            assertEquals(200, response.statusCode(), "scrape " + (i + 1));
            assertTrue(response.body().contains("agentmon_task_duration_seconds"), "a real scrape");
            assertTrue(System.nanoTime() - start < SCRAPE_BOUND.toNanos());
            Thread.sleep(500);
        }
    }

    /** The first bytes of a TLS 1.2 ClientHello record, as a client that expected HTTPS sends them. */
    static byte[] clientHelloStart() {
        byte[] hello = new byte[200];
        hello[0] = 0x16;
        hello[1] = 0x03;
        hello[2] = 0x01;
        hello[3] = 0x00;
        hello[4] = (byte) 195;
        hello[5] = 0x01;
        new Random(1).nextBytes(java.util.Arrays.copyOfRange(hello, 6, hello.length));
        return hello;
    }
}

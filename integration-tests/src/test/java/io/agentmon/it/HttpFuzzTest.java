package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.ByteArrayOutputStream;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded HTTP fuzzing of the endpoint while the sample worker runs: random methods, paths,
 * versions and header lines, oversized lines, binary junk, truncated, pipelined and slowly sent
 * requests. Every answer must be a well-formed response (or a close), never a 500; scrapes
 * interleaved from another thread must always succeed; the worker's counts must stay exact; the
 * agent must still serve at the end. Bounded: {@link #INPUTS} inputs or {@link #TIME_LIMIT}.
 * The seed is printed; {@code -Dagentmon.fuzz.seed=<n>} replays one.
 */
class HttpFuzzTest {

    private static final int INPUTS = 3000;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(60);
    private static final Duration SCRAPE_BOUND = Duration.ofSeconds(5);
    private static final int JOBS = 800;
    private static final Set<Integer> STATUSES = Set.of(200, 400, 403, 404, 405, 413, 414, 431, 505);
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) [A-Za-z -]+");
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+: [^\r\n]*");

    private static final String[] METHODS = {"GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
        "PATCH", "CONNECT", "get", "G3T", "BREW", "M-SEARCH", "A".repeat(40), "", "\u0016\u0003", "GE T", "\u00ff"};
    private static final String[] PATHS = {"/metrics", "/metrics", "/health", "/health/ready", "/tasks", "/metrics/summary",
        "/", "/nope", "/metrics?x=1&y", "/%6detrics", "/..%2f..%2fetc/passwd", "//", "/metrics/", "*", "http://h:1/metrics",
        "https://h", "", "/%zz", "/a b", "/\u0000", "/events?task=%", "/" + "p".repeat(9000), "/\u00e9"};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.x", "", "HTTP/11",
        "http/1.1", "HTTP/1.1 extra"};
    private static final String[] HEADERS = {"Host: x", "Accept: application/openmetrics-text; version=1.0.0",
        "Accept: */*", "Accept-Encoding: gzip", "Accept-Encoding: gzip;q=0", "Connection: close", "Connection: keep-alive",
        "Content-Length: 0", "Content-Length: 5", "Content-Length: -1", "Content-Length: abc", "Content-Length: 0, 0",
        "Transfer-Encoding: chunked", "Authorization: Bearer x", "X-Empty:", "no-colon", " folded: x", "Bad Name: x",
        "X-Ctl: a\u0001b", "X-Long: " + "v".repeat(9000), ": novalue", "X-Utf8: \u00e9t\u00e9", "Expect: 100-continue"};

    @Test
    void fuzzedRequestsGetWellFormedAnswersAndNeverHurtTheWorker() throws Exception {
        long seed = Long.getLong("agentmon.fuzz.seed", 1L); // fixed, so CI repeats itself; other seeds by hand
        System.out.println("HttpFuzzTest seed=" + seed + " (replay with -Dagentmon.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        Path tallyFile = Files.createTempDirectory("tally").resolve("tally.properties");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .demoConfiguration()
                .property("agentmon.http.request.timeout", "2s")
                .sampleWorker("--jobs", String.valueOf(JOBS), "--rate", "40", "--threads", "4",
                        "--tally", tallyFile.toString(), "--hold-seconds", "120")
                .start()) {
            int port = worker.agentPortOnceATaskRan();
            AtomicReference<Throwable> scrapeFailure = new AtomicReference<>();
            AtomicInteger scrapes = new AtomicInteger();
            Thread scraper = new Thread(() -> scrapeUntilInterrupted(port, scrapes, scrapeFailure), "fuzz-scraper");
            scraper.start();
            long end = System.nanoTime() + TIME_LIMIT.toNanos();
            int done = 0;
            List<Socket> abandoned = new ArrayList<>();
            try {
                for (; done < INPUTS && System.nanoTime() < end && scrapeFailure.get() == null; done++) {
                    Input input = input(random);
                    if (random.nextInt(100) == 0) {
                        abandoned.add(sendAndAbandon(port, input)); // left open: the request deadline must close it
                        continue;
                    }
                    String failure = check(input, exchange(port, input, random));
                    if (failure != null) {
                        throw new AssertionError("input " + done + " (seed " + seed + "): " + failure + "\nsent: "
                                + printable(input.bytes) + "\n" + worker.stderr());
                    }
                }
            } finally {
                scraper.interrupt();
                scraper.join(10_000);
                for (Socket socket : abandoned) {
                    socket.close();
                }
            }
            if (scrapeFailure.get() != null) {
                throw new AssertionError("an interleaved scrape failed (seed " + seed + ")", scrapeFailure.get());
            }
            System.out.println("HttpFuzzTest: " + done + " inputs, " + scrapes.get() + " interleaved scrapes, "
                    + abandoned.size() + " abandoned connections");
            assertTrue(done >= 500, "at least 500 inputs in the time limit: " + done);
            assertTrue(scrapes.get() > 0);

            Properties tally = worker.awaitProperties(tallyFile, 120);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            assertEquals(JOBS, Long.parseLong(tally.getProperty("total.count")));
            assertEquals(JOBS, (long) scrape.sum("agentmon_task_duration_seconds_count"),
                    "every run counted, none lost or doubled");
            assertTrue(worker.isAlive(), worker.stderr());
            assertTrue(!worker.stderr().contains("failed:"), "no request failed inside the agent:\n" + worker.stderr());
        }
    }

    /** One fuzz input: the bytes, the methods of the whole requests in it (in order), how to send it. */
    private static final class Input {
        final byte[] bytes;
        final List<String> methods;
        final boolean slow;
        /** Junk or a truncated request after the whole ones, which may get one answer more. */
        final boolean tail;

        Input(byte[] bytes, List<String> methods, boolean slow, boolean tail) {
            this.bytes = bytes;
            this.methods = methods;
            this.slow = slow;
            this.tail = tail;
        }
    }

    private static Input input(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> methods = new ArrayList<>();
        boolean tail = false;
        int kind = random.nextInt(10);
        if (kind == 0) {
            tail = true;
            byte[] junk = new byte[1 + random.nextInt(2000)];
            random.nextBytes(junk);
            out.writeBytes(junk);
        } else {
            int requests = kind == 1 ? 2 + random.nextInt(4) : 1; // pipelined
            for (int r = 0; r < requests; r++) {
                String method = pick(random, METHODS);
                String path = pick(random, PATHS);
                if (path.startsWith("/events") && !"HEAD".equals(method)) {
                    path = "/nope"; // a stream would last as long as the connection
                }
                String eol = random.nextInt(20) == 0 ? "\n" : "\r\n";
                StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(' ')
                        .append(pick(random, VERSIONS)).append(eol);
                int headers = random.nextInt(20) == 0 ? 70 : random.nextInt(5);
                for (int h = 0; h < headers; h++) {
                    head.append(pick(random, HEADERS)).append(eol);
                }
                head.append(eol);
                byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
                if (random.nextInt(8) == 0) {
                    bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length)); // truncated
                    tail = true;
                    r = requests;
                } else {
                    methods.add(method);
                }
                out.writeBytes(bytes);
                if (random.nextInt(30) == 0) {
                    byte[] junk = new byte[random.nextInt(64)];
                    random.nextBytes(junk);
                    out.writeBytes(junk);
                    tail = true;
                    r = requests;
                }
            }
        }
        return new Input(out.toByteArray(), methods, random.nextInt(40) == 0, tail);
    }

    /** Sends the input, closes the sending side, and reads until the server closes. */
    private static byte[] exchange(int port, Input input, Random random) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(8_000);
            OutputStream out = socket.getOutputStream();
            try {
                if (input.slow) {
                    for (int offset = 0; offset < input.bytes.length; ) {
                        int length = Math.min(input.bytes.length - offset, 1 + random.nextInt(40));
                        out.write(input.bytes, offset, length);
                        out.flush();
                        offset += length;
                        Thread.sleep(random.nextInt(30));
                    }
                } else {
                    out.write(input.bytes);
                }
                socket.shutdownOutput();
            } catch (IOException closedEarly) {
                // the server answered and closed before it had everything: what it sent is still checked
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no close within 8 s after " + answer.size() + " bytes: " + printable(answer.toByteArray()));
            } catch (IOException reset) {
                // a reset after the answer: what arrived is checked
            }
            return answer.toByteArray();
        }
    }

    private static Socket sendAndAbandon(int port, Input input) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.getOutputStream().write(input.bytes, 0, Math.max(0, input.bytes.length - 1));
        return socket;
    }

    /** Null when the answer is a sequence of well-formed responses, at most one per request; else what is wrong. */
    private static String check(Input input, byte[] answer) {
        int position = 0;
        int index = 0;
        while (position < answer.length) {
            int headEnd = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), position);
            if (headEnd < 0) {
                return "a response without the end of its head: " + printable(java.util.Arrays.copyOfRange(answer, position, answer.length));
            }
            String[] lines = new String(answer, position, headEnd - position, StandardCharsets.ISO_8859_1).split("\r\n", -1);
            Matcher status = STATUS_LINE.matcher(lines[0]);
            if (!status.matches()) {
                return "malformed status line: " + printable(lines[0].getBytes(StandardCharsets.ISO_8859_1));
            }
            int code = Integer.parseInt(status.group(1));
            if (!STATUSES.contains(code)) {
                return "unexpected status " + code;
            }
            long length = -1;
            for (int i = 1; i < lines.length; i++) {
                if (!HEADER.matcher(lines[i]).matches()) {
                    return "malformed header line: " + printable(lines[i].getBytes(StandardCharsets.ISO_8859_1));
                }
                if (lines[i].regionMatches(true, 0, "Content-Length: ", 0, 16)) {
                    length = Long.parseLong(lines[i].substring(16).trim());
                }
            }
            if (length < 0) {
                return "no Content-Length";
            }
            boolean head = index < input.methods.size() && "HEAD".equals(input.methods.get(index));
            // A head the parser refused is answered with a body and a close, whatever its method.
            boolean refused = code != 200 && code != 403 && code != 404 && code != 405;
            boolean last = answer.length - (headEnd + 4) == length;
            position = headEnd + 4 + (head && !(refused && last) ? 0 : (int) length);
            if (position > answer.length) {
                return "body shorter than its Content-Length " + length;
            }
            index++;
        }
        int most = input.methods.size() + (input.tail ? 1 : 0);
        return index <= most ? null : index + " responses to " + most + " requests";
    }

    private static void scrapeUntilInterrupted(int port, AtomicInteger scrapes, AtomicReference<Throwable> failure) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(SCRAPE_BOUND).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(SCRAPE_BOUND).build();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || !response.body().contains("agentmon_task_duration_seconds")) {
                    throw new AssertionError("scrape answered " + response.statusCode());
                }
                scrapes.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException | AssertionError e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                failure.compareAndSet(null, e);
                return;
            }
        }
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 300); i++) {
            int b = bytes[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.append(bytes.length > 300 ? "...(" + bytes.length + " bytes)" : "").toString();
    }
}

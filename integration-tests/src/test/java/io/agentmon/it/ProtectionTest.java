package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.TestCertificates;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's optional protection, from outside, with the JDK's {@code HttpClient}: a bearer
 * token from a file, basic auth against a PBKDF2 hash made by {@code hash-password}, TLS from a
 * PKCS#12 keystore made by {@code keytool}, and client certificates; and misconfigurations,
 * which must leave the endpoint closed rather than open.
 */
class ProtectionTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final String TOKEN = "tok-" + Long.toHexString(System.nanoTime());
    private static final String PASSWORD = "sec:ret pass";

    private static TestCertificates certificates;
    private static Path dir;
    /** TLS, token and basic auth. */
    private static WorkerProcess protectedWorker;
    private static int protectedPort;
    /** TLS with client certificates required. */
    private static WorkerProcess mutualWorker;
    private static int mutualPort;

    @BeforeAll
    static void startTheWorkers() throws Exception {
        certificates = TestCertificates.create();
        dir = certificates.dir;
        Path tokenFile = Files.write(dir.resolve("token"), ("  " + TOKEN + "\n").getBytes(StandardCharsets.UTF_8));
        Path passwordFile = Files.write(dir.resolve("keystore-password"), (TestCertificates.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        protectedWorker = worker()
                .property("agentmon.http.token.file", tokenFile.toString())
                .property("agentmon.http.basic.user", "prometheus")
                .property("agentmon.http.basic.password.hash", hashPassword(PASSWORD))
                .property("agentmon.http.tls.keystore", certificates.serverKeystore.toString())
                .property("agentmon.http.tls.keystore.password.file", passwordFile.toString())
                .sampleWorker("--jobs", "0", "--rate", "50")
                .start();
        mutualWorker = worker()
                .property("agentmon.http.tls.keystore", certificates.serverKeystore.toString())
                .property("agentmon.http.tls.keystore.password", TestCertificates.PASSWORD)
                .property("agentmon.http.tls.client.truststore", certificates.clientTruststore.toString())
                .property("agentmon.http.tls.client.truststore.password", TestCertificates.PASSWORD)
                .sampleWorker("--jobs", "0", "--rate", "50")
                .start();
        protectedPort = protectedWorker.agentPort();
        mutualPort = mutualWorker.agentPort();
    }

    @AfterAll
    static void stopTheWorkers() {
        for (WorkerProcess worker : new WorkerProcess[] {protectedWorker, mutualWorker}) {
            if (worker != null) {
                worker.close();
            }
        }
    }

    private static WorkerProcess.Builder worker() {
        return WorkerProcess.builder(Jdks.current()).demoConfiguration();
    }

    /** The CLI verb, as a user runs it: the password on standard input. */
    private static String hashPassword(String password) throws Exception {
        Process process = new ProcessBuilder(Jdks.current().toString(), "-jar", WorkerProcess.AGENT_JAR.toAbsolutePath().toString(),
                "hash-password").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), out);
        assertTrue(out.matches("pbkdf2-sha256:\\d+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+"), out);
        assertFalse(out.contains(password));
        return out;
    }

    private static HttpClient client(SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(BOUND);
        return (tls == null ? builder : builder.sslContext(tls)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(BOUND);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theStartUpLineSaysHttpsAndNotOpenToEveryone() {
        Matcher line = Pattern.compile("agentmon: \\S+ serving (\\S+)/metrics[^\n]*").matcher(protectedWorker.stderr());
        assertTrue(line.find(), protectedWorker.stderr());
        assertTrue(line.group(1).startsWith("https://127.0.0.1:"), line.group());
        assertFalse(line.group().contains("no authentication"), line.group());
    }

    @Test
    void theTokenIsRequired() throws Exception {
        HttpClient client = client(certificates.clientContext(null));
        String url = "https://127.0.0.1:" + protectedPort + "/metrics";
        HttpResponse<String> missing = get(client, url, null);
        assertEquals(401, missing.statusCode());
        assertTrue(missing.headers().firstValue("WWW-Authenticate").isPresent(), missing.headers().toString());
        assertEquals(401, get(client, url, "Bearer " + TOKEN + "0").statusCode());
        assertEquals(401, get(client, url, "Bearer " + TOKEN.substring(0, TOKEN.length() - 1)).statusCode());
        assertEquals(401, get(client, "https://127.0.0.1:" + protectedPort + "/tasks", null).statusCode());
        assertEquals(401, get(client, "https://127.0.0.1:" + protectedPort + "/events", null).statusCode());
        HttpResponse<String> right = get(client, url, "Bearer " + TOKEN);
        assertEquals(200, right.statusCode());
        assertTrue(right.body().contains("agentmon_task_duration_seconds"), right.body());
    }

    @Test
    void basicAuthWithTheHashedPassword() throws Exception {
        HttpClient client = client(certificates.clientContext(null));
        String url = "https://127.0.0.1:" + protectedPort + "/metrics";
        assertEquals(401, get(client, url, basic("prometheus", PASSWORD + "x")).statusCode());
        assertEquals(401, get(client, url, basic("grafana", PASSWORD)).statusCode());
        assertEquals(200, get(client, url, basic("prometheus", PASSWORD)).statusCode());
    }

    @Test
    void healthProbesNeedNoCredentials() throws Exception {
        HttpClient client = client(certificates.clientContext(null));
        assertEquals(200, get(client, "https://127.0.0.1:" + protectedPort + "/health", null).statusCode());
        HttpResponse<String> ready = get(client, "https://127.0.0.1:" + protectedPort + "/health/ready", null);
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().contains("READY"), ready.body());
    }

    @Test
    void plainHttpOnTheTlsPortGetsNothingAndBlocksNothing() throws Exception {
        long start = System.nanoTime();
        assertThrows(IOException.class, () -> get(client(null), "http://127.0.0.1:" + protectedPort + "/metrics", "Bearer " + TOKEN));
        assertTrue(System.nanoTime() - start < BOUND.toNanos(), "refused at once, not at a timeout");
        // More plain clients than the endpoint has connections: each fails its handshake and frees its slot.
        List<Socket> plain = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", protectedPort), 5_000);
                socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                plain.add(socket);
            }
            for (Socket socket : plain) {
                socket.setSoTimeout(5_000);
                byte[] answer = socket.getInputStream().readAllBytes(); // ends when the server closes
                assertFalse(new String(answer, StandardCharsets.ISO_8859_1).contains("agentmon_"), "no data in plain text");
            }
            HttpClient client = client(certificates.clientContext(null));
            assertEquals(200, get(client, "https://127.0.0.1:" + protectedPort + "/metrics", "Bearer " + TOKEN).statusCode());
        } finally {
            for (Socket socket : plain) {
                socket.close();
            }
        }
    }

    @Test
    void mutualTlsNeedsATrustedClientCertificate() throws Exception {
        String url = "https://127.0.0.1:" + mutualPort + "/metrics";
        assertThrows(IOException.class, () -> get(client(certificates.clientContext(null)), url, null), "no client certificate");
        assertThrows(IOException.class, () -> get(client(certificates.clientContext(certificates.strangerKeystore)), url, null),
                "a certificate the server does not trust");
        HttpResponse<String> trusted = get(client(certificates.clientContext(certificates.clientKeystore)), url, null);
        assertEquals(200, trusted.statusCode());
        assertTrue(trusted.body().contains("agentmon_task_duration_seconds"));
        assertTrue(mutualWorker.stderr().contains("serving https://"), mutualWorker.stderr());
    }

    // ------------------------------------------------------------ misconfiguration: closed, not open

    @Test
    void aMissingKeystoreLeavesTheEndpointClosed() throws Exception {
        failsClosed("agentmon.http.tls.keystore", "agentmon.http.tls.keystore", dir.resolve("missing.p12").toString());
    }

    @Test
    void aWrongKeystorePasswordLeavesTheEndpointClosed() throws Exception {
        failsClosed("agentmon.http.tls.keystore", "agentmon.http.tls.keystore", certificates.serverKeystore.toString(),
                "agentmon.http.tls.keystore.password", "wrong");
    }

    @Test
    void anUnreadableOrEmptyTokenFileLeavesTheEndpointClosed() throws Exception {
        failsClosed("agentmon.http.token.file", "agentmon.http.token.file", dir.resolve("no-such-token").toString());
        Path empty = Files.write(dir.resolve("empty-token"), "  \n".getBytes(StandardCharsets.UTF_8));
        failsClosed("agentmon.http.token.file", "agentmon.http.token.file", empty.toString());
    }

    /** A device or a FIFO named as a secret file: never read without end, never waited on. */
    @Test
    void aTokenFileThatIsADeviceOrAFifoLeavesTheEndpointClosed() throws Exception {
        failsClosed("agentmon.http.token.file", "agentmon.http.token.file", "/dev/zero");
        Path fifo = dir.resolve("token-fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        failsClosed("agentmon.http.token.file", "agentmon.http.token.file", fifo.toString());
        failsClosed("agentmon.http.tls.keystore", "agentmon.http.tls.keystore", "/dev/zero");
    }

    @Test
    void strictModeRefusesToStartWithAMissingKeystore() throws Exception {
        Path workDir = Files.createDirectories(dir.resolve("cwd"));
        try (WorkerProcess worker = worker()
                .property("agentmon.strict", "true")
                .property("agentmon.http.tls.keystore", dir.resolve("missing.p12").toString())
                .directory(workDir)
                .sampleWorker("--jobs", "0", "--rate", "10")
                .start()) {
            int exit = worker.awaitExit(60);
            String output = worker.stdout() + worker.stderr();
            assertNotEquals(0, exit, output);
            assertTrue(output.contains("agentmon.http.tls.keystore"), output);
            assertFalse(worker.stdout().contains("sample-worker:"), "the worker's main ran:\n" + output);
        }
    }

    /** Starts a worker with the settings; the agent must print one line naming {@code key} and serve nothing. */
    private static void failsClosed(String key, String... settings) throws Exception {
        WorkerProcess.Builder builder = worker();
        for (int i = 0; i + 1 < settings.length; i += 2) {
            builder.property(settings[i], settings[i + 1]);
        }
        try (WorkerProcess worker = builder.sampleWorker("--jobs", "0", "--rate", "10").start()) {
            worker.waitFor(60, "a line naming " + key, () -> worker.stderr().lines()
                    .anyMatch(line -> line.startsWith("agentmon: " + key) || line.startsWith("agentmon: ") && line.contains(key + ":")));
            Thread.sleep(500);
            String stderr = worker.stderr();
            assertFalse(stderr.contains(" serving http"), "served anyway:\n" + stderr);
            long lines = stderr.lines().filter(line -> line.startsWith("agentmon: ")).count();
            assertEquals(1, lines, "one line:\n" + stderr);
            assertTrue(worker.isAlive(), "the worker runs on\n" + stderr);
        }
    }
}

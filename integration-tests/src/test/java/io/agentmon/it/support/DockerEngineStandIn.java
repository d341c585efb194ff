package io.agentmon.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Docker Engine API on loopback, speaking its HTTP protocol for the
 * container calls docker-java makes: create, start, stop, kill, remove. It keeps the engine's
 * own view (which containers exist and run, and what each was given), for the test to compare
 * with the agent's numbers. There is no Docker engine on this machine; this is the real
 * protocol, not a mock of the client.
 */
public final class DockerEngineStandIn implements AutoCloseable {

    private static final Pattern PATH = Pattern.compile("(?:/v[0-9.]+)?/containers/(?:create|([0-9a-f]+)(/start|/stop|/kill)?)");

    private final HttpServer server;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private int failedCreates;

    /** What the engine knows of one container. */
    public static final class Container {
        public final double cpus;
        public final long memoryBytes;
        public boolean running;

        Container(double cpus, long memoryBytes) {
            this.cpus = cpus;
            this.memoryBytes = memoryBytes;
        }
    }

    public DockerEngineStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public String host() {
        return "tcp://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
        String method = exchange.getRequestMethod();
        if (exchange.getRequestURI().getPath().endsWith("/_ping")) {
            respond(exchange, 200, "OK");
        } else if (exchange.getRequestURI().getPath().endsWith("/version")) {
            respond(exchange, 200, "{\"ApiVersion\":\"1.43\",\"Version\":\"24.0.0\",\"MinAPIVersion\":\"1.12\"}");
        } else if (!path.matches()) {
            respond(exchange, 404, "{\"message\":\"page not found\"}");
        } else if (path.group(1) == null && "POST".equals(method)) {
            create(exchange, body);
        } else {
            Container container = containers.get(path.group(1));
            String action = path.group(2);
            if (container == null) {
                respond(exchange, 404, "{\"message\":\"No such container: " + path.group(1) + "\"}");
            } else if ("DELETE".equals(method) && action == null) {
                containers.remove(path.group(1));
                respond(exchange, 204, null);
            } else if ("/start".equals(action)) {
                container.running = true;
                respond(exchange, 204, null);
            } else if ("/stop".equals(action) || "/kill".equals(action)) {
                container.running = false;
                respond(exchange, 204, null);
            } else {
                respond(exchange, 405, "{\"message\":\"not supported by the stand-in\"}");
            }
        }
    }

    private void create(HttpExchange exchange, String body) throws IOException {
        if (body.contains("\"Image\":\"missing:latest\"")) {
            failedCreates++;
            respond(exchange, 404, "{\"message\":\"No such image: missing:latest\"}");
            return;
        }
        long nanoCpus = number(body, "NanoCpus");
        long quota = number(body, "CpuQuota");
        long period = number(body, "CpuPeriod");
        double cpus = nanoCpus > 0 ? nanoCpus / 1e9 : quota > 0 ? quota / (double) (period > 0 ? period : 100_000) : 0;
        String id = String.format("%064x", nextId.getAndIncrement());
        containers.put(id, new Container(cpus, number(body, "Memory")));
        respond(exchange, 201, "{\"Id\":\"" + id + "\",\"Warnings\":[]}");
    }

    private static long number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The engine's containers now, by id. */
    public synchronized Map<String, Container> containers() {
        return new LinkedHashMap<>(containers);
    }

    /** Containers created, including those removed since. */
    public int successfulCreates() {
        return nextId.get() - 1;
    }

    public synchronized int failedCreates() {
        return failedCreates;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

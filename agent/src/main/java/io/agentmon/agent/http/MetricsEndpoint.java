package io.agentmon.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.agentmon.agent.AgentLog;
import io.agentmon.agent.metrics.History;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The embedded HTTP endpoint, on the JDK's built-in server.
 *
 * <p>Two handler threads at most, with a short queue; when both are busy the server's own
 * dispatcher thread handles the request itself, so a flood of scrapes slows only the agent's
 * threads, never the worker's. Every thread is a daemon: the JDK starts its dispatcher as a
 * copy of the calling thread's daemon status, so {@link #start} must run on a daemon thread.
 */
public final class MetricsEndpoint {

    private final HttpServer server;
    private History history = new History(java.util.Collections.emptyMap(), false);

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Binds the port; throws if it cannot (the caller reports it). */
    public static MetricsEndpoint bind(String host, int port) throws IOException {
        return new MetricsEndpoint(HttpServer.create(new InetSocketAddress(host, port), 50));
    }

    /** Starts serving; call from a daemon thread. */
    public void start(PrometheusRegistry registry, Supplier<String> readiness, boolean taskStacks) {
        Map<String, HttpHandler> routes = new HashMap<>();
        routes.put("/", new PageHandler());
        routes.put("/metrics/summary", exchange -> Responses.json(exchange, 200, history.summaryJson()));
        routes.put("/metrics", new MetricsHandler(registry));
        routes.put("/health", exchange -> Responses.json(exchange, 200, "{\"status\":\"UP\"}"));
        routes.put("/health/ready", exchange -> Responses.json(exchange, 200, readiness.get()));
        routes.put("/tasks", new TasksHandler(taskStacks));
        routes.put("/events", new EventsHandler()); // streams are written by their own threads, not these
        server.createContext("/", exchange -> route(routes, exchange));
        ThreadPoolExecutor handlers = new ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(8), runnable -> {
                    Thread thread = new Thread(runnable, "agentmon-http");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(handlers);
        server.start();
    }

    private static void route(Map<String, HttpHandler> routes, HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            HttpHandler handler = routes.get(exchange.getRequestURI().getPath());
            if (handler == null) {
                Responses.text(exchange, 404, "not found; try /metrics, /tasks, /health or /health/ready\n");
            } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                Responses.text(exchange, 405, "method not allowed\n");
            } else {
                handler.handle(exchange);
            }
        } catch (IOException e) {
            exchange.close(); // the client went away; nothing to report
        } catch (RuntimeException e) {
            AgentLog.warn("request " + exchange.getRequestURI() + " failed: " + e);
            exchange.close();
        }
    }

    /** The history {@code /metrics/summary} and the page show; set before {@link #start}. */
    public void history(History history) {
        this.history = history;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }
}

package io.agentmon.agent.http;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.agent.config.HttpConfig;
import io.agentmon.agent.http.server.HttpServer;
import io.agentmon.agent.http.server.Response;
import io.agentmon.agent.http.server.ServerOptions;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The embedded HTTP endpoint, on agentmon's own server ({@link HttpServer}): its paths, their
 * protection, and the limits every connection is held to.
 */
public final class Endpoint {

    /** How long one write of an event stream may block before the client is dropped. */
    private static final long STREAM_WRITE_TIMEOUT_NANOS = 10_000_000_000L;

    private final HttpServer server;
    private final Protection protection;

    private Endpoint(HttpServer server, Protection protection) {
        this.server = server;
        this.protection = protection;
    }

    /**
     * Reads the protection settings, binds and serves. Throws if the port cannot be bound or the
     * protection cannot be set up (the message names the key); nothing is served then.
     */
    public static Endpoint start(String host, int port, HttpConfig config, Supplier<PrometheusRegistry> registry,
            HistogramKinds histograms, Supplier<String> readiness, boolean taskStacks, Supplier<String> summary)
            throws IOException {
        Protection protection = Protection.from(config);
        Routes routes = new Routes(protection.credentials)
                .add("/", new PageHandler())
                .add("/metrics/summary", request -> Response.json(200, summary.get()))
                .add("/metrics", new MetricsHandler(registry, histograms))
                .add("/health", request -> Response.json(200, "{\"status\":\"UP\"}"))
                .add("/health/ready", request -> Response.json(200, readiness.get()));
        if (config.tasks()) {
            routes.add("/tasks", new TasksHandler(taskStacks));
        } else {
            routes.off("/tasks", "agentmon.http.tasks");
        }
        if (config.events()) {
            routes.add("/events", new LiveFeedHandler()); // streams are written by their own threads
        } else {
            routes.off("/events", "agentmon.http.events");
        }
        ServerOptions options = new ServerOptions(config.connections(), config.requestTimeoutNanos(),
                config.responseTimeoutNanos(), config.idleTimeoutNanos(),
                Math.min(STREAM_WRITE_TIMEOUT_NANOS, config.responseTimeoutNanos()),
                protection.tls, protection.clientCertificates);
        try {
            return new Endpoint(HttpServer.start(new InetSocketAddress(host, port), options, routes, AgentLog::warn),
                    protection);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + host + ":" + port + " (agentmon.host, agentmon.port): "
                    + e.getMessage(), e);
        }
    }

    /** Closes the port and every connection; their threads end. */
    public void stop() {
        server.stop();
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public boolean isTls() {
        return protection.tls != null;
    }

    /** Whether every request but the health probes needs credentials. */
    public boolean isAuthenticated() {
        return !protection.credentials.isOpen();
    }
}

package io.agentmon.agent.http.server;

import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** The limits a {@link HttpServer} holds every connection to, and its TLS, if any. */
public final class ServerOptions {

    /** A head that has not arrived this long after the connection opened may be evicted for a new one. */
    static final long EVICTION_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * Requests handled at once, however many connections are open: rendering a scrape is CPU
     * work taken from the worker's cores, so a burst of scrapes queues for these instead of
     * running 32 wide. Waiting counts against the response deadline.
     */
    static final int HANDLERS_AT_ONCE = 2;

    final int connections;
    final long requestTimeoutNanos;
    final long responseTimeoutNanos;
    final long idleTimeoutNanos;
    final long streamWriteTimeoutNanos;
    final SSLContext tls;
    final boolean clientCertificates;

    /**
     * @param tls null for plain HTTP
     * @param clientCertificates with TLS, require a client certificate the context trusts
     */
    public ServerOptions(int connections, long requestTimeoutNanos, long responseTimeoutNanos, long idleTimeoutNanos,
            long streamWriteTimeoutNanos, SSLContext tls, boolean clientCertificates) {
        if (connections < 1) {
            throw new IllegalArgumentException("at least one connection");
        }
        this.connections = connections;
        this.requestTimeoutNanos = requestTimeoutNanos;
        this.responseTimeoutNanos = responseTimeoutNanos;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.streamWriteTimeoutNanos = streamWriteTimeoutNanos;
        this.tls = tls;
        this.clientCertificates = clientCertificates;
    }

    public boolean isTls() {
        return tls != null;
    }
}

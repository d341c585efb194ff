package io.agentmon.agent.otlp.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Where a sender sends (host, port, TLS or not) and the one connection it keeps there: opened
 * when a call needs one, dropped when a call spoiled it or the server is done with it, and
 * closed by a shutdown without waiting for the call that may be using it. Calls are one at a
 * time (the sender's lock); only shutdown comes from elsewhere.
 */
final class Collector<C extends Collector.Connection> {

    /** A connection as the collector keeps it. */
    interface Connection extends Closeable {
        /** False once it cannot take another request. */
        boolean usable();

        @Override
        void close();
    }

    /** Opens a connection within {@code timeoutMillis}. */
    interface Opener<C> {
        C open(String host, int port, SSLSocketFactory tls, int timeoutMillis) throws IOException;
    }

    final String scheme;
    final String host;
    final int port;
    final String authority;
    private final SSLSocketFactory tls;
    private final long connectTimeoutNanos;
    private final Opener<C> opener;

    private volatile C connection;
    private volatile boolean shutdown;

    /** {@code context} null: the JVM's default trust (javax.net.ssl.trustStore). */
    Collector(URI target, SSLContext context, long connectTimeoutNanos, Opener<C> opener) {
        this.scheme = target.getScheme() == null ? "http" : target.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https");
        this.host = target.getHost();
        this.port = target.getPort() >= 0 ? target.getPort() : secure ? 443 : 80;
        this.authority = target.getRawAuthority();
        this.tls = !secure ? null : context != null ? context.getSocketFactory() : (SSLSocketFactory) SSLSocketFactory.getDefault();
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.opener = opener;
    }

    /** Whether a kept connection would take the next request (else one is opened for it). */
    boolean keeps() {
        C kept = connection;
        return kept != null && kept.usable();
    }

    /** The kept connection, or a new one opened by {@code deadlineNanos} at the latest. */
    C connection(long deadlineNanos) throws IOException {
        if (shutdown) {
            throw new IOException("the sender to " + authority + " is shut down");
        }
        C kept = connection;
        if (kept != null && kept.usable()) {
            return kept;
        }
        drop();
        long left = Math.min(connectTimeoutNanos, deadlineNanos - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("no time left to connect to " + authority);
        }
        C opened = opener.open(host, port, tls, (int) Math.min(Integer.MAX_VALUE, left / 1_000_000L));
        connection = opened;
        return opened;
    }

    void drop() {
        C kept = connection;
        if (kept != null) {
            kept.close();
            connection = null;
        }
    }

    /** Drops the kept connection if the last call left it unable to take another. */
    void dropIfDone() {
        C kept = connection;
        if (kept != null && !kept.usable()) {
            drop();
        }
    }

    /** Closes the kept connection, which ends a call blocked on it; calls after this fail. */
    void shutdown() {
        shutdown = true;
        C kept = connection;
        if (kept != null) {
            kept.close();
        }
    }
}

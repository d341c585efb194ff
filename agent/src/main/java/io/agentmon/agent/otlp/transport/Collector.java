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
 * when an exchange needs one, dropped when an exchange spoiled it or the server is done with it,
 * and closed by a shutdown without waiting for the exchange that may be using it. Exchanges are
 * one at a time (the sender's lock); only shutdown comes from elsewhere.
 */
final class Collector<C extends Collector.Connection> {

    /** A connection as the collector keeps it. */
    interface Connection extends Closeable {
        /** False once it cannot take another request. */
        boolean usable();

        @Override
        void close();
    }

    /** One request and its answer on a connection. */
    interface Exchange<C, A> {
        A run(C connection) throws IOException;
    }

    /** Opens a connection within {@code timeoutMillis}. */
    interface Opener<C> {
        C open(String host, int port, SSLSocketFactory tls, int timeoutMillis) throws IOException;
    }

    final String scheme;
    private final String host;
    private final int port;
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

    /**
     * Runs {@code exchange} on the kept connection, or a new one, by {@code deadlineNanos}: cut
     * off there if still going ({@link Deadlines}), sent once more on a new connection when the
     * server did not take it ({@link Unprocessed}). A connection an exchange failed on is
     * dropped (it may be mid-request), and so is one the server is done with.
     */
    <A> A exchange(long deadlineNanos, Exchange<C, A> exchange) throws IOException {
        try {
            try {
                return once(deadlineNanos, exchange);
            } catch (Unprocessed e) {
                drop();
                return once(deadlineNanos, exchange);
            }
        } catch (IOException | RuntimeException e) {
            drop();
            throw e;
        } finally {
            C kept = connection;
            if (kept != null && !kept.usable()) {
                drop();
            }
        }
    }

    private <A> A once(long deadlineNanos, Exchange<C, A> exchange) throws IOException {
        C connection = connection(deadlineNanos);
        return Deadlines.guarded(connection, deadlineNanos, () -> exchange.run(connection));
    }

    /** The kept connection, or a new one opened by {@code deadlineNanos} at the latest. */
    private C connection(long deadlineNanos) throws IOException {
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

    private void drop() {
        C kept = connection;
        if (kept != null) {
            kept.close();
            connection = null;
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

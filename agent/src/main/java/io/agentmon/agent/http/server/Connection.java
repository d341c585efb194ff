package io.agentmon.agent.http.server;

import java.io.IOException;
import java.net.Socket;

/**
 * One accepted connection and the one deadline it is held to. The deadline is enforced by the
 * {@link Watchdog} closing the plain socket, which unblocks a read or write in progress, TLS
 * included (the TLS socket is layered on the plain one).
 */
final class Connection {

    /** What the connection is doing, which decides which deadline applies and whether it may be evicted. */
    enum Phase {
        /** Waiting for, or reading, a request head (the TLS handshake included). */
        HEAD,
        /** Keep-alive, between requests: no byte of the next one yet. */
        IDLE,
        /** Handling a request and writing its response. */
        BUSY,
        /** Streaming a body: each write has a deadline of its own. */
        STREAM
    }

    static final long NONE = Long.MAX_VALUE;

    final Socket plain;
    private volatile Phase phase = Phase.HEAD;
    private volatile long phaseSince;
    private volatile long deadline;
    private volatile boolean closed;

    Connection(Socket plain, long acceptedNanos, long requestTimeoutNanos) {
        this.plain = plain;
        this.phaseSince = acceptedNanos;
        this.deadline = acceptedNanos + requestTimeoutNanos;
    }

    /** Enters a phase with a deadline {@code timeoutNanos} from now ({@link #NONE}: no deadline). */
    void enter(Phase next, long timeoutNanos) {
        long now = System.nanoTime();
        phase = next;
        phaseSince = now;
        deadline = timeoutNanos == NONE ? NONE : now + timeoutNanos;
    }

    /** A deadline for one write while streaming; {@link #NONE} clears it. */
    void writeDeadline(long timeoutNanos) {
        deadline = timeoutNanos == NONE ? NONE : System.nanoTime() + timeoutNanos;
    }

    Phase phase() {
        return phase;
    }

    long phaseSince() {
        return phaseSince;
    }

    boolean expired(long now) {
        long due = deadline;
        return due != NONE && now - due > 0;
    }

    /**
     * May the acceptor close this one to make room: idle keep-alive, or a head that has not
     * arrived within {@code graceNanos} (a client that is slow or stalled, not one in flight).
     */
    boolean evictable(long now, long graceNanos) {
        Phase current = phase;
        return current == Phase.IDLE || current == Phase.HEAD && now - phaseSince > graceNanos;
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        try {
            plain.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}

package io.agentmon.agent.http.server;

import java.util.ArrayList;
import java.util.List;

/** The open connections, at most {@code limit}; a connection holds its slot until {@link #remove}. */
final class ConnectionTable {

    private final int limit;
    private final List<Connection> open = new ArrayList<>();

    ConnectionTable(int limit) {
        this.limit = limit;
    }

    synchronized boolean tryAdd(Connection connection) {
        if (open.size() >= limit) {
            return false;
        }
        open.add(connection);
        return true;
    }

    /** Frees the slot; a connection already removed (evicted) is ignored. */
    synchronized void remove(Connection connection) {
        if (open.remove(connection)) {
            notifyAll();
        }
    }

    /**
     * Takes the evictable connection that has been in its phase longest out of the table, or
     * returns null; the caller closes it. Its slot is free from here, so the acceptor does not
     * wait for the evicted connection's thread to notice.
     */
    synchronized Connection evictOldest(long now, long graceNanos) {
        Connection oldest = null;
        for (Connection connection : open) {
            if (connection.evictable(now, graceNanos)
                    && (oldest == null || connection.phaseSince() - oldest.phaseSince() < 0)) {
                oldest = connection;
            }
        }
        if (oldest != null) {
            open.remove(oldest);
        }
        return oldest;
    }

    /** Waits for a slot to be freed, at most {@code millis}. */
    synchronized void awaitRemoval(long millis) throws InterruptedException {
        if (open.size() >= limit) {
            wait(millis);
        }
    }

    synchronized Connection[] snapshot() {
        return open.toArray(new Connection[0]);
    }

    synchronized int size() {
        return open.size();
    }
}

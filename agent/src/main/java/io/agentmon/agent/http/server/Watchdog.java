package io.agentmon.agent.http.server;

import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that closes every connection past its deadline: a request head too slow to
 * arrive, a keep-alive connection idle too long, a response or stream write the client does
 * not take. Closing the socket is the one way that interrupts a blocked socket read or write.
 */
final class Watchdog implements Runnable {

    static final long PERIOD_NANOS = 100_000_000L;

    private final ConnectionTable table;
    private volatile boolean running = true;

    Watchdog(ConnectionTable table) {
        this.table = table;
    }

    @Override
    public void run() {
        while (running) {
            long now = System.nanoTime();
            for (Connection connection : table.snapshot()) {
                if (connection.expired(now)) {
                    connection.close();
                    table.remove(connection);
                }
            }
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    void stop() {
        running = false;
    }
}

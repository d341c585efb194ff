package com.acme.worker.remote;

import com.acme.worker.NamedThreadFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A simulated remote service: each call is answered on the client's own small thread pool
 * after the given latency. Like a real connection pool, when all threads are busy calls wait
 * in line, which makes them slower still.
 */
public final class RemoteService {

    private final ExecutorService connections;

    public RemoteService(int connections) {
        // Daemon threads: an abandoned call must never keep the JVM alive.
        this.connections = Executors.newFixedThreadPool(connections, new NamedThreadFactory("remote", true));
    }

    /** Sends a request; the reply arrives after {@code latencyMillis}. Cancelling interrupts the call. */
    public Future<String> call(String request, long latencyMillis) {
        return connections.submit(() -> {
            Thread.sleep(latencyMillis);
            return "reply to " + request;
        });
    }

    /** Drops any calls still in flight. */
    public void shutdown() {
        connections.shutdownNow();
    }
}

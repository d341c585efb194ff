package com.acme.worker.remote;

import com.acme.worker.NamedThreadFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated remote service: each call is answered on the client's own small thread pool
 * after the given latency. Like a real connection pool, when all threads are busy calls wait
 * in line, which makes them slower still.
 */
public final class RemoteService {

    private final ExecutorService connections;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong interrupted = new AtomicLong();

    public RemoteService(int connections) {
        // Daemon threads: an abandoned call must never keep the JVM alive.
        this.connections = Executors.newFixedThreadPool(connections, new NamedThreadFactory("remote", true));
    }

    /** Sends a request; the reply arrives after {@code latencyMillis}. Cancelling interrupts the call. */
    public Future<String> call(String request, long latencyMillis) {
        return connections.submit(() -> answer(request, latencyMillis));
    }

    /** The remote side of one call, on a connection thread; a cancelled call is interrupted. */
    public String answer(String request, long latencyMillis) throws InterruptedException {
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            throw e;
        }
        answered.incrementAndGet();
        return "reply to " + request;
    }

    /** Calls answered. */
    public long answered() {
        return answered.get();
    }

    /** Calls interrupted while being answered (their caller gave up and cancelled them). */
    public long interrupted() {
        return interrupted.get();
    }

    /** Drops any calls still in flight and waits (briefly) for their threads, so the counts are final. */
    public void shutdown() throws InterruptedException {
        connections.shutdownNow();
        connections.awaitTermination(10, TimeUnit.SECONDS);
    }
}

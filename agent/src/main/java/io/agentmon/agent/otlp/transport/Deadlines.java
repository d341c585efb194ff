package io.agentmon.agent.otlp.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends a call that outlives its deadline by closing its connection. A socket read has a
 * timeout; a write has none, and a collector that stops reading would hold the exporting
 * thread in it for good. One daemon thread for every sender, started by the first call; it
 * waits parked in Java, never in native code, so the JVM's exit does not wait for it.
 */
final class Deadlines {

    private Deadlines() {
    }

    /** The thread, made by the first call: a worker without OTLP never starts it. */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor EXECUTOR = make();

        private static ScheduledThreadPoolExecutor make() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "agentmon-otlp-deadlines");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true); // a call that ends in time leaves nothing queued
            return executor;
        }
    }

    /** One exchange on a connection. */
    interface Exchange<A> {
        A run() throws IOException;
    }

    /**
     * Runs {@code exchange}, closing {@code connection} at {@code deadlineNanos} if it is still
     * going then (a stalled write included), in which case it fails as a timeout.
     */
    static <A> A guarded(Closeable connection, long deadlineNanos, Exchange<A> exchange) throws IOException {
        ScheduledFuture<?> guard = closeAt(connection, deadlineNanos);
        try {
            return exchange.run();
        } catch (IOException e) {
            throw System.nanoTime() - deadlineNanos >= 0 ? late(e) : e;
        } finally {
            guard.cancel(false);
        }
    }

    /** What a call cut off at its deadline says, whatever the closed socket made of it. */
    private static IOException late(IOException failure) {
        if (failure instanceof SocketTimeoutException) {
            return failure;
        }
        SocketTimeoutException late = new SocketTimeoutException("no answer in time: the call was cut off at its deadline");
        late.initCause(failure);
        return late;
    }

    /** Closes {@code connection} at {@code deadlineNanos} ({@link System#nanoTime()}) unless the returned guard is cancelled first. */
    private static ScheduledFuture<?> closeAt(Closeable connection, long deadlineNanos) {
        return Timer.EXECUTOR.schedule(() -> {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closed is what was wanted
            }
        }, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}

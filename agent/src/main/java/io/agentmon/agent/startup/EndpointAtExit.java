package io.agentmon.agent.startup;

import io.agentmon.agent.http.Endpoint;
import io.agentmon.agent.metrics.InFlightSnapshot;

/**
 * Closes the endpoint when the JVM exits, once no task is in flight. HotSpot's exit waits up to
 * 0.3 s for every thread blocked in native code ({@code VM_Exit::wait_for_threads_in_native_to_block}),
 * and the endpoint's acceptor and its connections' threads are, in {@code accept} and
 * {@code read}: left open, they made every worker exit 0.3 s late. A worker whose work is done
 * closes it at once; one still draining runs keeps it, so that the drain can be scraped, until
 * the last of them ends.
 */
final class EndpointAtExit {

    private static final long POLL_MILLIS = 10;

    private EndpointAtExit() {
    }

    static void register(Endpoint endpoint) {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeWhenIdle(endpoint), "agentmon-endpoint-exit"));
        } catch (IllegalStateException shuttingDown) {
            closeWhenIdle(endpoint); // the port was bound as the JVM began to exit
        }
    }

    /**
     * From the shutdown hook, which must not hold the exit up: closes now when nothing runs, else
     * leaves it to a daemon thread, which the exit does not wait for.
     */
    private static void closeWhenIdle(Endpoint endpoint) {
        if (idle()) {
            endpoint.stop();
            return;
        }
        Thread watcher = new Thread(() -> {
            try {
                while (!idle()) {
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            endpoint.stop();
        }, "agentmon-endpoint-exit-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static boolean idle() {
        return InFlightSnapshot.take().runs().isEmpty();
    }
}

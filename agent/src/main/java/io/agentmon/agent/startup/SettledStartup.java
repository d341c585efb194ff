package io.agentmon.agent.startup;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Waits, on an agent thread, until the worker's start-up has settled: no class loaded for
 * {@link #QUIET_NANOS}, or {@link #AT_MOST_NANOS} after the wait began, whichever comes first.
 * What the agent does next (binding the port, Micrometer's binders) then no longer competes with
 * the worker's own start for the cores.
 */
final class SettledStartup {

    /** A pause in class loading this long says the worker's start-up is past (a start loads classes in bursts well under it apart). */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** A worker that never stops loading classes (generated code, say) waits no longer than this. */
    static final long AT_MOST_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long POLL_MILLIS = 50;

    private SettledStartup() {
    }

    /** Returns once {@code quietNanos} reports at least {@code quiet} or {@code atMost} has passed; false if interrupted. */
    static boolean await(LongSupplier quietNanos, long quiet, long atMost) {
        long deadline = System.nanoTime() + atMost;
        while (quietNanos.getAsLong() < quiet && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}

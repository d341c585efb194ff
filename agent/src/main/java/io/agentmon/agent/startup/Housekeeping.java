package io.agentmon.agent.startup;

import io.agentmon.bootstrap.Containers;
import io.agentmon.bootstrap.QueueWaits;
import io.agentmon.bootstrap.Traces;
import java.util.concurrent.TimeUnit;

/**
 * The one owner that maintains the bootstrap's tables of things in transit: every
 * {@link #INTERVAL_SECONDS} seconds one agent daemon thread ({@code agentmon-housekeeping}) frees
 * the queue-wait entries of tasks that never left their queue through a path the agent sees,
 * forgets containers left created or stopped and unchanged for a day, and frees the trace
 * contexts of tasks handed to a pool that never ran them. Nothing else frees entries: the scrape,
 * the summary and the exporters only read, so a worker that nobody scrapes stays as tidy as one
 * scraped every second.
 *
 * <p>A plain thread, not a scheduled pool: the agent's own pools would go through the woven
 * executor code and the very queue-wait table this thread sweeps.
 */
final class Housekeeping {

    static final long INTERVAL_SECONDS = 10;
    /** Queued tasks not taken within this long are forgotten (their wait is counted as not measured). */
    static final long QUEUE_WAIT_MAX_NANOS = TimeUnit.HOURS.toNanos(2);
    /** Containers created but never started, or stopped and never removed, are forgotten after this long unchanged. */
    static final long CONTAINER_IDLE_NANOS = TimeUnit.HOURS.toNanos(24);
    /** A hop context whose task has not run in this long is forgotten. */
    static final long HANDOFF_MAX_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final long queueWaitMaxNanos;
    private final long containerIdleNanos;
    private final long handoffMaxNanos;

    /** With the ages above. */
    Housekeeping() {
        this(QUEUE_WAIT_MAX_NANOS, CONTAINER_IDLE_NANOS, HANDOFF_MAX_NANOS);
    }

    Housekeeping(long queueWaitMaxNanos, long containerIdleNanos, long handoffMaxNanos) {
        this.queueWaitMaxNanos = queueWaitMaxNanos;
        this.containerIdleNanos = containerIdleNanos;
        this.handoffMaxNanos = handoffMaxNanos;
    }

    /** One round over every table; only the housekeeping thread (or a test) calls it. */
    void sweep() {
        QueueWaits.sweepOlderThan(queueWaitMaxNanos);
        Containers.forgetStale(containerIdleNanos);
        Traces.sweepOlderThan(handoffMaxNanos);
    }

    /** Starts the daemon thread; its first round comes one interval from now. */
    void start() {
        Thread thread = new Thread(this::run, "agentmon-housekeeping");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (true) {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(INTERVAL_SECONDS));
                sweep();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                // Never out of the loop: without this thread the tables would only ever fill.
            }
        }
    }
}

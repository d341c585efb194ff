package io.agentmon.agent.summary;

import io.agentmon.agent.metrics.PoolNames;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's own short memory, for {@code GET /metrics/summary} and the page at {@code GET /}:
 * every {@link History#INTERVAL_SECONDS} seconds one agent daemon thread ({@code agentmon-history})
 * takes a {@link Reading} of the same snapshots the collectors read at scrape time and adds it to
 * the {@link History}; a request renders the history and a fresh reading as {@link SummaryJson}.
 * The worker's threads do nothing more than before, and nothing here writes what it reads.
 *
 * <p>Sampling and rendering synchronise on this object, on agent threads only.
 */
public final class Summary {

    private final WorkerIdentity worker;
    private final PoolNames poolNames;
    private final boolean containersConfigured;
    private final History history = new History();
    private volatile ScheduledThreadPoolExecutor sampler;

    /** {@code service}, {@code version}: the worker's service label and the agent's version, as {@code agentmon_info} has them. */
    public Summary(String service, String version, Map<String, String> poolNameOverrides, boolean containersConfigured) {
        this.worker = new WorkerIdentity(service, version);
        this.poolNames = new PoolNames(poolNameOverrides);
        this.containersConfigured = containersConfigured;
    }

    /** Starts the sampling thread (a daemon); samples once at once, then every interval. */
    public void start() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "agentmon-history");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.scheduleAtFixedRate(this::sampleQuietly, 0, History.INTERVAL_SECONDS, TimeUnit.SECONDS);
        sampler = executor;
    }

    public void stop() {
        ScheduledThreadPoolExecutor executor = sampler;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (Throwable e) {
            // Never out of the sampler: a thrown exception would cancel every later sample.
        }
    }

    /** Takes one sample now. */
    synchronized void sample() {
        history.add(Reading.take(poolNames, containersConfigured));
    }

    /** {@code GET /metrics/summary}: current values, rate windows and the history, as JSON. */
    public synchronized String json() {
        return SummaryJson.render(worker, Reading.take(poolNames, containersConfigured), history);
    }
}

package io.agentmon.bootstrap;

/**
 * What woven timeout sources call: a worker's own timeout handler, and the JDK's futures when
 * {@code get(timeout, unit)} gives up or {@code orTimeout} fires. These are rare events, so
 * finding the task to blame may read a few in-flight slots; it still takes no lock and
 * allocates nothing.
 *
 * <p><b>Threads.</b> Called by the worker thread that saw the timeout. It counts the timeout to
 * the task it finds by reading in-flight slots (for a future, the run of the thread that was to
 * complete it, else its own), and marks its own innermost run in {@link InFlight}: only a slot's
 * owner writes the slot's timeout mark. Agent threads only read the counts.
 */
public final class TimeoutProbes {

    private static volatile int unknownProbe = -1;

    private TimeoutProbes() {
    }

    /** The recorder that takes timeouts no task can be found for (label {@code unknown}). */
    public static void useUnknown(int probeId) {
        unknownProbe = probeId;
    }

    /**
     * A configured timeout handler was called: counted for the task running on this thread,
     * else for the handler's own label.
     */
    public static void handlerCalled(int handlerProbeId) {
        int probe = InFlight.innermostProbe(Thread.currentThread());
        int target = probe >= 0 ? probe : handlerProbeId;
        TaskRecorders.get(target).counting().handlerTimeouts.increment();
        InFlight.timeoutSeenByCurrentThread();
        if (LiveFeed.active) {
            LiveFeed.timeout(target, LiveFeed.REASON_HANDLER);
        }
    }

    /** A timeout handler whose matcher gave it a label of its own: always counted there. */
    public static void labelledHandlerCalled(int handlerProbeId) {
        TaskRecorders.get(handlerProbeId).counting().handlerTimeouts.increment();
        if (LiveFeed.active) {
            LiveFeed.timeout(handlerProbeId, LiveFeed.REASON_HANDLER);
        }
    }

    /**
     * {@code get(timeout, unit)} threw a TimeoutException. Blamed on the task the future's
     * runner thread is running (when the agent can see it), else the waiting thread's task,
     * else {@code unknown}.
     */
    public static void futureTimedOut(Thread runner) {
        int probe = InFlight.innermostProbe(runner);
        if (probe < 0) {
            probe = InFlight.innermostProbe(Thread.currentThread());
        }
        count(probe);
        // The waiting run saw it: if that run now throws this TimeoutException on, it is one timeout, not two.
        InFlight.timeoutSeenByCurrentThread();
    }

    /** A CompletableFuture was completed with a TimeoutException ({@code orTimeout}, or by hand). */
    public static void futureCompletedByTimeout() {
        count(InFlight.innermostProbe(Thread.currentThread()));
    }

    private static void count(int probe) {
        int target = probe >= 0 ? probe : unknownProbe;
        if (target >= 0) {
            TaskRecorders.get(target).counting().futureTimeouts.increment();
            if (LiveFeed.active) {
                LiveFeed.timeout(target, LiveFeed.REASON_FUTURE);
            }
        }
    }
}

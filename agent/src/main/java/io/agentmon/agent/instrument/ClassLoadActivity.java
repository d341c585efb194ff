package io.agentmon.agent.instrument;

/**
 * When the worker last loaded a class, as the transformer sees every load: how the agent tells
 * that the worker's start-up is past, so that its own slow start (Micrometer's binders) does not
 * compete with the worker's for the cores. agentmon's own classes, and the others no list may
 * weave ({@link WeavingRoutes#IGNORED}), do not count.
 */
public final class ClassLoadActivity {

    private volatile long lastLoadNanos = System.nanoTime();

    /** From the transformer, on the loading thread: a few prefix tests, one clock read and one store. */
    void loaded(String className) {
        for (String prefix : WeavingRoutes.IGNORED) {
            if (className.startsWith(prefix)) {
                return;
            }
        }
        lastLoadNanos = System.nanoTime();
    }

    /** How long no class of the worker's (or the JDK's) has loaded. */
    public long quietNanos() {
        return System.nanoTime() - lastLoadNanos;
    }
}

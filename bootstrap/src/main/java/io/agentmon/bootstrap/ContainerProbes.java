package io.agentmon.bootstrap;

/**
 * What woven container code calls: the worker's own allocator ({@code agentmon.docker}) and
 * the docker-java client, built in. The keys are the allocator's return value or docker-java's
 * container id.
 */
public final class ContainerProbes {

    private ContainerProbes() {
    }

    /** A configured allocation method returned ({@code thrown == null}) or threw; it is running at once. */
    public static void allocated(long startNanos, Object container, Throwable thrown, double cpus, long memoryBytes) {
        TraceThread thread = TraceThread.get();
        if (thread.inWorkerCode) {
            return; // an allocation method reached from a container key's hashCode/equals: see released()
        }
        thread.inWorkerCode = true;
        try {
            Containers.allocated(startNanos, thrown == null, container, cpus, memoryBytes, true);
        } finally {
            thread.inWorkerCode = false;
        }
        if (Traces.enabled) {
            Traces.containerAllocated(startNanos, System.nanoTime() - startNanos, thrown, cpus, memoryBytes, null,
                    container instanceof String ? (String) container : null);
        }
        if (EventStream.active) {
            EventStream.containerAllocated(startNanos, thrown == null, container, cpus, memoryBytes);
        }
    }

    /** A configured release method was called with this container. */
    public static void released(Object container) {
        // The table calls the key's own hashCode and equals: worker code, which a broad
        // agentmon.docker.release (say *#*) weaves as a release of its argument, and so on
        // without end. A release reached from there is not one.
        TraceThread thread = TraceThread.get();
        if (thread.inWorkerCode) {
            return;
        }
        thread.inWorkerCode = true;
        try {
            Containers.remove(container);
        } finally {
            thread.inWorkerCode = false;
        }
        if (EventStream.active) {
            EventStream.container(EventStream.CONTAINER_RELEASED, container);
        }
    }

    /** docker-java created a container from {@code image} (or failed to); it is alive once started. */
    public static void dockerCreated(long startNanos, String image, String id, Throwable thrown, double cpus, long memoryBytes) {
        Containers.allocated(startNanos, thrown == null, id, cpus, memoryBytes, false);
        if (Traces.enabled) {
            Traces.containerAllocated(startNanos, System.nanoTime() - startNanos, thrown, cpus, memoryBytes, image, id);
        }
        if (EventStream.active) {
            EventStream.containerAllocated(startNanos, thrown == null, id, cpus, memoryBytes);
        }
    }

    public static void dockerStarted(String id) {
        Containers.transition(id, Containers.CREATED, Containers.ACTIVE);
        Containers.transition(id, Containers.STOPPED, Containers.ACTIVE);
        if (EventStream.active) {
            EventStream.container(EventStream.CONTAINER_STARTED, id);
        }
    }

    /** Stopped or killed: no longer alive, but it may be started again. */
    public static void dockerStopped(String id) {
        Containers.transition(id, Containers.ACTIVE, Containers.STOPPED);
        if (EventStream.active) {
            EventStream.container(EventStream.CONTAINER_STOPPED, id);
        }
    }

    public static void dockerRemoved(String id) {
        Containers.remove(id);
        if (EventStream.active) {
            EventStream.container(EventStream.CONTAINER_RELEASED, id);
        }
    }
}

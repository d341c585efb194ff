package io.agentmon.bootstrap;

/**
 * What woven container code calls: the worker's own allocator ({@code agentmon.docker}) and
 * the docker-java client, built in. The keys are the allocator's return value or docker-java's
 * container id.
 *
 * <p><b>Threads.</b> Called by the worker's threads that allocate, start, stop and release
 * containers, any number at once; they write {@link Containers} (lock-free) and, while a client
 * listens, the live feed. Each allocation's size travels in the calling thread's own
 * {@link TraceThread}. Agent threads only read {@link Containers}.
 */
public final class ContainerProbes {

    private ContainerProbes() {
    }

    /**
     * A configured allocation method was entered: returns the start time for
     * {@link #allocationFinished}. The size is read by separate advice that runs after this
     * ({@link #allocationCpus}, {@link #allocationMemory}), so that a size that cannot be read (a null on the way to it)
     * loses neither the clock read nor the allocation.
     */
    public static long allocationStarted() {
        long startNanos = System.nanoTime();
        TraceThread thread = TraceThread.get();
        int level = thread.allocations++;
        if (level < TraceThread.ALLOCATION_DEPTH) {
            thread.allocationCpus[level] = 0;
            thread.allocationMemory[level] = 0;
        }
        return startNanos;
    }

    /** The CPU cores of the allocation this thread entered last. */
    public static void allocationCpus(double cpus) {
        TraceThread thread = TraceThread.get();
        int level = thread.allocations - 1;
        if (level >= 0 && level < TraceThread.ALLOCATION_DEPTH) {
            thread.allocationCpus[level] = cpus;
        }
    }

    /** The memory of the allocation this thread entered last. */
    public static void allocationMemory(double memoryBytes) {
        TraceThread thread = TraceThread.get();
        int level = thread.allocations - 1;
        if (level >= 0 && level < TraceThread.ALLOCATION_DEPTH) {
            thread.allocationMemory[level] = (long) memoryBytes;
        }
    }

    /**
     * The allocation this thread entered last returned or threw. A {@code startNanos} of 0 is
     * what the advice holds when {@link #allocationStarted} failed: nothing to measure or pop.
     */
    public static void allocationFinished(long startNanos, Object container, Throwable thrown) {
        if (startNanos == 0) {
            return;
        }
        TraceThread thread = TraceThread.get();
        int level = --thread.allocations;
        boolean sized = level >= 0 && level < TraceThread.ALLOCATION_DEPTH;
        if (level < 0) {
            thread.allocations = 0;
        }
        allocated(startNanos, container, thrown, sized ? thread.allocationCpus[level] : 0,
                sized ? thread.allocationMemory[level] : 0);
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
        if (LiveFeed.active) {
            LiveFeed.containerAllocated(startNanos, thrown == null, container, cpus, memoryBytes);
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
        if (LiveFeed.active) {
            LiveFeed.container(LiveFeed.CONTAINER_RELEASED, container);
        }
    }

    /** docker-java created a container from {@code image} (or failed to); it is alive once started. */
    /**
     * docker-java's {@code CreateContainerCmd} ran, with its host configuration's values as they
     * are (any may be null): CPU cores from {@code NanoCPUs}, else {@code CpuQuota / CpuPeriod}
     * (period 100 ms when unset, as Docker's), memory from {@code Memory}.
     */
    public static void dockerCreateRan(long startNanos, String image, String id, Throwable thrown,
            Long nanoCpus, Long cpuQuota, Long cpuPeriod, Long memory) {
        double cpus = 0;
        if (nanoCpus != null && nanoCpus > 0) {
            cpus = nanoCpus / 1e9;
        } else if (cpuQuota != null && cpuQuota > 0) {
            cpus = cpuQuota / (double) (cpuPeriod == null || cpuPeriod <= 0 ? 100_000L : cpuPeriod);
        }
        dockerCreated(startNanos, image, id, thrown, cpus, memory == null ? 0 : memory);
    }

    public static void dockerCreated(long startNanos, String image, String id, Throwable thrown, double cpus, long memoryBytes) {
        Containers.allocated(startNanos, thrown == null, id, cpus, memoryBytes, false);
        if (Traces.enabled) {
            Traces.containerAllocated(startNanos, System.nanoTime() - startNanos, thrown, cpus, memoryBytes, image, id);
        }
        if (LiveFeed.active) {
            LiveFeed.containerAllocated(startNanos, thrown == null, id, cpus, memoryBytes);
        }
    }

    public static void dockerStarted(String id) {
        Containers.transition(id, Containers.CREATED, Containers.ACTIVE);
        Containers.transition(id, Containers.STOPPED, Containers.ACTIVE);
        if (LiveFeed.active) {
            LiveFeed.container(LiveFeed.CONTAINER_STARTED, id);
        }
    }

    /** Stopped or killed: no longer alive, but it may be started again. */
    public static void dockerStopped(String id) {
        Containers.transition(id, Containers.ACTIVE, Containers.STOPPED);
        if (LiveFeed.active) {
            LiveFeed.container(LiveFeed.CONTAINER_STOPPED, id);
        }
    }

    public static void dockerRemoved(String id) {
        Containers.remove(id);
        if (LiveFeed.active) {
            LiveFeed.container(LiveFeed.CONTAINER_RELEASED, id);
        }
    }
}

package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.Containers;

/** The containers alive at one read, and what they were given; read by the container collector and the summary. */
public final class ContainerTotals {

    private final long active;
    private final double cpuCores;
    private final long memoryBytes;
    private final long succeeded;
    private final long failed;

    private ContainerTotals() {
        long[] totals = new long[2];
        cpuCores = Containers.readActive(totals);
        active = totals[0];
        memoryBytes = totals[1];
        succeeded = Containers.succeeded().count();
        failed = Containers.failed().count();
    }

    /** Allocations that returned, since start (as {@code agentmon_docker_allocations_total{outcome="success"}}). */
    public long succeeded() {
        return succeeded;
    }

    /** Allocations that threw, since start. */
    public long failed() {
        return failed;
    }

    /**
     * The live containers, or null for a worker that has no container series: none configured
     * ({@code configured}: the worker's own allocator is described) and no docker-java call yet.
     */
    public static ContainerTotals read(boolean configured) {
        boolean any = configured || Containers.succeeded().count() + Containers.failed().count() > 0;
        return any ? new ContainerTotals() : null;
    }

    public long active() {
        return active;
    }

    public double cpuCores() {
        return cpuCores;
    }

    public long memoryBytes() {
        return memoryBytes;
    }
}

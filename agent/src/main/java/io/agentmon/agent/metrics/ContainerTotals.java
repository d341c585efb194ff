package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.Containers;

/** The containers alive at one read, and what they were given; read by the container collector and the summary. */
public final class ContainerTotals {

    private final long active;
    private final double cpuCores;
    private final long memoryBytes;

    private ContainerTotals(long active, double cpuCores, long memoryBytes) {
        this.active = active;
        this.cpuCores = cpuCores;
        this.memoryBytes = memoryBytes;
    }

    /**
     * The live containers, or null for a worker that has no container series: none configured
     * ({@code configured}: the worker's own allocator is described) and no docker-java call yet.
     */
    public static ContainerTotals read(boolean configured) {
        if (!configured && Containers.succeeded().count() + Containers.failed().count() == 0) {
            return null;
        }
        long[] totals = new long[2];
        double cpus = Containers.readActive(totals);
        return new ContainerTotals(totals[0], cpus, totals[1]);
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

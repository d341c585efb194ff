package com.acme.worker.containers;

/** A slice of CPU and memory handed out by {@link ContainerAllocator}. */
public final class Container {

    private final long id;
    private final long cpuMillicores;
    private final long memoryBytes;

    Container(long id, long cpuMillicores, long memoryBytes) {
        this.id = id;
        this.cpuMillicores = cpuMillicores;
        this.memoryBytes = memoryBytes;
    }

    public long id() {
        return id;
    }

    public double cpuCores() {
        return cpuMillicores / 1000.0;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    long cpuMillicores() {
        return cpuMillicores;
    }

    @Override
    public String toString() {
        return "container-" + id + " (" + cpuCores() + " cores, " + (memoryBytes >> 20) + " MiB)";
    }
}

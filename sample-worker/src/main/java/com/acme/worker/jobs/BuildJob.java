package com.acme.worker.jobs;

import com.acme.worker.containers.AllocationException;
import com.acme.worker.containers.Container;
import com.acme.worker.containers.ContainerAllocator;

import java.util.Random;

/** Runs a build inside a container borrowed from the shared allocator. */
public final class BuildJob implements Job {

    private static final double[] CPU_CORES = {0.5, 1, 2, 4};
    private static final long MIB = 1024 * 1024;

    private final long buildId;
    private final double cpuCores;
    private final long memoryBytes;
    private final long workMillis;
    private final ContainerAllocator allocator;

    public BuildJob(long buildId, Random random, ContainerAllocator allocator) {
        this.buildId = buildId;
        this.cpuCores = CPU_CORES[random.nextInt(CPU_CORES.length)];
        this.memoryBytes = (512 * MIB) << random.nextInt(4); // 512 MiB - 4 GiB
        this.workMillis = 10 + random.nextInt(41);            // 10-50 ms
        this.allocator = allocator;
    }

    @Override
    public void execute() throws AllocationException, InterruptedException {
        Container container = allocator.allocate(cpuCores, memoryBytes);
        try {
            Thread.sleep(workMillis); // stands in for the build itself
        } finally {
            allocator.release(container); // capacity must come back even if the build fails
        }
    }

    @Override
    public String toString() {
        return "BuildJob#" + buildId;
    }
}

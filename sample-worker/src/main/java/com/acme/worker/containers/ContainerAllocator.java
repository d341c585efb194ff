package com.acme.worker.containers;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out containers from a fixed pool of CPU and memory, and counts what it did.
 * All bookkeeping happens under the allocator's lock, so the counters are exact.
 */
public final class ContainerAllocator {

    private final long totalMillicores;
    private final long totalMemoryBytes;

    // Guarded by this. CPU is kept in millicores so that returning capacity is exact.
    private long freeMillicores;
    private long freeMemoryBytes;
    private final Set<Long> live = new HashSet<>();
    private long nextId = 1;
    private long allocated;
    private long released;
    private long failed;

    public ContainerAllocator(double cpuCores, long memoryBytes) {
        this.totalMillicores = toMillicores(cpuCores);
        this.totalMemoryBytes = memoryBytes;
        this.freeMillicores = totalMillicores;
        this.freeMemoryBytes = memoryBytes;
    }

    /**
     * Reserves a container. Takes a few milliseconds (a round trip to the scheduler) and fails
     * with {@link AllocationException} when the remaining capacity is too small.
     */
    public Container allocate(double cpuCores, long memoryBytes)
            throws AllocationException, InterruptedException {
        long millicores = toMillicores(cpuCores);
        if (millicores <= 0 || memoryBytes <= 0) {
            throw new IllegalArgumentException("a container needs some CPU and memory");
        }
        Thread.sleep(1 + (millicores + 999) / 1000); // bigger containers take longer: 2-5 ms

        synchronized (this) {
            if (millicores > freeMillicores || memoryBytes > freeMemoryBytes) {
                failed++;
                throw new AllocationException(String.format(
                        "no capacity for %.1f cores / %d MiB (free: %.1f cores / %d MiB)",
                        cpuCores, memoryBytes >> 20, freeMillicores / 1000.0, freeMemoryBytes >> 20));
            }
            freeMillicores -= millicores;
            freeMemoryBytes -= memoryBytes;
            Container container = new Container(nextId++, millicores, memoryBytes);
            live.add(container.id());
            allocated++;
            return container;
        }
    }

    /** Gives a container's capacity back; each container may be released once. */
    public synchronized void release(Container container) {
        if (!live.remove(container.id())) {
            throw new IllegalArgumentException(container + " is not allocated");
        }
        freeMillicores += container.cpuMillicores();
        freeMemoryBytes += container.memoryBytes();
        released++;
    }

    public synchronized long allocatedCount() {
        return allocated;
    }

    public synchronized long releasedCount() {
        return released;
    }

    public synchronized long failedCount() {
        return failed;
    }

    public synchronized int inUse() {
        return live.size();
    }

    @Override
    public String toString() {
        return String.format("ContainerAllocator(%.1f cores, %d MiB)", totalMillicores / 1000.0, totalMemoryBytes >> 20);
    }

    private static long toMillicores(double cpuCores) {
        return Math.round(cpuCores * 1000);
    }
}

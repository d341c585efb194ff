package com.acme.worker;

import com.acme.worker.containers.ContainerAllocator;
import com.acme.worker.jobs.BuildJob;
import com.acme.worker.jobs.FetchJob;
import com.acme.worker.jobs.IngestJob;
import com.acme.worker.jobs.Job;
import com.acme.worker.jobs.TransformJob;
import com.acme.worker.remote.RemoteService;

import java.util.Random;

/**
 * Creates the job with a given index: 35% ingest, 25% transform, 25% fetch, 15% build.
 * Each job draws its kind, durations and outcome from a Random seeded with seed + index,
 * so the same seed gives the same jobs in every run (only timing differs).
 */
final class JobFactory {

    private final long seed;
    private final RemoteService remote;
    private final ContainerAllocator allocator;

    JobFactory(long seed, RemoteService remote, ContainerAllocator allocator) {
        this.seed = seed;
        this.remote = remote;
        this.allocator = allocator;
    }

    Job create(long index) {
        Random random = new Random(spread(seed + index));
        int roll = random.nextInt(100);
        if (roll < 35) {
            return new IngestJob(index, random);
        } else if (roll < 60) {
            return new TransformJob(index, random);
        } else if (roll < 85) {
            return new FetchJob(index, random, remote);
        } else {
            return new BuildJob(index, random, allocator);
        }
    }

    /**
     * java.util.Random's first values for consecutive seeds are nearly equal, so consecutive
     * jobs would get almost the same draws. Scrambling the seed (SplitMix64's finalizer) first
     * makes neighbouring jobs independent.
     */
    private static long spread(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

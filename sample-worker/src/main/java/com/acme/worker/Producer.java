package com.acme.worker;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Creates jobs and hands them to the worker pool, at a fixed rate or as fast as the pool
 * accepts them. Stops after {@code jobs} jobs (0 = never) or when its thread is interrupted.
 */
final class Producer implements Runnable {

    private final JobFactory factory;
    private final Executor pool;
    private final Tally tally;
    private final long jobs;
    private final long periodNanos;
    // One permit per job that is queued or running. With no more permits than the pool's queue
    // has room for, the queue can never be full, so no job is ever rejected: we wait here instead.
    private final Semaphore inFlight;

    /** @param ratePerSecond jobs per second, or 0 for as fast as the pool accepts them */
    Producer(JobFactory factory, Executor pool, int maxInFlight, Tally tally, long jobs, double ratePerSecond) {
        this.factory = factory;
        this.pool = pool;
        this.tally = tally;
        this.jobs = jobs;
        this.periodNanos = ratePerSecond > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / ratePerSecond) : 0;
        this.inFlight = new Semaphore(maxInFlight);
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        try {
            for (long index = 0; jobs == 0 || index < jobs; index++) {
                if (periodNanos > 0) {
                    long now = System.nanoTime();
                    if (next > now) {
                        TimeUnit.NANOSECONDS.sleep(next - now);
                    } else {
                        next = now; // fell behind (pool was full): carry on, don't burst to catch up
                    }
                    next += periodNanos;
                }
                inFlight.acquire();
                pool.execute(new TimedJob(factory.create(index), tally, inFlight::release));
            }
        } catch (InterruptedException e) {
            // Asked to stop: jobs already handed over still run to completion.
        }
    }
}

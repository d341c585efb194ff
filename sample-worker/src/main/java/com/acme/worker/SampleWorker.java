package com.acme.worker;

import com.acme.worker.containers.ContainerAllocator;
import com.acme.worker.remote.RemoteService;

import java.io.IOException;
import java.util.SortedMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A worker process: a producer thread creates a mix of jobs and a fixed pool of worker threads
 * runs them, keeping an exact tally of how each job ended and how long it took.
 *
 * <p>With {@code --jobs N} it runs N jobs, prints the tally, writes it to the {@code --tally}
 * file and exits. Without it, it runs until stopped and writes the tally on shutdown.
 */
public final class SampleWorker {

    private static final int QUEUE_CAPACITY = 64;
    private static final double CLUSTER_CPU_CORES = 8;
    private static final long CLUSTER_MEMORY_BYTES = 16L << 30; // 16 GiB
    private static final int REMOTE_CONNECTIONS = 8;
    // On shutdown, how long to let queued and running jobs finish before writing the tally.
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final Options options;
    private final Tally tally = new Tally();
    private final ContainerAllocator allocator = new ContainerAllocator(CLUSTER_CPU_CORES, CLUSTER_MEMORY_BYTES);
    private final RemoteService remote = new RemoteService(REMOTE_CONNECTIONS);
    private final ThreadPoolExecutor pool;
    private final Thread producer;
    private final long startNanos = System.nanoTime();

    private SampleWorker(Options options) {
        this.options = options;
        this.pool = new ThreadPoolExecutor(options.threads(), options.threads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(QUEUE_CAPACITY), new NamedThreadFactory("worker", false));
        JobFactory factory = new JobFactory(options.seed(), remote, allocator);
        this.producer = new Thread(
                new Producer(factory, pool, QUEUE_CAPACITY, tally, options.jobs(), options.rate()), "producer");
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            System.err.println("sample-worker: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }

        System.out.println("sample-worker: " + options);
        SampleWorker worker = new SampleWorker(options);
        if (options.bounded()) {
            worker.runBounded();
        } else {
            worker.runUntilStopped();
        }
    }

    /** Runs the given number of jobs, reports, optionally lingers, and returns. */
    private void runBounded() throws InterruptedException, IOException {
        startProgress();
        producer.start();
        producer.join(); // every job has been handed to the pool
        pool.shutdown();
        pool.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS); // ... and has finished
        remote.shutdown();

        System.out.printf("finished %d jobs in %.1f s%n", tally.finished(), secondsSinceStart());
        report();

        if (options.holdSeconds() > 0) {
            // Stay up a little longer, e.g. so a test can still look at this process.
            System.out.println("holding for " + options.holdSeconds() + " s");
            System.out.flush();
            TimeUnit.SECONDS.sleep(options.holdSeconds());
        }
    }

    /** Starts producing jobs and returns; the worker keeps running until the JVM is asked to stop. */
    private void runUntilStopped() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "shutdown"));
        startProgress();
        producer.start();
    }

    /** With {@code --print-every}, a progress line every so many seconds, bounded run or not. */
    private void startProgress() {
        if (options.printEverySeconds() > 0) {
            ScheduledExecutorService progress =
                    Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("progress", true));
            long every = options.printEverySeconds();
            progress.scheduleAtFixedRate(this::printProgress, every, every, TimeUnit.SECONDS);
        }
    }

    /** Shutdown hook: stop creating jobs, let the ones already accepted finish, then report. */
    private void stop() {
        try {
            producer.interrupt();
            producer.join();
            pool.shutdown();
            if (!pool.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("sample-worker: jobs still running after " + STOP_TIMEOUT_SECONDS
                        + " s; the tally does not include them");
            }
            remote.shutdown();
            System.out.printf("stopped after %d jobs in %.1f s%n", tally.finished(), secondsSinceStart());
            report();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("sample-worker: could not write the tally: " + e);
        }
    }

    /** Prints the tally table and writes the tally file, if one was asked for. */
    private void report() throws IOException {
        tally.printTable(System.out);
        System.out.printf("containers: allocated=%d released=%d failed=%d%n",
                allocator.allocatedCount(), allocator.releasedCount(), allocator.failedCount());
        System.out.flush();

        if (options.tally() != null) {
            SortedMap<String, Long> entries = tally.snapshot();
            entries.put("containers.allocated", allocator.allocatedCount());
            entries.put("containers.released", allocator.releasedCount());
            entries.put("containers.failed", allocator.failedCount());
            entries.put("remote.answered", remote.answered());
            entries.put("remote.interrupted", remote.interrupted());
            TallyFile.write(options.tally(), entries);
            System.out.println("tally written to " + options.tally());
        }
    }

    private void printProgress() {
        System.out.printf("[%5.0fs] finished=%d success=%d timeout=%d failure=%d running=%d queued=%d containers=%d%n",
                secondsSinceStart(), tally.finished(), tally.count(Outcome.SUCCESS), tally.count(Outcome.TIMEOUT),
                tally.count(Outcome.FAILURE), pool.getActiveCount(), pool.getQueue().size(), allocator.inUse());
    }

    private double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

package io.agentmon.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * JMH's executor for the scrape forks ({@code -Djmh.executor=CUSTOM}): one plain thread per
 * benchmark thread, not JMH's default {@code ThreadPoolExecutor}. Under agentmon that pool is a
 * worker pool like any other and adds its series (two histograms among them, 43 series in all)
 * to the very scrape being compared with a Micrometer registry that has no pool meters; with
 * plain threads on both sides, both scrapes carry the same meters.
 */
public final class PlainThreadsExecutor extends AbstractExecutorService {

    /** The two JMH switches that select this executor in a forked JVM (constants, for {@code @Fork}). */
    static final String JMH_EXECUTOR = "-Djmh.executor=CUSTOM";
    static final String JMH_EXECUTOR_CLASS = "-Djmh.executor.class=io.agentmon.benchmarks.PlainThreadsExecutor";

    private final String prefix;
    private final List<Thread> threads = new ArrayList<>();
    private boolean shutdown;

    /** The constructor JMH calls: the most threads it will ask for, and their name's prefix. */
    public PlainThreadsExecutor(int maxThreads, String prefix) {
        this.prefix = prefix;
    }

    @Override
    public synchronized void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        Thread thread = new Thread(task, prefix + "-plain-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        threads.forEach(Thread::interrupt);
        return new ArrayList<>();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && threads.stream().noneMatch(Thread::isAlive);
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Thread> started;
        synchronized (this) {
            started = new ArrayList<>(threads);
        }
        for (Thread thread : started) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedJoin(thread, left);
        }
        return isTerminated();
    }
}

package io.agentmon.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What is recorded for one thread pool ({@code ThreadPoolExecutor} or {@code ForkJoinPool}):
 * rejections and the time tasks waited in its queue. Everything else (queue depth, threads,
 * completed tasks) the agent reads from the pool itself at scrape time.
 *
 * <p>The pool is held weakly: a pool the worker drops is collected as usual, and its recorder
 * goes with it.
 *
 * <p><b>Threads.</b> Written by the pool's submitting and pool threads (adders and the
 * histogram, no lock); read by agent threads at scrape and sample time.
 */
public final class ExecutorRecorder {

    private final WeakReference<Object> pool;
    final LongAdder rejected = new LongAdder();
    final DurationHistogram queueWait;
    private volatile String threadName;

    ExecutorRecorder(Object pool, HistogramLayout queueWaitLayout) {
        this.pool = new WeakReference<>(pool);
        this.queueWait = new DurationHistogram(queueWaitLayout);
    }

    /** The pool, or null once it has been collected. */
    public Object pool() {
        return pool.get();
    }

    /** The name of the first thread the pool started, or null while it has started none. */
    public String threadName() {
        return threadName;
    }

    void threadStarted(String name) {
        if (threadName == null) {
            threadName = name; // NOTE: benign race: two first threads may both write; either name will do
        }
    }

    public long rejected() {
        return rejected.sum();
    }

    public DurationHistogram queueWait() {
        return queueWait;
    }
}

package io.agentmon.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What is recorded for one thread pool ({@code ThreadPoolExecutor} or {@code ForkJoinPool}):
 * rejections, the time tasks waited in its queue and the time they then ran on a pool thread
 * ({@code ThreadPoolExecutor} only). Everything else (queue depth and capacity, threads,
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
    final DurationHistogram runTime;
    private volatile String threadName;

    ExecutorRecorder(Object pool, HistogramLayout queueWaitLayout, HistogramLayout runTimeLayout) {
        this.pool = new WeakReference<>(pool);
        this.queueWait = new DurationHistogram(queueWaitLayout);
        this.runTime = new DurationHistogram(runTimeLayout);
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

    /** Time each task ran on a pool thread, from being taken to the thread's next look at the queue. */
    public DurationHistogram runTime() {
        return runTime;
    }
}

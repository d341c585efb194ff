package io.agentmon.bootstrap;

import java.util.List;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * What the woven {@code ThreadPoolExecutor} and {@code ForkJoinPool} code calls. Per task
 * submitted to a {@code ThreadPoolExecutor}: one clock read and a table insert when it is
 * queued, a table removal, a pool lookup and a histogram add when a pool thread takes it, and
 * a histogram add when that thread next looks at the queue (the task's run time, kept between
 * the two in the thread's own {@link TraceThread}). No lock, no allocation (registering a new
 * pool allocates its recorder, and a pool thread its {@code TraceThread}, once).
 *
 * <p><b>Threads.</b> Called by the threads that submit tasks and by pool threads; the wait is
 * measured between the two through {@link QueueWaits}. Agent threads read only the recorders
 * ({@link ExecutorRegistry}).
 */
public final class ExecutorProbes {

    private ExecutorProbes() {
    }

    /** A pool was constructed (every constructor reports; the registry keeps one recorder). */
    public static void created(Object pool) {
        ExecutorRegistry.register(pool);
    }

    /** A {@code ThreadPoolExecutor} thread starts, with the task it was created for (or null). */
    public static void workerStarted(Object pool, Object firstTask) {
        threadStarted(pool);
        taken(pool, firstTask);
    }

    /** A {@code ForkJoinWorkerThread} starts running. */
    public static void forkJoinThreadStarted(ForkJoinWorkerThread thread) {
        threadStarted(thread.getPool());
    }

    /** A pool thread starts: its name names the pool. */
    private static void threadStarted(Object pool) {
        ExecutorRecorder recorder = ExecutorRegistry.find(pool);
        if (recorder != null) {
            recorder.threadStarted(Thread.currentThread().getName());
        }
    }

    /** {@code execute(task)} was called: the task may wait in the queue from now. */
    public static void submitted(Object task) {
        if (task != null) {
            QueueWaits.put(task, System.nanoTime());
            Traces.capture(task);
        }
    }

    /**
     * A scheduled pool queued {@code task} (its wait is not measured: it waits for its time on
     * purpose); with tracing on, it carries the caller's context. A periodic task's later runs
     * are queued again by the pool itself and start traces of their own.
     */
    public static void scheduled(Object task) {
        Traces.capture(task);
    }

    /** A pool thread took {@code task}, from the queue or as its first task. */
    public static void taken(Object pool, Object task) {
        Traces.resume(task); // the task runs in the context it was submitted from (null: none)
        if (task == null) {
            return;
        }
        long since = QueueWaits.take(task);
        // A pool built before the agent attached is registered on first sight, here on one of its threads.
        ExecutorRecorder recorder = ExecutorRegistry.find(pool);
        if (recorder == null) {
            recorder = ExecutorRegistry.register(pool);
            if (recorder == null) {
                return;
            }
        }
        if (recorder.threadName() == null) {
            recorder.threadStarted(Thread.currentThread().getName());
        }
        long now = System.nanoTime();
        if (since >= 0) {
            recorder.queueWait.record(Math.max(0, now - since));
        }
        TraceThread thread = TraceThread.get();
        thread.poolTaskRecorder = recorder;
        thread.poolTaskStart = now;
    }

    /**
     * A {@code ThreadPoolExecutor} thread is done with the task it took, if any: it is about to
     * look at the queue again ({@code getTask}) or to end ({@code processWorkerExit}, also after a
     * task threw). The task's run time, from {@link #taken}, includes the pool's
     * {@code beforeExecute} and {@code afterExecute}: what the pool spends its thread on.
     */
    public static void ranTask() {
        TraceThread thread = TraceThread.get();
        ExecutorRecorder recorder = thread.poolTaskRecorder;
        if (recorder != null) {
            thread.poolTaskRecorder = null;
            recorder.runTime.record(Math.max(0, System.nanoTime() - thread.poolTaskStart));
        }
    }

    /** {@code task} was rejected by {@code pool}. */
    public static void rejected(Object pool, Object task) {
        QueueWaits.take(task);
        Traces.discard(task);
        ExecutorRecorder recorder = ExecutorRegistry.find(pool);
        if (recorder != null) {
            recorder.rejected.increment();
        }
    }

    /** {@code task} left the queue without running ({@code remove}). */
    public static void removed(Object task) {
        QueueWaits.take(task);
        Traces.discard(task);
    }

    /** Tasks drained by {@code shutdownNow}. */
    public static void drained(List<?> tasks) {
        for (int i = 0; i < tasks.size(); i++) {
            QueueWaits.take(tasks.get(i));
            Traces.discard(tasks.get(i));
        }
    }
}

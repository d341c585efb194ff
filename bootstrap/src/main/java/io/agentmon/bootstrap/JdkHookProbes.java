package io.agentmon.bootstrap;

import java.util.List;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeoutException;

/**
 * What agentmon's own weaver puts into the JDK's thread pools and futures (the agent's
 * {@code JdkHookWeaver}): each call forwards to {@link ExecutorProbes} or {@link TimeoutProbes}
 * and never throws, since the woven code has no handler around it. A failure here (a
 * {@code StackOverflowError} in a deep pool thread, say) loses that one figure; the pool's own
 * method goes on as it would have. The tests a call needs (was the task removed, is the cause a
 * timeout) are made here, so the woven code has no branch and needs no stack map frame.
 */
public final class JdkHookProbes {

    private JdkHookProbes() {
    }

    /** The end of every constructor of {@code ThreadPoolExecutor} and {@code ForkJoinPool}. */
    public static void created(Object pool) {
        try {
            ExecutorProbes.created(pool);
        } catch (Throwable ignored) {
            // the pool is registered on its first task taken instead
        }
    }

    /** {@code ThreadPoolExecutor.Worker.run()} entered: its pool and the task it was made for. */
    public static void workerStarted(Object pool, Object firstTask) {
        try {
            ExecutorProbes.workerStarted(pool, firstTask);
        } catch (Throwable ignored) {
            // the thread runs its task unmeasured
        }
    }

    /** {@code ForkJoinWorkerThread.run()} entered. */
    public static void forkJoinThreadStarted(ForkJoinWorkerThread thread) {
        try {
            ExecutorProbes.forkJoinThreadStarted(thread);
        } catch (Throwable ignored) {
            // the pool's thread name is learnt from its next thread
        }
    }

    /** {@code ThreadPoolExecutor.execute(task)} entered. */
    public static void submitted(Object task) {
        try {
            ExecutorProbes.submitted(task);
        } catch (Throwable ignored) {
            // this task's wait is not measured
        }
    }

    /** {@code ScheduledThreadPoolExecutor.delayedExecute(task)} entered. */
    public static void scheduled(Object task) {
        try {
            ExecutorProbes.scheduled(task);
        } catch (Throwable ignored) {
            // the task runs without the caller's trace context
        }
    }

    /** {@code ThreadPoolExecutor.getTask()} entered, or {@code processWorkerExit} entered. */
    public static void ranTask() {
        try {
            ExecutorProbes.ranTask();
        } catch (Throwable ignored) {
            // this run's time is not recorded
        }
    }

    /** {@code ThreadPoolExecutor.getTask()} returns {@code task}; called with the task first, as it is on the stack. */
    public static void taken(Object task, Object pool) {
        try {
            ExecutorProbes.taken(pool, task);
        } catch (Throwable ignored) {
            // this task's wait is not measured
        }
    }

    /** {@code ThreadPoolExecutor.reject(task)} entered. */
    public static void rejected(Object pool, Object task) {
        try {
            ExecutorProbes.rejected(pool, task);
        } catch (Throwable ignored) {
            // the rejection is not counted
        }
    }

    /** {@code ThreadPoolExecutor.remove(task)} returns {@code removed}. */
    public static void removed(boolean removed, Object task) {
        try {
            if (removed) {
                ExecutorProbes.removed(task);
            }
        } catch (Throwable ignored) {
            // the task's entry is swept by the housekeeping instead
        }
    }

    /** {@code ThreadPoolExecutor.drainQueue()} returns {@code tasks} ({@code shutdownNow}). */
    public static void drained(List<?> tasks) {
        try {
            ExecutorProbes.drained(tasks);
        } catch (Throwable ignored) {
            // the tasks' entries are swept by the housekeeping instead
        }
    }

    /**
     * A timed {@code get} of {@code FutureTask}, {@code CompletableFuture} or {@code ForkJoinTask}
     * throws a {@code TimeoutException}; {@code runner} is the thread running a
     * {@code FutureTask}'s task, if any, and null for the others.
     */
    public static void getTimedOut(Thread runner) {
        try {
            TimeoutProbes.futureTimedOut(runner);
        } catch (Throwable ignored) {
            // the timeout is not counted
        }
    }

    /** {@code CompletableFuture.completeExceptionally(cause)} returns {@code completed}; {@code orTimeout} ends here. */
    public static void completedExceptionally(boolean completed, Throwable cause) {
        try {
            if (completed && cause instanceof TimeoutException) {
                TimeoutProbes.futureCompletedByTimeout();
            }
        } catch (Throwable ignored) {
            // the timeout is not counted
        }
    }
}

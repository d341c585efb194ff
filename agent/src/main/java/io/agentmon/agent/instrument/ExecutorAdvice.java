package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.ExecutorProbes;
import java.util.List;
import java.util.concurrent.ForkJoinWorkerThread;
import net.bytebuddy.asm.Advice;

/**
 * Copied into {@code ThreadPoolExecutor}, {@code ForkJoinPool} and {@code ForkJoinWorkerThread}.
 * Each piece only forwards to {@link ExecutorProbes}; see {@link ExecutorInstrumentation} for
 * which method gets which.
 */
final class ExecutorAdvice {

    private ExecutorAdvice() {
    }

    /** Every constructor of {@code ThreadPoolExecutor} and {@code ForkJoinPool}. */
    static final class PoolCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object pool) {
            ExecutorProbes.created(pool);
        }
    }

    /**
     * {@code ThreadPoolExecutor.Worker.run()}: a pool thread starts, with its first task handed
     * over directly (never queued), or none.
     */
    static final class WorkerStarted {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("this$0") Object pool, @Advice.FieldValue("firstTask") Object firstTask) {
            ExecutorProbes.workerStarted(pool, firstTask);
        }
    }

    /** {@code ForkJoinWorkerThread.run()}. */
    static final class ForkJoinWorkerStarted {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This ForkJoinWorkerThread thread) {
            ExecutorProbes.forkJoinThreadStarted(thread);
        }
    }

    /** {@code execute(Runnable)}. */
    static final class Submitted {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            ExecutorProbes.submitted(task);
        }
    }

    /**
     * {@code ScheduledThreadPoolExecutor.delayedExecute(task)}: what {@code schedule},
     * {@code execute} and {@code submit} of a scheduled pool come to (periodic re-runs do not).
     */
    static final class Scheduled {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            ExecutorProbes.scheduled(task);
        }
    }

    /**
     * {@code getTask()}: on entry the pool thread is done with its previous task (if any), on
     * exit it took the returned task from the queue.
     */
    static final class TakenFromQueue {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ExecutorProbes.ranTask();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object pool, @Advice.Return Object task) {
            ExecutorProbes.taken(pool, task);
        }
    }

    /** {@code processWorkerExit(Worker, boolean)}: the pool thread ends, after a task that threw or none. */
    static final class WorkerExit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ExecutorProbes.ranTask();
        }
    }

    /** {@code reject(Runnable)}. */
    static final class Rejected {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object pool, @Advice.Argument(0) Object task) {
            ExecutorProbes.rejected(pool, task);
        }
    }

    /** {@code remove(Runnable)}. */
    static final class Removed {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object task, @Advice.Return boolean removed) {
            if (removed) {
                ExecutorProbes.removed(task);
            }
        }
    }

    /** {@code drainQueue()}, on {@code shutdownNow}. */
    static final class Drained {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return List<?> tasks) {
            ExecutorProbes.drained(tasks);
        }
    }
}

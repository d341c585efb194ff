package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.TimeoutProbes;
import java.util.concurrent.TimeoutException;
import net.bytebuddy.asm.Advice;

/** Copied into the JDK's timed {@code Future.get} methods and {@code CompletableFuture.completeExceptionally}. */
final class FutureTimeoutAdvice {

    private FutureTimeoutAdvice() {
    }

    /** {@code FutureTask.get(long, TimeUnit)}: its {@code runner} field is the thread running the task, if any. */
    static final class FutureTaskGet {
        private FutureTaskGet() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown, @Advice.FieldValue("runner") Thread runner) {
            if (thrown instanceof TimeoutException) {
                TimeoutProbes.futureTimedOut(runner);
            }
        }
    }

    /** {@code CompletableFuture.get(long, TimeUnit)} and {@code ForkJoinTask.get(long, TimeUnit)}. */
    static final class TimedGet {
        private TimedGet() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown) {
            if (thrown instanceof TimeoutException) {
                TimeoutProbes.futureTimedOut(null);
            }
        }
    }

    /** {@code CompletableFuture.completeExceptionally(Throwable)}: what {@code orTimeout} calls when it fires. */
    static final class CompletedExceptionally {
        private CompletedExceptionally() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Throwable cause, @Advice.Return boolean completed) {
            if (completed && cause instanceof TimeoutException) {
                TimeoutProbes.futureCompletedByTimeout();
            }
        }
    }
}

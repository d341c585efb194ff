package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.TaskProbes;
import net.bytebuddy.asm.Advice;

/**
 * Copied into every task method. It only forwards to {@link TaskProbes}, a bootstrap class, so
 * the woven code links in any class loader; {@code suppress} keeps any failure of ours out of
 * the worker.
 */
final class TaskAdvice {

    private TaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@ProbeId int probeId) {
        return TaskProbes.enter(probeId);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@ProbeId int probeId, @Advice.Enter long startNanos, @Advice.Thrown Throwable thrown) {
        TaskProbes.exit(probeId, startNanos, thrown);
    }
}

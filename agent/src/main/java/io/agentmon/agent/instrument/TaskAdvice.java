package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.TaskProbes;
import net.bytebuddy.asm.Advice;

/**
 * Copied into every task method. It only forwards to {@link TaskProbes}, a bootstrap class, so
 * the woven code links in any class loader; {@code suppress} keeps any failure of ours out of
 * the worker. The in-flight slot travels from enter to exit in a local variable of the method;
 * it holds {@link TaskProbes#NOT_ENTERED} until the enter has succeeded.
 */
final class TaskAdvice {

    private TaskAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@ProbeId int probeId, @MethodId int methodId, @Advice.Local("agentmonSlot") int slot) {
        slot = TaskProbes.NOT_ENTERED; // stays so if anything below fails: the exit then does nothing
        long startNanos = System.nanoTime();
        slot = TaskProbes.enter(probeId, methodId, startNanos);
        return startNanos;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@ProbeId int probeId, @Advice.Local("agentmonSlot") int slot, @Advice.Enter long startNanos,
            @Advice.Thrown Throwable thrown) {
        TaskProbes.exit(probeId, slot, startNanos, thrown);
    }
}

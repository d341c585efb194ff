package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.TaskNames;
import io.agentmon.bootstrap.TaskProbes;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Copied into Spring Batch's {@code AbstractStep.execute(StepExecution)}: each step execution is
 * a run of the task {@code job.step}. The names and the outcome are read by bytecode that
 * {@link StepInstrumentation} compiles against the woven class's own types (getter calls, no
 * reflection); the label's probe id is looked up per run ({@link TaskNames}: a step is coarse, so
 * a map look-up per run is cheap beside it) and travels to the exit in a local, like the slot.
 */
final class StepAdvice {

    private StepAdvice() {
    }

    /** {@code stepExecution.getJobExecution().getJobInstance().getJobName()}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface JobName {
    }

    /** {@code this.getName()}: the step's own name, not the execution's (a partition's is {@code step:partitionN}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface StepName {
    }

    /** {@code stepExecution.getStatus()}, a {@code BatchStatus}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Status {
    }

    /** {@code stepExecution.getFailureExceptions()}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Failures {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@MethodId int methodId, @JobName String job, @StepName String step,
            @Advice.Local("agentmonProbe") int probeId, @Advice.Local("agentmonSlot") int slot) {
        slot = TaskProbes.NOT_ENTERED; // stays so if anything below fails (a null on the way to a name)
        probeId = TaskNames.probeId(job, step);
        long startNanos = System.nanoTime();
        slot = TaskProbes.enter(probeId, methodId, startNanos);
        return startNanos;
    }

    /** AbstractStep catches what the step threw and records it as a FAILED status: that is its failure. */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Local("agentmonProbe") int probeId, @Advice.Local("agentmonSlot") int slot,
            @Advice.Enter long startNanos, @Advice.Thrown Throwable thrown, @Status Object status,
            @Failures List<?> failures) {
        TaskProbes.exit(probeId, slot, startNanos, TaskNames.failure(thrown, status, failures));
    }
}

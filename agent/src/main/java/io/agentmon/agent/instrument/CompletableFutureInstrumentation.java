package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentmon.bootstrap.Traces;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Carries trace context into {@code CompletableFuture.supplyAsync} and {@code runAsync}, on
 * whatever executor runs them (the common pool, a thread per task, the worker's own): the
 * async task captures the caller's context when it is created and hands it to the thread that
 * runs it. Woven only when tracing is configured.
 */
final class CompletableFutureInstrumentation {

    /** The classes woven, by name. */
    static final List<String> TYPES = List.of("java.util.concurrent.CompletableFuture$AsyncSupply",
            "java.util.concurrent.CompletableFuture$AsyncRun");

    private CompletableFutureInstrumentation() {
    }

    static AgentBuilder apply(AgentBuilder builder) {
        ClassLoader agentLoader = CompletableFutureInstrumentation.class.getClassLoader();
        return builder
                .type(named(TYPES.get(0)).or(named(TYPES.get(1))))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(isConstructor(), Created.class.getName())
                        .advice(named("run").and(takesArguments(0)), Run.class.getName()));
    }

    /** The constructors, on the thread calling {@code supplyAsync} or {@code runAsync}. */
    static final class Created {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object task) {
            Traces.capture(task);
        }
    }

    /** {@code run()}, on the thread the executor chose. */
    static final class Run {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object task) {
            Traces.resumeNested(task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            Traces.resumeEnded();
        }
    }
}

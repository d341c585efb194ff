package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Which JDK executor methods get which {@link ExecutorAdvice}. These classes are loaded before
 * any agent, so they are woven by retransformation; only the classes themselves are matched,
 * since subclasses (ScheduledThreadPoolExecutor, the {@code Executors} wrappers, the worker's
 * own) run through these methods.
 */
final class ExecutorInstrumentation {

    private ExecutorInstrumentation() {
    }

    static AgentBuilder apply(AgentBuilder builder) {
        ClassLoader agentLoader = ExecutorInstrumentation.class.getClassLoader();
        return builder
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(isConstructor(), name(ExecutorAdvice.PoolCreated.class))
                        .advice(named("execute").and(takesArguments(Runnable.class)), name(ExecutorAdvice.Submitted.class))
                        .advice(named("getTask").and(takesArguments(0)), name(ExecutorAdvice.TakenFromQueue.class))
                        .advice(named("processWorkerExit").and(takesArguments(2)), name(ExecutorAdvice.WorkerExit.class))
                        .advice(named("reject").and(takesArguments(Runnable.class)), name(ExecutorAdvice.Rejected.class))
                        .advice(named("remove").and(takesArguments(Runnable.class)), name(ExecutorAdvice.Removed.class))
                        .advice(named("drainQueue").and(takesArguments(0)), name(ExecutorAdvice.Drained.class)))
                // Scheduled pools queue without execute(): their tasks carry trace context from here.
                .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("delayedExecute").and(takesArguments(1)), name(ExecutorAdvice.Scheduled.class)))
                .type(named("java.util.concurrent.ThreadPoolExecutor$Worker"))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("run").and(takesArguments(0)), name(ExecutorAdvice.WorkerStarted.class)))
                .type(named("java.util.concurrent.ForkJoinPool"))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(isConstructor(), name(ExecutorAdvice.PoolCreated.class)))
                .type(named("java.util.concurrent.ForkJoinWorkerThread"))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("run").and(takesArguments(0)), name(ExecutorAdvice.ForkJoinWorkerStarted.class)));
    }

    private static String name(Class<?> advice) {
        return advice.getName();
    }
}

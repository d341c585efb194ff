package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Which JDK future methods get which {@link FutureTimeoutAdvice}: the timed {@code get} of
 * {@code FutureTask}, {@code CompletableFuture} and {@code ForkJoinTask}, and
 * {@code CompletableFuture.completeExceptionally}, where {@code orTimeout} ends up.
 */
final class FutureInstrumentation {

    private FutureInstrumentation() {
    }

    static AgentBuilder apply(AgentBuilder builder) {
        ClassLoader agentLoader = FutureInstrumentation.class.getClassLoader();
        return builder
                .type(named("java.util.concurrent.FutureTask"))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("get").and(takesArguments(2)), FutureTimeoutAdvice.FutureTaskGet.class.getName()))
                .type(named("java.util.concurrent.CompletableFuture"))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("get").and(takesArguments(2)), FutureTimeoutAdvice.TimedGet.class.getName())
                        .advice(named("completeExceptionally").and(takesArguments(Throwable.class)),
                                FutureTimeoutAdvice.CompletedExceptionally.class.getName()))
                .type(named("java.util.concurrent.ForkJoinTask"))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("get").and(takesArguments(2)), FutureTimeoutAdvice.TimedGet.class.getName()));
    }
}

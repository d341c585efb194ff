package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.matching.MethodMatchers;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Container allocations: the worker's own allocation and release methods
 * ({@code agentmon.docker*}), and docker-java, built in, where every command runs through
 * {@code AbstrDockerCmd.exec()}.
 */
final class ContainerInstrumentation {

    /** docker-java's command base class, woven by name. */
    static final String DOCKER_JAVA_COMMAND = "com.github.dockerjava.core.command.AbstrDockerCmd";

    private ContainerInstrumentation() {
    }

    static AgentBuilder apply(AgentBuilder builder, AgentConfig config, InstrumentationStats stats) {
        MethodMatchers allocations = new MethodMatchers(config.docker());
        MethodMatchers releases = new MethodMatchers(config.dockerRelease());
        return builder
                .type(allocations.types(), allocations.loaders())
                .transform(new MatchedMethodsTransformer(allocations, Weavings.containerAllocations(config, stats)))
                .type(releases.types(), releases.loaders())
                .transform(new MatchedMethodsTransformer(releases, Weavings.containerReleases(stats)))
                .type(named(DOCKER_JAVA_COMMAND))
                .transform(new AgentBuilder.Transformer.ForAdvice()
                        .include(ContainerInstrumentation.class.getClassLoader())
                        .advice(named("exec").and(takesArguments(0)), ContainerAdvice.DockerJavaExec.class.getName()));
    }
}

package io.agentmon.agent.frameworks;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.config.Framework;
import io.agentmon.agent.instrument.Extension;
import io.agentmon.agent.instrument.InstrumentationStats;
import io.agentmon.agent.instrument.StepInstrumentation;
import io.agentmon.bootstrap.TaskNames;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Spring Batch 5.x ({@code spring-batch}): every step execution is a run of the task
 * {@code job.step}, named at run time from the step and its job; a step that ends {@code FAILED}
 * (or {@code ABANDONED}, {@code UNKNOWN}) is a failure, named by the first exception the step
 * recorded. {@code agentmon.task.deadline.<job.step>} applies as to any label.
 */
final class SpringBatch implements Extension {

    /** Adds the Spring Batch extension when {@code agentmon.frameworks} includes {@code spring-batch}. */
    static void addTo(List<Extension> extensions, AgentConfig config) {
        if (config.knows(Framework.SPRING_BATCH)) {
            extensions.add(new SpringBatch(config));
        }
    }

    private SpringBatch(AgentConfig config) {
        TaskNames.useDeadlines(config::deadlineNanos);
    }

    @Override
    public List<String> hookedTypes() {
        return List.of(StepInstrumentation.ABSTRACT_STEP);
    }

    @Override
    public AgentBuilder apply(AgentBuilder builder, InstrumentationStats stats) {
        return StepInstrumentation.apply(builder, stats);
    }
}

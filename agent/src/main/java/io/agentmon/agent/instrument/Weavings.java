package io.agentmon.agent.instrument;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.config.ValueSpec;
import io.agentmon.bootstrap.EventRecorders;
import io.agentmon.bootstrap.TaskRecorders;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.DoubleConstant;

/** The ways a method selected by a matcher list is woven: as a task, a timeout handler or an event. */
final class Weavings {

    /** The size of an allocation whose CPU or memory is not configured. */
    private static final StackManipulation ZERO = DoubleConstant.ZERO;

    private Weavings() {
    }

    /** {@code agentmon.tasks}: timed, counted by outcome, listed while in flight. */
    static MatchedMethodsTransformer.Weaving tasks(TaskRegistration registration) {
        return (builder, type, loader, method, matcher, label) -> {
            int[] ids = registration.register(type.getName(), method.getName(), method.getDescriptor(), loader, matcher, label);
            return builder.visit(MatchedMethodsTransformer.advice(
                    Advice.withCustomMapping().bind(ProbeId.class, ids[0]).bind(MethodId.class, ids[1]), TaskAdvice.class, method));
        };
    }

    /**
     * {@code agentmon.timeouts}: each call is a timeout of the task running on the thread, or of
     * the handler's own label when its matcher gives one (or no task runs).
     */
    static MatchedMethodsTransformer.Weaving timeoutHandlers(InstrumentationStats stats) {
        return (builder, type, loader, method, matcher, label) -> {
            int probeId = TaskRecorders.registerTimeoutTarget(label);
            stats.woven();
            Class<?> advice = matcher.label() != null ? TimeoutHandlerAdvice.Labelled.class : TimeoutHandlerAdvice.class;
            return builder.visit(MatchedMethodsTransformer.advice(advice, probeId, method));
        };
    }

    /** {@code agentmon.docker}: an allocation, counted and timed, its size read from its arguments. */
    static MatchedMethodsTransformer.Weaving containerAllocations(AgentConfig config, InstrumentationStats stats) {
        return (builder, type, loader, method, matcher, label) -> {
            Advice.WithCustomMapping cpus;
            Advice.WithCustomMapping memory;
            try {
                cpus = Advice.withCustomMapping().bind(ReadCpu.class, config.dockerCpu() == null ? ZERO
                        : ValueReader.argument(config.dockerCpu(), method, type), double.class);
                memory = Advice.withCustomMapping().bind(ReadMemory.class, config.dockerMemory() == null ? ZERO
                        : ValueReader.argument(config.dockerMemory(), method, type), double.class);
            } catch (IllegalArgumentException e) {
                AgentLog.warn("agentmon.docker.cpu/memory on " + type.getName() + "#" + method.getName() + ": "
                        + e.getMessage() + "; this allocation method is not recorded");
                return builder;
            }
            stats.woven();
            // The earlier visit is the outer one: the timing's enter runs first, then the sizes'.
            return builder.visit(MatchedMethodsTransformer.advice(Advice.withCustomMapping(), ContainerAdvice.Allocate.class, method))
                    .visit(MatchedMethodsTransformer.advice(cpus, ContainerAdvice.AllocationCpus.class, method))
                    .visit(MatchedMethodsTransformer.advice(memory, ContainerAdvice.AllocationMemory.class, method));
        };
    }

    /** {@code agentmon.docker.release}: gives back what its first argument was allocated. */
    static MatchedMethodsTransformer.Weaving containerReleases(InstrumentationStats stats) {
        return (builder, type, loader, method, matcher, label) -> {
            if (method.getParameters().isEmpty()) {
                AgentLog.warn("agentmon.docker.release: " + type.getName() + "#" + method.getName()
                        + " takes no argument to release");
                return builder;
            }
            stats.woven();
            return builder.visit(MatchedMethodsTransformer.advice(Advice.withCustomMapping(), ContainerAdvice.Release.class, method));
        };
    }

    /** {@code agentmon.events.<name>}: each call counts; the value, if any, is read as configured. */
    static MatchedMethodsTransformer.Weaving events(String name, ValueSpec value, InstrumentationStats stats) {
        int eventId = EventRecorders.register(name);
        return (builder, type, loader, method, matcher, label) -> {
            if (eventId < 0) {
                stats.refused(type.getName(), method.getName());
                return builder;
            }
            stats.woven();
            builder = builder.visit(MatchedMethodsTransformer.advice(EventAdvice.class, eventId, method));
            if (value == null) {
                return builder;
            }
            try {
                if (value.isReturn()) {
                    ValueReader.checkReturn(value, method);
                    return builder.visit(MatchedMethodsTransformer.advice(EventAdvice.ReturnValue.class, eventId, method));
                }
                Advice.WithCustomMapping mapping = Advice.withCustomMapping()
                        .bind(ProbeId.class, eventId)
                        .bind(ReadValue.class, ValueReader.argument(value, method, type), double.class);
                return builder.visit(MatchedMethodsTransformer.advice(mapping, EventAdvice.ArgumentValue.class, method));
            } catch (IllegalArgumentException e) {
                AgentLog.warn("agentmon.events." + name + ".value on " + type.getName() + "#" + method.getName()
                        + ": " + e.getMessage() + "; the event is counted without a value");
                return builder;
            }
        };
    }
}

package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.matching.WorkerClasses;
import io.agentmon.bootstrap.TaskMethods;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;
import net.bytebuddy.utility.JavaModule;

/**
 * Spring Batch steps ({@code spring-batch-core} 5.x): weaves {@link StepAdvice} into
 * {@code AbstractStep.execute(StepExecution)}, the one final method every built-in step type
 * (tasklet and chunk steps, partition, flow and job steps) runs through. The getters it calls are
 * found at transform time on the types the woven class itself links against, so nothing of Spring
 * Batch is compiled into the agent and a worker without it pays one name comparison per class.
 */
public final class StepInstrumentation {

    public static final String ABSTRACT_STEP = "org.springframework.batch.core.step.AbstractStep";

    private StepInstrumentation() {
    }

    public static AgentBuilder apply(AgentBuilder builder, InstrumentationStats stats) {
        return builder.type(named(ABSTRACT_STEP), WorkerClasses.loaders()).transform(new StepTransformer(stats));
    }

    private static final class StepTransformer implements AgentBuilder.Transformer {
        private final InstrumentationStats stats;

        StepTransformer(InstrumentationStats stats) {
            this.stats = stats;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                ClassLoader classLoader, JavaModule module, ProtectionDomain protectionDomain) {
            for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                if (method.getName().equals("execute") && method.getParameters().size() == 1 && !method.isAbstract()) {
                    try {
                        return weave(builder, type, classLoader, method);
                    } catch (IllegalArgumentException e) {
                        AgentLog.warn("Spring Batch: " + e.getMessage() + "; its steps are not timed");
                        return builder;
                    }
                }
            }
            AgentLog.warn("Spring Batch: " + type.getName() + " has no execute(StepExecution); its steps are not timed");
            return builder;
        }

        private DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                MethodDescription.InDefinedShape method) {
            TypeDescription execution = method.getParameters().get(0).getType().asErasure();
            StackManipulation loadExecution = MethodVariableAccess.load(method.getParameters().get(0));
            StackManipulation job = getters(loadExecution, execution, String.class, "getJobExecution", "getJobInstance", "getJobName");
            StackManipulation step = getters(MethodVariableAccess.loadThis(), type, String.class, "getName");
            StackManipulation status = getters(loadExecution, execution, Object.class, "getStatus");
            StackManipulation failures = getters(loadExecution, execution, List.class, "getFailureExceptions");
            if (!TaskMethods.isRegistered(type.getName(), method.getName(), method.getDescriptor(), loader)) {
                stats.woven(); // a retransformation weaves the same method again: count it once
            }
            int methodId = TaskMethods.register(type.getName(), method.getName(), method.getDescriptor(), loader);
            Advice.WithCustomMapping mapping = Advice.withCustomMapping()
                    .bind(MethodId.class, methodId)
                    .bind(StepAdvice.JobName.class, job, String.class)
                    .bind(StepAdvice.StepName.class, step, String.class)
                    .bind(StepAdvice.Status.class, status, Object.class)
                    .bind(StepAdvice.Failures.class, failures, List.class);
            return builder.visit(MatchedMethodsTransformer.advice(mapping, StepAdvice.class, method));
        }
    }

    /**
     * {@code start}, then each public no-argument getter in turn on what the previous returned;
     * throws {@link IllegalArgumentException} when one is missing or the last does not return a
     * {@code result}.
     */
    static StackManipulation getters(StackManipulation start, TypeDescription owner, Class<?> result, String... names) {
        List<StackManipulation> steps = new ArrayList<>();
        steps.add(start);
        TypeDescription current = owner;
        for (String name : names) {
            MethodDescription getter = getter(current, name);
            if (getter == null) {
                throw new IllegalArgumentException(current.getName() + " has no public " + name + "()");
            }
            steps.add(MethodInvocation.invoke(getter.asDefined()).virtual(current));
            current = getter.getReturnType().asErasure();
        }
        if (!current.isAssignableTo(result)) {
            throw new IllegalArgumentException(String.join("().", names) + "() returns " + current.getName() + ", not "
                    + result.getName());
        }
        return new StackManipulation.Compound(steps);
    }

    private static MethodDescription getter(TypeDescription owner, String name) {
        for (TypeDefinition type = owner; type != null; type = type.getSuperClass() == null ? null : type.getSuperClass().asErasure()) {
            for (MethodDescription method : type.getDeclaredMethods()) {
                if (method.getName().equals(name) && method.getParameters().isEmpty() && method.isPublic()
                        && !method.isStatic() && !method.getReturnType().represents(void.class)) {
                    return method;
                }
            }
        }
        return null;
    }
}

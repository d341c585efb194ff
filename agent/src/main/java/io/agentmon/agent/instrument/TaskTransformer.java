package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.is;

import io.agentmon.agent.matching.TaskMatchers;
import io.agentmon.bootstrap.TaskRecorders;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves {@link TaskAdvice} into each matched method of a type, with the method's probe id
 * bound as a constant. Ids are resolved here, once per transformation, so the woven code never
 * looks anything up by name.
 */
final class TaskTransformer implements AgentBuilder.Transformer {

    private static final TypeDescription ADVICE = TypeDescription.ForLoadedType.of(TaskAdvice.class);
    private static final ClassFileLocator ADVICE_LOCATOR = ClassFileLocator.ForClassLoader.of(TaskAdvice.class.getClassLoader());

    private final TaskMatchers matchers;
    private final InstrumentationStats stats;

    TaskTransformer(TaskMatchers matchers, InstrumentationStats stats) {
        this.matchers = matchers;
        this.stats = stats;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
            ClassLoader classLoader, JavaModule module, ProtectionDomain protectionDomain) {
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            String label = matchers.labelFor(type, method);
            if (label == null) {
                continue;
            }
            int probeId = TaskRecorders.register(label);
            if (probeId < 0) {
                stats.refused(type, method);
                continue;
            }
            builder = builder.visit(Advice.withCustomMapping()
                    .bind(ProbeId.class, probeId)
                    .to(ADVICE, ADVICE_LOCATOR)
                    .on(is(method)));
            stats.woven();
        }
        return builder;
    }
}

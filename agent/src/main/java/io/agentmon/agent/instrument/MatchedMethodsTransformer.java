package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.is;

import io.agentmon.agent.matching.MethodMatcher;
import io.agentmon.agent.matching.MethodMatchers;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves advice into each method of a type that a matcher list selects, with the method's
 * probe id bound as a constant. Ids are resolved here, once per transformation, so the woven
 * code never looks anything up by name.
 */
final class MatchedMethodsTransformer implements AgentBuilder.Transformer {

    /** What one matcher list means: how its methods are registered and which advice they get. */
    interface Kind {
        /** The probe id for a method with this label, or -1 to leave it unwoven. */
        int register(String label);

        /** The advice class for methods this matcher selected. */
        Class<?> advice(MethodMatcher matcher);
    }

    private static final ClassFileLocator ADVICE_LOCATOR =
            ClassFileLocator.ForClassLoader.of(MatchedMethodsTransformer.class.getClassLoader());

    private final MethodMatchers matchers;
    private final Kind kind;
    private final InstrumentationStats stats;

    MatchedMethodsTransformer(MethodMatchers matchers, Kind kind, InstrumentationStats stats) {
        this.matchers = matchers;
        this.kind = kind;
        this.stats = stats;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
            ClassLoader classLoader, JavaModule module, ProtectionDomain protectionDomain) {
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            MethodMatcher matcher = matchers.select(type, method);
            if (matcher == null) {
                continue;
            }
            int probeId = kind.register(MethodMatchers.label(matcher, type, method));
            if (probeId < 0) {
                stats.refused(type, method);
                continue;
            }
            builder = builder.visit(Advice.withCustomMapping()
                    .bind(ProbeId.class, probeId)
                    .to(TypeDescription.ForLoadedType.of(kind.advice(matcher)), ADVICE_LOCATOR)
                    .on(is(method)));
            stats.woven();
        }
        return builder;
    }
}

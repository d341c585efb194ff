package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.is;

import io.agentmon.agent.matching.MethodMatcher;
import io.agentmon.agent.matching.MethodMatchers;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
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

    /** What one matcher list means: how a selected method is registered and woven. */
    interface Weaving {
        /**
         * Weaves {@code method} of {@code type} (defined by {@code loader}, null for the bootstrap
         * loader), labelled {@code label}; returns the builder unchanged (and
         * counts a refusal) when it cannot.
         */
        DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                MethodDescription.InDefinedShape method, MethodMatcher matcher, String label);
    }

    private static final ClassFileLocator ADVICE_LOCATOR =
            ClassFileLocator.ForClassLoader.of(MatchedMethodsTransformer.class.getClassLoader());

    private final MethodMatchers matchers;
    private final Weaving weaving;

    MatchedMethodsTransformer(MethodMatchers matchers, Weaving weaving) {
        this.matchers = matchers;
        this.weaving = weaving;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
            ClassLoader classLoader, JavaModule module, ProtectionDomain protectionDomain) {
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            MethodMatcher matcher = matchers.select(type, method);
            if (matcher != null) {
                builder = weaving.weave(builder, type, classLoader, method, matcher, MethodMatchers.label(matcher, type, method));
            }
        }
        return builder;
    }

    /** {@code advice} on {@code method} only, with {@link ProbeId} bound to {@code probeId}. */
    static AsmVisitorWrapper advice(Class<?> advice, int probeId, MethodDescription method) {
        return advice(Advice.withCustomMapping().bind(ProbeId.class, probeId), advice, method);
    }

    /** {@code advice} with further custom bindings. */
    static AsmVisitorWrapper advice(Advice.WithCustomMapping mapping, Class<?> advice, MethodDescription method) {
        return mapping.to(TypeDescription.ForLoadedType.of(advice), ADVICE_LOCATOR).on(is(method));
    }
}

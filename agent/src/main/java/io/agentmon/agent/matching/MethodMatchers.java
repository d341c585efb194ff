package io.agentmon.agent.matching;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A matcher list (agentmon.tasks, agentmon.timeouts, ...) turned into Byte Buddy matchers,
 * used at transform time only.
 *
 * <p>A method selected by several matchers of one list is woven once, for the first of them in
 * the order they were listed, so it is never counted twice. Bridge and other compiler-made
 * (synthetic) methods are never selected: a bridge calls the real method, which is counted.
 */
public final class MethodMatchers {

    private final List<MethodMatcher> matchers;
    private final ElementMatcher.Junction<TypeDescription> types;
    /** The matchers tried everywhere, and those tried only where their loader sees a type ({@link MethodMatcher#visibleType}). */
    private final ElementMatcher.Junction<TypeDescription> everywhere;
    private final List<MethodMatcher> gated = new ArrayList<>();
    private final List<ElementMatcher.Junction<TypeDescription>> gatedTypes = new ArrayList<>();
    private final List<LoaderSees> gates = new ArrayList<>();

    public MethodMatchers(List<MethodMatcher> matchers) {
        this.matchers = matchers;
        ElementMatcher.Junction<TypeDescription> any = none();
        ElementMatcher.Junction<TypeDescription> ungated = none();
        for (MethodMatcher matcher : matchers) {
            any = any.or(typeMatcher(matcher));
            if (matcher.visibleType() == null) {
                ungated = ungated.or(typeMatcher(matcher));
            } else {
                gated.add(matcher);
                gatedTypes.add(typeMatcher(matcher));
                gates.add(new LoaderSees(matcher.visibleType()));
            }
        }
        // Never the classes the probes run on (WorkerClasses): the name test comes first, as it is the
        // cheapest; modifiers (never a compiler-made class) last, as reading them parses the class
        // file: asked of every class that loads, that cost a hello world 25 MB of start-up garbage.
        this.types = WorkerClasses.types().and(any).and(not(isSynthetic()));
        this.everywhere = WorkerClasses.types().and(ungated).and(not(isSynthetic()));
    }

    /**
     * Types and class loaders together, as the transformer is given them: like {@link #types()}
     * and {@link #loaders()}, except that a matcher {@link MethodMatcher#onlyWhereVisible gated}
     * on a type is tried only on classes whose loader sees that type.
     */
    public AgentBuilder.RawMatcher matcher() {
        ElementMatcher.Junction<ClassLoader> loaders = loaders();
        ElementMatcher.Junction<TypeDescription> names = WorkerClasses.types();
        return (type, loader, module, classBeingRedefined, protectionDomain) -> {
            if (!loaders.matches(loader)) {
                return false;
            }
            if (everywhere.matches(type)) {
                return true;
            }
            for (int i = 0; i < gated.size(); i++) {
                if (names.matches(type) && gates.get(i).test(loader) && gatedTypes.get(i).matches(type) && !type.isSynthetic()) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Types that may declare a matched method, among those {@link WorkerClasses} allows. */
    public ElementMatcher.Junction<TypeDescription> types() {
        return types;
    }

    /** Class loaders whose types may be woven: never the JDK's ({@link WorkerClasses#loaders()}). */
    public ElementMatcher.Junction<ClassLoader> loaders() {
        return WorkerClasses.loaders();
    }

    /** The first matcher that selects {@code method}, declared by {@code type}, or null. */
    public MethodMatcher select(TypeDescription type, MethodDescription method) {
        if (!method.isMethod() || method.isAbstract() || method.isNative() || method.isBridge() || method.isSynthetic()) {
            return null;
        }
        for (MethodMatcher matcher : matchers) {
            if (selects(matcher, type, method)) {
                return matcher;
            }
        }
        return null;
    }

    /** The matcher's {@code label=}, else the default label of the method. */
    public static String label(MethodMatcher matcher, TypeDescription type, MethodDescription method) {
        return label(matcher, type.getName(), method.getName());
    }

    /** The same, from the class's and the method's names. */
    public static String label(MethodMatcher matcher, String className, String methodName) {
        return matcher.label() != null ? matcher.label() : defaultLabel(className, methodName);
    }

    /** {@code Worker.execute} for {@code com.acme.Worker#execute}; nested classes keep their {@code $}. */
    static String defaultLabel(String className, String methodName) {
        return className.substring(className.lastIndexOf('.') + 1) + "." + methodName;
    }

    private static boolean selects(MethodMatcher matcher, TypeDescription type, MethodDescription method) {
        if (matcher.restrictsParameters() && !matcher.parametersMatch(erasedParameterTypes(method))) {
            return false;
        }
        if (matcher.kind() == MethodMatcher.Kind.ANNOTATION) {
            return !matcher.excludesType(type.getName()) && isAnnotatedWith(named(matcher.typeName())).matches(method);
        }
        return matcher.methodNameMatches(method.getName()) && typeMatcher(matcher).matches(type);
    }

    private static List<String> erasedParameterTypes(MethodDescription method) {
        List<String> names = new ArrayList<>();
        for (TypeDescription parameter : method.getParameters().asTypeList().asErasures()) {
            names.add(parameter.getName());
        }
        return names;
    }

    private static ElementMatcher.Junction<TypeDescription> typeMatcher(MethodMatcher matcher) {
        ElementMatcher.Junction<TypeDescription> byKind = typeMatcherOfKind(matcher);
        // The name test first: it is cheaper than the supertype walk.
        return junction((TypeDescription type) -> !matcher.excludesType(type.getName())).and(byKind);
    }

    private static ElementMatcher.Junction<TypeDescription> typeMatcherOfKind(MethodMatcher matcher) {
        switch (matcher.kind()) {
            case ANNOTATION:
                return declaresMethod(isAnnotatedWith(named(matcher.typeName())));
            case SUBTYPE:
                return hasSuperType(junction(type -> matcher.typeNameMatches(type.getName())));
            default:
                return junction(type -> matcher.typeNameMatches(type.getName()));
        }
    }

    private static <T extends TypeDefinition> ElementMatcher.Junction<T> junction(Predicate<T> predicate) {
        return new ElementMatcher.Junction.AbstractBase<T>() {
            @Override
            public boolean matches(T target) {
                return predicate.test(target);
            }
        };
    }
}

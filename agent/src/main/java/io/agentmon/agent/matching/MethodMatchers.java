package io.agentmon.agent.matching;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Per matcher, its type matcher; for {@link #matcher()}. */
    private final List<ElementMatcher.Junction<TypeDescription>> typeMatchers = new ArrayList<>();
    /** Per matcher, the supertype a class loader must see for the matcher to select anything in it, or null. */
    private final List<String> requiredTypes = new ArrayList<>();
    private final Map<ClassLoader, Map<String, Boolean>> visible = new WeakHashMap<>(); // guarded by itself

    public MethodMatchers(List<MethodMatcher> matchers) {
        this.matchers = matchers;
        ElementMatcher.Junction<TypeDescription> any = none();
        for (MethodMatcher matcher : matchers) {
            ElementMatcher.Junction<TypeDescription> typeMatcher = typeMatcher(matcher);
            any = any.or(typeMatcher);
            typeMatchers.add(typeMatcher);
            // An annotation need not be loadable for a class file to carry it, so only a built-in
            // matcher (whose framework reads its annotation at run time) requires it.
            boolean literal = matcher.kind() == MethodMatcher.Kind.SUBTYPE && matcher.typeName().indexOf('*') < 0
                    || matcher.kind() == MethodMatcher.Kind.ANNOTATION && matcher.isBuiltIn();
            requiredTypes.add(literal ? matcher.typeName() : null);
        }
        // Never the classes the probes run on (WorkerClasses): the name test comes first, as it is the cheapest.
        this.types = WorkerClasses.types().and(any);
    }

    /**
     * {@link #loaders()} and {@link #types()} in one, as the transformer applies them, and cheaper:
     * a subtype matcher whose supertype is named literally ({@code jakarta.jms.MessageListener+#onMessage})
     * is skipped for a class loader that cannot see that type, since no class it defines can then
     * extend or implement it. So a worker without the type pays no walk of each loaded class's
     * supertypes (which reads their class files: about a millisecond per class) for that matcher.
     * A built-in annotation matcher ({@link MethodMatcher#restrictedTo}) is skipped likewise.
     * What a loader can see is asked once per loader and type ({@code getResource}, kept weakly by loader).
     */
    public AgentBuilder.RawMatcher matcher() {
        ElementMatcher.Junction<ClassLoader> loaders = loaders();
        ElementMatcher.Junction<TypeDescription> names = WorkerClasses.types();
        return (type, loader, module, classBeingRedefined, protectionDomain) -> {
            if (!loaders.matches(loader) || !names.matches(type)) {
                return false;
            }
            for (int i = 0; i < typeMatchers.size(); i++) {
                String required = requiredTypes.get(i);
                if ((required == null || sees(loader, required)) && typeMatchers.get(i).matches(type)) {
                    return true;
                }
            }
            return false;
        };
    }

    private boolean sees(ClassLoader loader, String typeName) {
        if (loader == null) {
            return true; // the JDK's own: loaders() has excluded it already
        }
        Map<String, Boolean> known;
        synchronized (visible) {
            known = visible.get(loader);
            if (known == null) {
                known = new ConcurrentHashMap<>();
                visible.put(loader, known);
            }
        }
        Boolean seen = known.get(typeName);
        if (seen == null) {
            // Outside any lock and map update: a loader may load (and so transform) a class to answer.
            try {
                seen = loader.getResource(typeName.replace('.', '/') + ".class") != null;
            } catch (RuntimeException e) {
                seen = true; // cannot tell: walk the supertypes as before
            }
            known.put(typeName, seen);
        }
        return seen;
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
        return matcher.label() != null ? matcher.label() : defaultLabel(type, method);
    }

    /** {@code Worker.execute} for {@code com.acme.Worker#execute}; nested classes keep their {@code $}. */
    static String defaultLabel(TypeDescription type, MethodDescription method) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1) + "." + method.getName();
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

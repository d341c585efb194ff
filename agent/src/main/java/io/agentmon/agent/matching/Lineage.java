package io.agentmon.agent.matching;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One class about to load, as its class file names itself and its direct supertypes, asked
 * whether it extends what a {@code Type+} matcher names. Each matcher's answer is worked out
 * once, on first question ({@link Supertypes} reads the class files up the hierarchy), so a
 * class no supertype matcher is asked about costs nothing.
 */
public final class Lineage {

    private final Supertypes supertypes;
    private final String internalName;
    private final String superName;
    private final String[] interfaces;
    private final ClassLoader loader;
    private final Map<MethodMatcher, Boolean> answers = new IdentityHashMap<>();

    public Lineage(Supertypes supertypes, String internalName, String superName, String[] interfaces, ClassLoader loader) {
        this.supertypes = supertypes;
        this.internalName = internalName;
        this.superName = superName;
        this.interfaces = interfaces;
        this.loader = loader;
    }

    /** Whether this class, or a class or interface above it, has a name the matcher's type pattern accepts. */
    boolean extendsMatch(MethodMatcher matcher) {
        return answers.computeIfAbsent(matcher,
                m -> supertypes.any(internalName, superName, interfaces, loader, m::typeNameMatches));
    }
}

package io.agentmon.agent.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * What a matcher list selects as far as a class's name, loader and supertypes decide it:
 * {@code com.acme.Worker#run} and {@code com.acme.*Job#run} say it all by name, {@code Task+#run}
 * needs the class's supertypes ({@link Lineage}, read from class files), where {@code @Monitored}
 * needs its methods' annotations, and a built-in framework's matcher
 * ({@link MethodMatcher#onlyWhereVisible}) applies only where its loader sees the framework. This
 * is what lets a class be woven, or left alone, before Byte Buddy is loaded at all
 * ({@code instrument.WeavingRoutes}).
 */
public final class ByName {

    /** {@link java.lang.reflect.Modifier} bits of a method never selected: abstract, native, bridge, synthetic. */
    private static final int NEVER_SELECTED = 0x0400 | 0x0100 | 0x0040 | 0x1000;

    private final List<MethodMatcher> matchers;
    /** Per matcher, the gate of a framework's matcher, or null for one tried everywhere. */
    private final List<LoaderSees> gates = new ArrayList<>();

    public ByName(List<MethodMatcher> matchers) {
        this.matchers = matchers;
        for (MethodMatcher matcher : matchers) {
            gates.add(matcher.visibleType() == null ? null : new LoaderSees(matcher.visibleType()));
        }
    }

    /**
     * Whether names decide everything the matchers tried everywhere select: none of them needs a
     * class's supertypes or annotations, or its methods' parameter types.
     */
    public boolean decidesByName() {
        for (MethodMatcher matcher : matchers) {
            if (matcher.visibleType() == null && (matcher.kind() != MethodMatcher.Kind.METHOD || matcher.restrictsParameters())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether names and supertypes decide everything the matchers tried everywhere select: none
     * of them needs annotations or its methods' parameter types.
     */
    public boolean decidesWithSupertypes() {
        for (MethodMatcher matcher : matchers) {
            if (matcher.visibleType() == null && (matcher.kind() == MethodMatcher.Kind.ANNOTATION || matcher.restrictsParameters())) {
                return false;
            }
        }
        return true;
    }

    /** Whether some matcher tried everywhere selects by supertype, so that a class's name alone cannot rule it out. */
    public boolean needsSupertypes() {
        for (int i = 0; i < matchers.size(); i++) {
            if (gates.get(i) == null && matchers.get(i).kind() == MethodMatcher.Kind.SUBTYPE) {
                return true;
            }
        }
        return false;
    }

    /** Whether a matcher list may weave this class at all: one of the worker's ({@link WorkerClasses}). */
    public static boolean mayWeave(String className, ClassLoader loader) {
        return WorkerClasses.isWorkerLoader(loader) && !WorkerClasses.excludedName(className);
    }

    /** Whether some matcher tried everywhere names this class of the worker's. */
    public boolean names(String className, ClassLoader loader) {
        if (!mayWeave(className, loader)) {
            return false;
        }
        for (int i = 0; i < matchers.size(); i++) {
            MethodMatcher matcher = matchers.get(i);
            if (triedEverywhereByName(i) && matcher.typeNameMatches(className) && !matcher.excludesType(className)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this loader sees a framework that one of the matchers is gated on: its classes are
     * then for the full matchers, which read class files, to decide.
     */
    public boolean frameworkVisible(ClassLoader loader) {
        if (!WorkerClasses.isWorkerLoader(loader)) {
            return false;
        }
        for (LoaderSees gate : gates) {
            if (gate != null && gate.test(loader)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some matcher tried everywhere may select methods of this class of the worker's: by
     * its name, or by its supertypes (read only if no name decides).
     */
    public boolean mayName(String className, ClassLoader loader, Lineage lineage) {
        if (names(className, loader)) {
            return true;
        }
        for (int i = 0; i < matchers.size(); i++) {
            MethodMatcher matcher = matchers.get(i);
            if (triedEverywhereBySupertype(i) && !matcher.excludesType(className) && lineage.extendsMatch(matcher)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first matcher selecting this method of a class {@link #mayName} accepted, in a loader
     * that sees none of the gated frameworks; null for none. As {@link MethodMatchers#select}:
     * never a constructor, an abstract, native, bridge or compiler-made method.
     */
    public MethodMatcher select(String className, Lineage lineage, String methodName, int access) {
        if ((access & NEVER_SELECTED) != 0 || methodName.startsWith("<")) {
            return null;
        }
        for (int i = 0; i < matchers.size(); i++) {
            MethodMatcher matcher = matchers.get(i);
            if (!matcher.methodNameMatches(methodName) || matcher.excludesType(className)) {
                continue;
            }
            if (triedEverywhereByName(i) ? matcher.typeNameMatches(className)
                    : triedEverywhereBySupertype(i) && lineage.extendsMatch(matcher)) {
                return matcher;
            }
        }
        return null;
    }

    private boolean triedEverywhereByName(int i) {
        return gates.get(i) == null && matchers.get(i).kind() == MethodMatcher.Kind.METHOD;
    }

    private boolean triedEverywhereBySupertype(int i) {
        return gates.get(i) == null && matchers.get(i).kind() == MethodMatcher.Kind.SUBTYPE;
    }
}

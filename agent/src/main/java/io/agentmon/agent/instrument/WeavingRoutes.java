package io.agentmon.agent.instrument;

import io.agentmon.agent.matching.ByName;
import io.agentmon.agent.matching.MethodMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each loading class goes, decided from its name and loader alone: nowhere (almost every
 * class), to {@link TaskWeaver} (a class named by a task matcher such as {@code com.acme.Job#run},
 * and by nothing else), to {@link JdkHookWeaver} (the JDK's thread pools and timed futures), or
 * to Byte Buddy (a hooked framework class or tracing's CompletableFuture tasks, a class a timeout,
 * event or container matcher names, the classes of a loader that sees a framework a built-in
 * matcher is gated on). Byte Buddy is loaded on the first class routed to it: a worker that
 * never routes one never loads it. When a matcher tried everywhere needs supertypes or
 * annotations ({@code Task+#run}, {@code @Monitored}), every class of the worker's is Byte Buddy's.
 */
final class WeavingRoutes {

    enum Route { NONE, TASKS, JDK_HOOKS, BYTE_BUDDY }

    /** Never woven, whatever the lists say: agentmon's own classes, Byte Buddy's, the JDK's reflection stubs. */
    static final List<String> IGNORED = List.of(
            "io.agentmon.agent.", "io.agentmon.bootstrap.", "io.agentmon.shaded.", // agentmon's, its relocated libraries among them
            "net.bytebuddy.", "jdk.internal.reflect.", "sun.reflect.");

    private final ByName tasks;
    /** The other lists: timeouts, events, container allocations and releases. */
    private final List<ByName> others = new ArrayList<>();
    /** The classes the frameworks' own hooks and tracing weave with Byte Buddy, by name. */
    private final Set<String> hooked;
    private final boolean byName;

    WeavingRoutes(List<MethodMatcher> taskMatchers, List<List<MethodMatcher>> otherLists, Set<String> hookedTypes) {
        this.tasks = new ByName(taskMatchers);
        boolean decided = tasks.decidesByName();
        for (List<MethodMatcher> list : otherLists) {
            ByName other = new ByName(list);
            others.add(other);
            decided &= other.decidesByName();
        }
        this.byName = decided;
        this.hooked = new HashSet<>(hookedTypes);
    }

    /** Whether names decide every list, so that {@link Route#TASKS} is ever given. */
    boolean byName() {
        return byName;
    }

    /** The task matchers, for {@link TaskWeaver}'s choice of methods. */
    ByName tasks() {
        return tasks;
    }

    Route route(String className, ClassLoader loader) {
        for (String prefix : IGNORED) {
            if (className.startsWith(prefix)) {
                return Route.NONE;
            }
        }
        if (loader == null && InstrumentationStats.JDK_HOOKS.containsKey(className)) {
            return Route.JDK_HOOKS;
        }
        if (hooked.contains(className)) {
            return Route.BYTE_BUDDY;
        }
        if (!byName) {
            // As before there was a choice: every class of the worker's is Byte Buddy's to match.
            return ByName.mayWeave(className, loader) ? Route.BYTE_BUDDY : Route.NONE;
        }
        if (tasks.frameworkVisible(loader)) {
            return Route.BYTE_BUDDY;
        }
        for (ByName other : others) {
            if (other.names(className, loader) || other.frameworkVisible(loader)) {
                return Route.BYTE_BUDDY;
            }
        }
        return tasks.names(className, loader) ? Route.TASKS : Route.NONE;
    }
}

package io.agentmon.agent.instrument;

import io.agentmon.agent.matching.ByName;
import io.agentmon.agent.matching.WorkerClasses;
import io.agentmon.agent.matching.MethodMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each loading class goes, decided from its name and loader alone: nowhere (almost every
 * class), to agentmon's own weavers ({@link TaskWeaver} for a class a task matcher may select, such
 * as {@code com.acme.Job#run} by name or, for {@code com.acme.Job+#run}, any class of the
 * worker's, whose supertypes the gate then reads from class files; {@link CallHooks} for a class
 * a timeout, event or container matcher names, when each value is read straight from an argument
 * or the return value), to {@link JdkHookWeaver} (the JDK's thread pools and timed futures), or to
 * Byte Buddy (a hooked framework class or tracing's CompletableFuture tasks, a class the other
 * lists name when a value needs a getter, the classes of a loader that sees a framework a
 * built-in matcher is gated on). Byte Buddy is loaded on the first
 * class routed to it: a worker that never routes one never loads it. When a matcher tried
 * everywhere needs annotations ({@code @Monitored}), or another list needs supertypes, every
 * class of the worker's is Byte Buddy's.
 */
final class WeavingRoutes {

    enum Route { NONE, OWN_WEAVERS, JDK_HOOKS, BYTE_BUDDY }

    /** Never woven, whatever the lists say: agentmon's own classes, Byte Buddy's, the JDK's reflection stubs. */
    static final List<String> IGNORED = List.of(
            "io.agentmon.agent.", "io.agentmon.bootstrap.", "io.agentmon.shaded.", // agentmon's, its relocated libraries among them
            "net.bytebuddy.", "jdk.internal.reflect.", "sun.reflect.");

    private final ByName tasks;
    /** The other lists: timeouts, events, container allocations and releases. */
    private final List<ByName> others = new ArrayList<>();
    /** The classes the frameworks' own hooks and tracing weave with Byte Buddy, by name. */
    private final Set<String> hooked;
    private final boolean ownWeaversDecide;
    /** Whether {@link CallHooks} can weave what the other lists name, else Byte Buddy does. */
    private final boolean othersOwnWeavable;

    WeavingRoutes(List<MethodMatcher> taskMatchers, List<List<MethodMatcher>> otherLists, Set<String> hookedTypes,
            boolean othersOwnWeavable) {
        this.othersOwnWeavable = othersOwnWeavable;
        this.tasks = new ByName(taskMatchers);
        boolean decided = tasks.decidesWithSupertypes();
        for (List<MethodMatcher> list : otherLists) {
            ByName other = new ByName(list);
            others.add(other);
            decided &= other.decidesByName();
        }
        this.ownWeaversDecide = decided;
        this.hooked = new HashSet<>(hookedTypes);
    }

    /** Whether names (and, for the tasks, supertypes) decide every list, so that {@link Route#TASKS} is ever given. */
    boolean ownWeaversDecide() {
        return ownWeaversDecide;
    }

    /** Whether one of the other lists names this class: {@link CallHooks}'s to weave. */
    boolean othersName(String className, ClassLoader loader) {
        for (ByName other : others) {
            if (other.names(className, loader)) {
                return true;
            }
        }
        return false;
    }

    /** The task matchers, for {@link TaskWeaver}'s choice of methods. */
    ByName tasks() {
        return tasks;
    }

    Route route(String className, ClassLoader loader) {
        if (!WorkerClasses.isWorkerLoader(loader)) {
            // The JDK's own loaders, which load most of a JVM's classes (the install routes the
            // thousand loaded before it): only the JDK hooks and the hooked types are woven there.
            if (loader == null && InstrumentationStats.JDK_HOOKS.containsKey(className)) {
                return Route.JDK_HOOKS;
            }
            return hooked.contains(className) ? Route.BYTE_BUDDY : Route.NONE;
        }
        for (String prefix : IGNORED) {
            if (className.startsWith(prefix)) {
                return Route.NONE;
            }
        }
        if (hooked.contains(className)) {
            return Route.BYTE_BUDDY;
        }
        if (!ownWeaversDecide) {
            // As before there was a choice: every class of the worker's is Byte Buddy's to match.
            return ByName.mayWeave(className, loader) ? Route.BYTE_BUDDY : Route.NONE;
        }
        if (tasks.frameworkVisible(loader)) {
            return Route.BYTE_BUDDY;
        }
        for (ByName other : others) {
            if (other.frameworkVisible(loader)) {
                return Route.BYTE_BUDDY;
            }
            if (other.names(className, loader)) {
                return othersOwnWeavable ? Route.OWN_WEAVERS : Route.BYTE_BUDDY;
            }
        }
        if (tasks.names(className, loader)) {
            return Route.OWN_WEAVERS;
        }
        // A Type+ matcher: the class file's supertypes decide, in the gate.
        return tasks.needsSupertypes() && ByName.mayWeave(className, loader) ? Route.OWN_WEAVERS : Route.NONE;
    }
}

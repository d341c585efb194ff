package io.agentmon.agent.instrument;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.matching.MethodMatcher;
import io.agentmon.bootstrap.Containers;
import io.agentmon.bootstrap.ExecutorProbes;
import io.agentmon.bootstrap.ExecutorRegistry;
import io.agentmon.bootstrap.SeriesBudget;
import io.agentmon.bootstrap.TaskRecorders;
import io.agentmon.bootstrap.TimeoutProbes;
import io.agentmon.bootstrap.Traces;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * Installs the one class file transformer ({@link WeavingGate}): task methods, the worker's
 * timeout handlers, the JDK's timed futures and its thread pools, in classes loaded from now on
 * and, by retransformation, in classes already loaded. Nothing here loads Byte Buddy: the gate
 * builds its transformer ({@link ByteBuddyInstrumentation}) when a class first needs it, and the
 * JDK's classes never do ({@link JdkHookWeaver}).
 */
public final class AgentInstrumentation {

    /** Label of the timeouts that no task can be blamed for. */
    public static final String UNKNOWN_TASK = "unknown";

    private AgentInstrumentation() {
    }

    public static void install(Instrumentation instrumentation, AgentConfig config, InstrumentationStats stats,
            ClassLoadActivity activity, List<Extension> extensions) {
        ClassFileReads.prepare(); // before another agent's transformer can make the first read circular
        SeriesBudget.useLimit(config.seriesMax());
        TaskRecorders.useBuckets(config.taskBucketsNanos());
        TimeoutProbes.useUnknown(TaskRecorders.registerOwn(UNKNOWN_TASK));
        ExecutorRegistry.useQueueWaitBuckets(config.queueWaitBucketsNanos());
        ExecutorRegistry.useRunTimeBuckets(config.taskBucketsNanos());
        Containers.useBuckets(config.taskBucketsNanos());
        List<MethodMatcher> tasks = new ArrayList<>(config.tasks());
        Set<String> hooked = new HashSet<>(Set.of(ContainerInstrumentation.DOCKER_JAVA_COMMAND));
        if (Traces.enabled()) {
            hooked.addAll(CompletableFutureInstrumentation.TYPES);
        }
        for (Extension extension : extensions) {
            tasks.addAll(extension.taskMatchers());
            hooked.addAll(extension.hookedTypes());
        }
        List<List<MethodMatcher>> others = new ArrayList<>(List.of(config.timeouts(), config.docker(), config.dockerRelease()));
        for (AgentConfig.Event event : config.events().values()) {
            others.add(event.matchers());
        }
        TaskRegistration registration = new TaskRegistration(config, stats);
        CallHooks callHooks = new CallHooks(config, stats);
        // Byte Buddy's transformer is built by the first class routed to it, on that class's thread.
        List<Class<?>> woven = new WeavingGate(instrumentation, new WeavingRoutes(tasks, others, hooked, callHooks.weavable()),
                registration, callHooks, stats, activity,
                () -> ByteBuddyInstrumentation.transformer(config, stats, registration, tasks, extensions)).install();
        // The common pool may predate the transformation of its constructor. When ForkJoinPool was
        // not loaded yet, its woven constructor registers the pool when it is made; touching it here
        // would load and weave it on the worker's start path for nothing. A hooked class, so it is
        // among the classes the install retransformed if it was loaded.
        if (bootstrapClassNamed(woven, "java.util.concurrent.ForkJoinPool")) { // a string: a class literal would load it
            ExecutorProbes.created(ForkJoinPool.commonPool());
        }
    }

    private static boolean bootstrapClassNamed(List<Class<?>> types, String name) {
        for (Class<?> type : types) {
            if (type.getClassLoader() == null && type.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}

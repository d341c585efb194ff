package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.matching.MethodMatcher;
import io.agentmon.agent.matching.MethodMatchers;
import io.agentmon.bootstrap.Containers;
import io.agentmon.bootstrap.ExecutorProbes;
import io.agentmon.bootstrap.ExecutorRegistry;
import io.agentmon.bootstrap.SeriesBudget;
import io.agentmon.bootstrap.TaskRecorders;
import io.agentmon.bootstrap.TimeoutProbes;
import io.agentmon.bootstrap.Traces;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the one class file transformer: task methods, the worker's timeout handlers, the
 * JDK's timed futures and its thread pools, in classes loaded from now on and, by
 * retransformation, in classes already loaded (the JDK's own always are).
 */
public final class AgentInstrumentation {

    /** Label of the timeouts that no task can be blamed for. */
    public static final String UNKNOWN_TASK = "unknown";

    private AgentInstrumentation() {
    }

    public static void install(Instrumentation instrumentation, AgentConfig config, InstrumentationStats stats,
            List<Extension> extensions) {
        SeriesBudget.useLimit(config.seriesMax());
        TaskRecorders.useBuckets(config.taskBucketsNanos());
        TimeoutProbes.useUnknown(TaskRecorders.registerOwn(UNKNOWN_TASK));
        ExecutorRegistry.useQueueWaitBuckets(config.queueWaitBucketsNanos());
        ExecutorRegistry.useRunTimeBuckets(config.taskBucketsNanos());
        Containers.useBuckets(config.taskBucketsNanos());
        List<MethodMatcher> taskMatchers = new ArrayList<>(config.tasks());
        for (Extension extension : extensions) {
            taskMatchers.addAll(extension.taskMatchers());
        }
        MethodMatchers tasks = new MethodMatchers(taskMatchers);
        MethodMatchers handlers = new MethodMatchers(config.timeouts());

        // Every matching transformation applies (Byte Buddy's default): a method may be a task
        // and a timeout handler at once.
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy())
                // Retransformation may not add fields or methods, so advice is inlined and the
                // class's shape stays as it was.
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new LoadedClassesToRetransform())
                // Describe types from their class files, not by reflection: reflection would load
                // referenced classes (ForkJoinWorkerThread, say) while a transformation is under way,
                // and a class loaded then is never transformed. POOL_ONLY, not POOL_FIRST: both read
                // class files, but POOL_FIRST parses every loading class at once to learn whether it
                // can, where POOL_ONLY parses only what a matcher asks beyond the name; the bytes of
                // the class being woven are always at hand. POOL_FIRST tripled the time a worker
                // spent loading classes (2,324 Spring classes: 3.3 s bare, 10 s woven).
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                // ... falling back to the loaded class for a type with no class file to read, such as
                // an interface another agent added to a JDK class before us.
                .with(new LoadedTypeFallback())
                .with(new ErrorListener(stats))
                .ignore(ignored())
                .type(tasks.matcher())
                .transform(new MatchedMethodsTransformer(tasks, Weavings.tasks(config, stats)))
                .type(handlers.types(), handlers.loaders())
                .transform(new MatchedMethodsTransformer(handlers, Weavings.timeoutHandlers(stats)));
        builder = FutureInstrumentation.apply(builder);
        builder = ExecutorInstrumentation.apply(builder);
        if (Traces.enabled()) {
            builder = CompletableFutureInstrumentation.apply(builder);
        }
        builder = ContainerInstrumentation.apply(builder, config, stats);
        for (Map.Entry<String, AgentConfig.Event> event : config.events().entrySet()) {
            MethodMatchers matchers = new MethodMatchers(event.getValue().matchers());
            builder = builder.type(matchers.types(), matchers.loaders()).transform(new MatchedMethodsTransformer(matchers,
                    Weavings.events(event.getKey(), event.getValue().value(), stats)));
        }
        for (Extension extension : extensions) {
            builder = extension.apply(builder, stats);
        }
        builder.installOn(instrumentation);
        // The common pool may predate the transformation of its constructor. When ForkJoinPool was
        // not loaded yet, its woven constructor registers the pool when it is made; touching it here
        // would load and weave it on the worker's start path for nothing (0.2-0.5 s).
        if (isLoaded(instrumentation, "java.util.concurrent.ForkJoinPool")) { // a string: a class literal would load it
            ExecutorProbes.created(ForkJoinPool.commonPool());
        }
    }

    /** Never woven: agentmon's own classes (the retransformation offers none of them either), Byte Buddy's, the JDK's reflection stubs. */
    private static ElementMatcher.Junction<TypeDescription> ignored() {
        ElementMatcher.Junction<TypeDescription> ignored = nameStartsWith("net.bytebuddy.")
                .or(nameStartsWith("jdk.internal.reflect."))
                .or(nameStartsWith("sun.reflect."));
        for (String own : LoadedClassesToRetransform.AGENT_PACKAGES) {
            ignored = ignored.or(nameStartsWith(own));
        }
        return ignored;
    }

    private static boolean isLoaded(Instrumentation instrumentation, String name) {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (type.getClassLoader() == null && type.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Reports classes that could not be woven; the class then loads unwoven. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        private final InstrumentationStats stats;

        ErrorListener(InstrumentationStats stats) {
            this.stats = stats;
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
            stats.error(typeName, throwable);
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
                DynamicType dynamicType) {
            if (classLoader == null) {
                stats.transformed(type.getName()); // only the JDK's own classes are watched
            }
        }
    }
}

package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.none;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.matching.MethodMatcher;
import io.agentmon.agent.matching.MethodMatchers;
import io.agentmon.bootstrap.Traces;
import java.lang.instrument.ClassFileTransformer;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Byte Buddy's transformer, for every class {@link WeavingGate} routes to it: the task matchers
 * that need class files read, the worker's timeout handlers, events and container allocations,
 * tracing's CompletableFuture tasks, and the frameworks' own hooks. Built once, on the
 * first class that needs it; {@link WeavingGate} registers it with nothing and calls it itself.
 */
final class ByteBuddyInstrumentation {

    private ByteBuddyInstrumentation() {
    }

    static ClassFileTransformer transformer(AgentConfig config, InstrumentationStats stats, TaskRegistration registration,
            List<MethodMatcher> taskMatchers, List<Extension> extensions) {
        MethodMatchers tasks = new MethodMatchers(taskMatchers);
        MethodMatchers handlers = new MethodMatchers(config.timeouts());

        // Every matching transformation applies (Byte Buddy's default): a method may be a task
        // and a timeout handler at once.
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy())
                // A retransformation may not add fields or methods, so advice is inlined and the
                // class's shape stays as it was.
                .disableClassFormatChanges()
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
                .transform(new MatchedMethodsTransformer(tasks, Weavings.tasks(registration)))
                .type(handlers.types(), handlers.loaders())
                .transform(new MatchedMethodsTransformer(handlers, Weavings.timeoutHandlers(stats)));
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
        return builder.makeRaw();
    }

    /** Never woven: what {@link WeavingRoutes#IGNORED} names, whoever asks. */
    private static ElementMatcher.Junction<TypeDescription> ignored() {
        ElementMatcher.Junction<TypeDescription> ignored = none();
        for (String prefix : WeavingRoutes.IGNORED) {
            ignored = ignored.or(nameStartsWith(prefix));
        }
        return ignored;
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

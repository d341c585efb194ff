package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.agentmon.agent.matching.TaskMatchers;
import io.agentmon.bootstrap.TaskRecorders;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the class file transformer that weaves task methods, in classes loaded from now on
 * and, by retransformation, in classes already loaded.
 */
public final class TaskInstrumentation {

    private TaskInstrumentation() {
    }

    public static void install(Instrumentation instrumentation, long[] bucketBoundsNanos, TaskMatchers matchers,
            InstrumentationStats stats) {
        TaskRecorders.useBuckets(bucketBoundsNanos);
        new AgentBuilder.Default(new ByteBuddy())
                // Retransformation may not add fields or methods, so advice is inlined and the
                // class's shape stays as it was.
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new ErrorListener(stats))
                // The agent's own classes: its code, the bootstrap probes, the relocated libraries.
                // Only those: io.agentmon.it.* (the end-to-end tests' fixtures) are woven like any worker's.
                .ignore(nameStartsWith("io.agentmon.agent.")
                        .or(nameStartsWith("io.agentmon.bootstrap."))
                        .or(nameStartsWith("io.agentmon.shaded."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(nameStartsWith("jdk.internal.reflect."))
                        .or(nameStartsWith("sun.reflect."))
                        .or(isSynthetic()))
                .type(matchers.types())
                .transform(new TaskTransformer(matchers, stats))
                .installOn(instrumentation);
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
    }
}

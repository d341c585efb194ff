package io.agentmon.agent.instrument;

import io.agentmon.agent.matching.MethodMatcher;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * What a built-in integration (a job framework, say) adds to the one transformer: task matchers,
 * woven like {@code agentmon.tasks} entries but after them, and hooks of its own.
 */
public interface Extension {

    /**
     * Matchers appended to {@code agentmon.tasks}: one list, so a method the user names too is
     * woven once, under the user's label. Never reported as matching nothing: a framework that
     * is not on the class path is not a mistake.
     */
    default List<MethodMatcher> taskMatchers() {
        return List.of();
    }

    /**
     * The classes {@link #apply} weaves, by name: only they (and the classes of a loader that
     * sees a gated task matcher's framework) are handed to Byte Buddy, so a hook on a class not
     * named here is never applied.
     */
    default List<String> hookedTypes() {
        return List.of();
    }

    /** Adds this integration's own transformations, on the classes {@link #hookedTypes} names. */
    default AgentBuilder apply(AgentBuilder builder, InstrumentationStats stats) {
        return builder;
    }
}

package io.agentmon.agent.instrument;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.matching.MethodMatcher;
import io.agentmon.bootstrap.TaskMethods;
import io.agentmon.bootstrap.TaskRecorders;

/**
 * Registers a task method about to be woven, whoever weaves it (Byte Buddy's {@link TaskAdvice}
 * or {@link TaskWeaver}): its label's recorder, its {@code TaskMethods} id, and the counts the
 * readiness check reports. No Byte Buddy type here: {@link TaskWeaver} runs before Byte Buddy is loaded.
 */
final class TaskRegistration {

    private final AgentConfig config;
    private final InstrumentationStats stats;

    TaskRegistration(AgentConfig config, InstrumentationStats stats) {
        this.config = config;
        this.stats = stats;
    }

    /** Returns the method's probe id, then its method id. */
    int[] register(String className, String methodName, String descriptor, ClassLoader loader, MethodMatcher matcher,
            String label) {
        // Never refused: beyond the series budget the label is folded into "other".
        int probeId = TaskRecorders.registerTask(label, config.deadlineNanos(label));
        if (!TaskMethods.isRegistered(className, methodName, descriptor, loader)) {
            stats.woven(); // a retransformation weaves the same method again: count it once
            stats.matched(matcher, className + "#" + methodName);
        }
        int methodId = TaskMethods.register(className, methodName, descriptor, loader);
        return new int[] {probeId, methodId};
    }
}

package io.agentmon.agent.instrument;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.Echo;
import io.agentmon.agent.matching.MethodMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of what instrumentation did, for {@code /health/ready} and the start-up line. */
public final class InstrumentationStats {

    private final AtomicLong wovenMethods = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong refusedMethods = new AtomicLong();
    /** JDK classes of the fixed instrumentation whose weaving failed (and was not done since). */
    private final Set<String> lostHooks = ConcurrentHashMap.newKeySet();
    /** Methods woven per task matcher (by its text), and the matchers said to match nothing. */
    private final Map<String, AtomicInteger> methodsByMatcher = new ConcurrentHashMap<>();
    private final Set<String> reportedUnmatched = ConcurrentHashMap.newKeySet();

    /** The JDK classes the fixed instrumentation weaves, and what agentmon loses without each. */
    static final Map<String, String> JDK_HOOKS;

    static {
        Map<String, String> hooks = new LinkedHashMap<>();
        hooks.put("java.util.concurrent.ThreadPoolExecutor", "thread pool figures");
        hooks.put("java.util.concurrent.ThreadPoolExecutor$Worker", "pool thread hand-overs (trace context, queue waits)");
        hooks.put("java.util.concurrent.ScheduledThreadPoolExecutor", "scheduled tasks' trace context");
        hooks.put("java.util.concurrent.ForkJoinPool", "fork-join pool figures");
        hooks.put("java.util.concurrent.ForkJoinWorkerThread", "fork-join thread hand-overs");
        hooks.put("java.util.concurrent.FutureTask", "FutureTask.get timeouts");
        hooks.put("java.util.concurrent.CompletableFuture", "CompletableFuture.get and orTimeout timeouts");
        hooks.put("java.util.concurrent.ForkJoinTask", "ForkJoinTask.get timeouts");
        JDK_HOOKS = Collections.unmodifiableMap(hooks);
    }

    void woven() {
        wovenMethods.incrementAndGet();
    }

    /**
     * {@code matcher} (of {@code agentmon.tasks}) wove {@code where} (Class#method). A matcher
     * already reported as matching nothing says so when its first method turns up.
     */
    void matched(MethodMatcher matcher, String where) {
        AtomicInteger count = methodsByMatcher.computeIfAbsent(matcher.toString(), m -> new AtomicInteger());
        if (count.getAndIncrement() == 0 && reportedUnmatched.remove(matcher.toString())) {
            AgentLog.info("task matcher " + Echo.quote(matcher.toString()) + " matches " + where + " now");
        }
    }

    /**
     * The task matchers that have woven no method so far, in configuration order; each is said
     * on stderr the first time it is found so (a class loaded later is still woven).
     */
    public List<String> unmatched(List<MethodMatcher> taskMatchers, boolean report) {
        List<String> unmatched = new ArrayList<>();
        for (MethodMatcher matcher : taskMatchers) {
            String text = matcher.toString();
            AtomicInteger count = methodsByMatcher.get(text);
            if (count == null || count.get() == 0) {
                unmatched.add(text);
                if (report && reportedUnmatched.add(text)) {
                    AgentLog.warn("task matcher " + Echo.quote(text) + " (agentmon.tasks) has matched no method yet: check the "
                            + "package, class and method names (case matters; a nested class is Outer$Inner); "
                            + "a class that loads later is still woven, and this line says so then");
                }
            }
        }
        return unmatched;
    }

    void refused(String typeName, String methodName) {
        if (refusedMethods.getAndIncrement() == 0) {
            AgentLog.warn("too many distinct event names; " + typeName + "#" + methodName
                    + " and any further ones are not recorded");
        }
    }

    void error(String typeName, Throwable error) {
        String lost = JDK_HOOKS.get(typeName);
        if (lost != null) {
            errors.incrementAndGet();
            if (lostHooks.add(typeName)) {
                AgentLog.warn("could not weave " + typeName + ", so " + lost + " are lost (/health/ready says DEGRADED): " + error);
            }
        } else if (errors.getAndIncrement() < 5) {
            AgentLog.warn("could not instrument " + typeName + ": " + error);
        }
    }

    /** {@code typeName} was woven: a JDK class that failed before (another agent's retransformation) is back. */
    void transformed(String typeName) {
        if (lostHooks.remove(typeName)) {
            AgentLog.info(typeName + " is woven after all; " + JDK_HOOKS.get(typeName) + " are recorded from now on");
        }
    }

    /** The JDK classes of {@link #JDK_HOOKS} left unwoven, sorted. */
    public Set<String> lostHooks() {
        return new TreeSet<>(lostHooks);
    }

    public long wovenMethods() {
        return wovenMethods.get();
    }

    public long errors() {
        return errors.get();
    }
}

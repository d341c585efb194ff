package io.agentmon.agent.metrics;

import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Pattern;

/**
 * The {@code pool} label of a thread pool, from the name of the first thread it started:
 * {@code worker-3} gives {@code worker}, {@code pool-2-thread-1} gives {@code pool-2},
 * {@code ForkJoinPool-1-worker-1} gives {@code ForkJoinPool-1}. The user's
 * {@code agentmon.executor.name.<prefix>} replaces a derived name.
 */
public final class PoolNames {

    static final String COMMON_POOL = "ForkJoinPool.commonPool";
    private static final Pattern TRAILING_NUMBER = Pattern.compile("[-_.#]?\\d+$");
    private static final Pattern THREAD_WORD = Pattern.compile("[-_.](thread|worker)$");

    private final Map<String, String> overrides;

    /** {@code overrides}: derived name to the user's name ({@code agentmon.executor.name.<prefix>}). */
    public PoolNames(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    /** The label, or null for a pool that has started no thread yet (it is not reported). */
    String name(Object pool, String firstThreadName) {
        String derived;
        if (pool == ForkJoinPool.commonPool()) {
            derived = COMMON_POOL;
        } else if (firstThreadName == null) {
            return null;
        } else {
            derived = derive(firstThreadName);
        }
        return overrides.getOrDefault(derived, derived);
    }

    static String derive(String threadName) {
        String name = TRAILING_NUMBER.matcher(threadName).replaceFirst("");
        name = THREAD_WORD.matcher(name).replaceFirst("");
        return name.isEmpty() ? threadName : name;
    }
}

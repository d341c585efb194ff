package io.agentmon.agent.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * Derived names by first thread name, so a scrape does not run two regular expressions per
     * pool recorder (a tenth of the pools' collector at 150 series, JFR); cleared when it holds
     * {@value #CACHED} names, so pools that come and go with new thread names cannot grow it.
     */
    static final int CACHED = 1024;
    private final Map<String, String> derived = new ConcurrentHashMap<>();
    private final Map<String, String> overrides;

    /** {@code overrides}: derived name to the user's name ({@code agentmon.executor.name.<prefix>}). */
    public PoolNames(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    /**
     * The label, or null for a pool that has started no thread yet (it is not reported). The
     * common pool is made by whatever first touches {@code ForkJoinPool} (on JDK 25 agentmon's own
     * binders do: {@code Duration.dividedBy} reaches {@code BigInteger}'s parallel multiply), so
     * it too waits for a thread of its own, or for threads it started before it was woven.
     */
    String name(Object pool, String firstThreadName) {
        String name;
        if (pool == ForkJoinPool.commonPool()) {
            if (firstThreadName == null && ((ForkJoinPool) pool).getPoolSize() == 0) {
                return null;
            }
            name = COMMON_POOL;
        } else if (firstThreadName == null) {
            return null;
        } else {
            name = derivedFor(firstThreadName);
        }
        return overrides.getOrDefault(name, name);
    }

    private String derivedFor(String threadName) {
        String known = derived.get(threadName);
        if (known == null) {
            known = derive(threadName);
            if (derived.size() >= CACHED) {
                derived.clear();
            }
            derived.put(threadName, known);
        }
        return known;
    }

    /** Names held by the cache of derived names (for its test). */
    int cached() {
        return derived.size();
    }

    static String derive(String threadName) {
        String name = TRAILING_NUMBER.matcher(threadName).replaceFirst("");
        name = THREAD_WORD.matcher(name).replaceFirst("");
        return name.isEmpty() ? threadName : name;
    }
}

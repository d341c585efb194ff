package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.SeriesBudget;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pool names under the {@link SeriesBudget}: a name keeps its label from the scrape it first
 * appears at until its last pool is gone (then its series are given back, since workers that
 * create a pool per job name them {@code pool-1}, {@code pool-2}, ...); a name that does not
 * fit is summed into the pool {@code other} and counted once while it lasts.
 */
final class PoolLabels {

    private static final Map<String, Integer> ADMITTED = new HashMap<>(); // name -> series reserved; guarded by the class
    private static final Set<String> FOLDED = new HashSet<>(); // guarded by the class

    private PoolLabels() {
    }

    /** The live pools by label: admitted names as they are, the rest summed under other. */
    static synchronized Map<String, PoolTotals> fold(
            Map<String, PoolTotals> byName) {
        for (Iterator<Map.Entry<String, Integer>> it = ADMITTED.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Integer> name = it.next();
            if (!byName.containsKey(name.getKey())) {
                SeriesBudget.release(name.getValue());
                it.remove();
            }
        }
        FOLDED.retainAll(byName.keySet());
        Map<String, PoolTotals> labelled = new TreeMap<>();
        PoolTotals other = null;
        for (Map.Entry<String, PoolTotals> pool : byName.entrySet()) {
            String name = pool.getKey();
            if (!ADMITTED.containsKey(name)) {
                PoolTotals totals = pool.getValue();
                int series = SeriesBudget.poolSeries(totals.waitLayout == null ? 0 : totals.waitLayout.classicBoundsNanos().length,
                        totals.runLayout == null ? 0 : totals.runLayout.classicBoundsNanos().length);
                if (SeriesBudget.reserve(series)) {
                    ADMITTED.put(name, series);
                }
            }
            if (ADMITTED.containsKey(name)) {
                labelled.put(name, pool.getValue());
                continue;
            }
            if (FOLDED.add(name)) {
                SeriesBudget.folded();
            }
            if (other == null) {
                other = new PoolTotals();
            }
            other.add(pool.getValue());
        }
        if (other != null) {
            labelled.merge(SeriesBudget.OTHER, other, (mine, more) -> {
                mine.add(more);
                return mine;
            });
        }
        return labelled;
    }
}

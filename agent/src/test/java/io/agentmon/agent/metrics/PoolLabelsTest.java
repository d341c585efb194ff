package io.agentmon.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.bootstrap.SeriesBudget;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PoolLabelsTest {

    @Test
    void poolNamesBeyondTheBudgetAreSummedIntoOtherAndGiveTheirSeriesBackWhenGone() {
        int cost = SeriesBudget.poolSeries(0, 0);
        PoolLabels.fold(new TreeMap<>()); // what other tests' pools were admitted with goes back first
        synchronized (SeriesBudget.class) {
            SeriesBudget.useLimit((int) SeriesBudget.used() + 2 * cost);
        }
        try {
            long folded = SeriesBudget.foldedLabels();
            Map<String, PoolTotals> labelled = PoolLabels.fold(pools("a", "b", "c", "d"));
            assertEquals(Set.of("a", "b", "other"), labelled.keySet());
            assertEquals(3 + 4, labelled.get("other").queued, "c and d summed");
            assertEquals(folded + 2, SeriesBudget.foldedLabels());
            PoolLabels.fold(pools("a", "b", "c", "d"));
            assertEquals(folded + 2, SeriesBudget.foldedLabels(), "counted once while they last");
            // a's pools are gone: its series go back, and the next name takes them.
            labelled = PoolLabels.fold(pools("b", "c", "d"));
            assertEquals(Set.of("b", "c", "other"), labelled.keySet());
            assertEquals(4, labelled.get("other").queued);
        } finally {
            PoolLabels.fold(new TreeMap<>()); // give everything back
            SeriesBudget.useLimit(Integer.MAX_VALUE);
        }
    }

    /** Pools named a, b, c ... with queued = 1, 2, 3 ... */
    private static Map<String, PoolTotals> pools(String... names) {
        Map<String, PoolTotals> pools = new TreeMap<>();
        for (String name : names) {
            PoolTotals totals = new PoolTotals();
            totals.queued = name.charAt(0) - 'a' + 1;
            pools.put(name, totals);
        }
        return pools;
    }
}

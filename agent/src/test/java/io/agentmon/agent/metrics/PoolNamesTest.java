package io.agentmon.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Pool labels from thread names, remembered between scrapes within a bound. */
class PoolNamesTest {

    @Test
    void aRememberedNameIsTheOneDerivedAndTheOverrideStillApplies() {
        PoolNames names = new PoolNames(Map.of("ingest", "billing"));
        Object pool = new Object();
        for (int scrape = 0; scrape < 3; scrape++) {
            assertEquals("pool-2", names.name(pool, "pool-2-thread-1"));
            assertEquals("worker", names.name(pool, "worker-3"));
            assertEquals("ForkJoinPool-1", names.name(pool, "ForkJoinPool-1-worker-1"));
            assertEquals("billing", names.name(pool, "ingest-7"));
            assertEquals(PoolNames.COMMON_POOL, names.name(ForkJoinPool.commonPool(), null));
            assertEquals(null, names.name(pool, null));
        }
        assertEquals(4, names.cached());
    }

    /** Pools that come and go under new thread names fill the cache to its bound, which then starts over. */
    @Test
    void theCacheOfDerivedNamesStaysWithinItsBound() {
        PoolNames names = new PoolNames(Map.of());
        Object pool = new Object();
        for (int i = 0; i < PoolNames.CACHED * 3 + 5; i++) {
            assertEquals("job" + i + "-pool", names.name(pool, "job" + i + "-pool-" + (i % 7)));
            assertTrue(names.cached() <= PoolNames.CACHED, "cached " + names.cached());
        }
        assertEquals(5, names.cached(), "cleared when full (after 1024, 2048 and 3072 names), then refilled");
    }
}

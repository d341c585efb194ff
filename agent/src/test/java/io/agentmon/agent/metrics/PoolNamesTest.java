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
            assertEquals(PoolNames.COMMON_POOL, names.name(ForkJoinPool.commonPool(), "ForkJoinPool.commonPool-worker-1"));
            assertEquals(null, names.name(pool, null));
        }
        assertEquals(4, names.cached());
    }

    /**
     * The common pool has its name whatever its threads are called, and is reported with no
     * thread seen starting once it has threads (they started before it was woven). That it is
     * not reported before it has any is shown on a real worker by {@code ExecutorsTest} in the
     * integration tests.
     */
    @Test
    void theCommonPoolIsNamedOnceItHasThreads() {
        PoolNames names = new PoolNames(Map.of());
        assertEquals(PoolNames.COMMON_POOL, names.name(ForkJoinPool.commonPool(), "anything-1"));
        ForkJoinPool.commonPool().submit(() -> { }).join();
        assertTrue(ForkJoinPool.commonPool().getPoolSize() > 0);
        assertEquals(PoolNames.COMMON_POOL, names.name(ForkJoinPool.commonPool(), null));
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

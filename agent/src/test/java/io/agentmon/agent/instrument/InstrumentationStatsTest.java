package io.agentmon.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;

/** A JDK class of the fixed instrumentation that could not be woven is named until it is woven. */
class InstrumentationStatsTest {

    @Test
    void unwovenJdkClassesAreListedUntilWoven() {
        InstrumentationStats stats = new InstrumentationStats();
        assertTrue(stats.lostHooks().isEmpty());
        stats.error("com.acme.Worker", new IllegalStateException("not a JDK hook"));
        assertTrue(stats.lostHooks().isEmpty(), "only the fixed JDK instrumentation counts as lost hooks");
        stats.error("java.util.concurrent.FutureTask", new IllegalStateException("other agent"));
        stats.error("java.util.concurrent.FutureTask", new IllegalStateException("again"));
        assertEquals(Collections.singleton("java.util.concurrent.FutureTask"), stats.lostHooks());
        assertEquals(3, stats.errors());
        stats.transformed("java.util.concurrent.FutureTask");
        assertTrue(stats.lostHooks().isEmpty(), "woven by a later retransformation");
    }
}

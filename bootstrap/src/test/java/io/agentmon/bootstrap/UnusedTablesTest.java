package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * What a feature preallocates is made only when the feature is used (issue 12, live heap): the
 * span ring, the per-slot trace ids and the hop table by {@link Traces#enable}, the live feed's
 * ring before the first client, the container table by the first allocation. Reading their
 * counters, as every scrape and the housekeeping thread do, must not make them. On fresh copies
 * of the bootstrap classes, so the suite's own state (tracing enabled by other tests) is not seen.
 */
class UnusedTablesTest {

    private final IsolatedLoader loader = new IsolatedLoader(Traces.class.getPackageName() + ".");

    @Test
    void readingTheCountersOfUnusedFeaturesMakesNoTable() throws Exception {
        assertEquals(0L, call("Traces", "handoffOverflows"));
        call("Traces", "sweepOlderThan", long.class, 0L);
        assertEquals(0L, call("SpanRing", "recorded"));
        assertEquals(0L, call("SpanRing", "dropped"));
        assertEquals(false, call("SpanRing", "poll", type("SpanRing$Span"), newInstance("SpanRing$Span")));
        assertEquals(0L, call("LiveFeed", "recorded"));
        assertEquals(0L, call("LiveFeed", "dropped"));
        assertEquals(false, call("LiveFeed", "poll", type("LiveFeed$Event"), newInstance("LiveFeed$Event")));
        long[] totals = {7, 7};
        assertEquals(0.0, call("Containers", "readActive", long[].class, totals));
        assertEquals(0L, totals[0]);
        call("Containers", "forgetStale", long.class, 0L);
        assertEquals(0L, call("Containers", "overflows"));

        assertFalse(flag("Traces", "handoffsMade"), "hop table");
        assertFalse(flag("SpanRing", "made"), "span ring");
        assertFalse(flag("LiveFeed", "made"), "live feed");
        assertFalse(flag("Containers", "made"), "container table");
        assertFalse(flag("Traces", "slotsMade"), "per-slot trace ids");
    }

    @Test
    void enablingTracingMakesItsTablesBeforeAnyRun() throws Exception {
        call("Traces", "enable", new Class<?>[] {int.class, boolean.class, double.class}, Traces.ALWAYS_ON, true, 1.0);
        assertTrue(flag("Traces", "handoffsMade"), "hop table");
        assertTrue(flag("SpanRing", "made"), "span ring");
        assertTrue(flag("Traces", "slotsMade"), "per-slot trace ids");
        assertFalse(flag("LiveFeed", "made"), "live feed: not tracing's");
        call("LiveFeed", "make");
        assertTrue(flag("LiveFeed", "made"), "live feed, before its first client");
    }

    private Class<?> type(String simpleName) throws ClassNotFoundException {
        return Class.forName(Traces.class.getPackageName() + "." + simpleName, true, loader);
    }

    private Object newInstance(String simpleName) throws Exception {
        var constructor = type(simpleName).getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    private Object call(String simpleName, String method) throws Exception {
        return call(simpleName, method, new Class<?>[0]);
    }

    private Object call(String simpleName, String method, Class<?> parameter, Object argument) throws Exception {
        return call(simpleName, method, new Class<?>[] {parameter}, argument);
    }

    private Object call(String simpleName, String method, Class<?>[] parameters, Object... arguments) throws Exception {
        Method found = type(simpleName).getDeclaredMethod(method, parameters);
        found.setAccessible(true);
        return found.invoke(null, arguments);
    }

    private boolean flag(String simpleName, String field) throws Exception {
        Field found = type(simpleName).getDeclaredField(field);
        found.setAccessible(true);
        return found.getBoolean(null);
    }
}

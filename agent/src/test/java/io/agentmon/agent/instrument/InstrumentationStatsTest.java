package io.agentmon.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What instrumentation counts, and that it says each kind of trouble on stderr a bounded number of times. */
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

    @Test
    void everyWovenMethodIsCounted() {
        InstrumentationStats stats = new InstrumentationStats();
        assertEquals(0, stats.wovenMethods());
        stats.woven();
        stats.woven();
        stats.woven();
        assertEquals(3, stats.wovenMethods());
        assertEquals(0, stats.errors());
    }

    @Test
    void errorsOutsideTheJdkHooksAreAllCountedAndTheFirstFiveSaid() {
        InstrumentationStats stats = new InstrumentationStats();
        List<String> lines = stderrOf(() -> {
            for (int i = 0; i < 7; i++) {
                stats.error("com.acme.Worker" + i, new IllegalStateException("boom " + i));
            }
        });
        assertEquals(7, stats.errors());
        assertEquals(5, lines.size(), String.join("\n", lines));
        for (int i = 0; i < 5; i++) {
            assertEquals("agentmon: could not instrument com.acme.Worker" + i + ": java.lang.IllegalStateException: boom " + i,
                    lines.get(i));
        }
    }

    @Test
    void aLostJdkHookIsSaidOnceWithWhatIsLostAndOnceMoreWhenItIsBack() {
        InstrumentationStats stats = new InstrumentationStats();
        String pool = "java.util.concurrent.ThreadPoolExecutor";
        List<String> lost = stderrOf(() -> {
            stats.error(pool, new IllegalStateException("first"));
            stats.error(pool, new IllegalStateException("second"));
        });
        assertEquals(Collections.singletonList("agentmon: could not weave " + pool + ", so thread pool figures are lost"
                + " (/health/ready says DEGRADED): java.lang.IllegalStateException: first"), lost);
        List<String> back = stderrOf(() -> {
            stats.transformed(pool);
            stats.transformed(pool);
            stats.transformed("java.util.concurrent.FutureTask"); // never lost: nothing to say
        });
        assertEquals(Collections.singletonList("agentmon: " + pool + " is woven after all; thread pool figures are recorded"
                + " from now on"), back);
        List<String> lostAgain = stderrOf(() -> stats.error(pool, new IllegalStateException("third")));
        assertEquals(1, lostAgain.size(), "lost again after it was back: said again");
        assertEquals(3, stats.errors());
    }

    @Test
    void refusedEventNamesAreSaidOnceForTheFirst() {
        InstrumentationStats stats = new InstrumentationStats();
        List<String> lines = stderrOf(() -> {
            stats.refused("java.lang.String", "trim");
            stats.refused("java.lang.String", "strip");
        });
        assertEquals(Collections.singletonList("agentmon: too many distinct event names; java.lang.String#trim"
                + " and any further ones are not recorded"), lines);
    }

    /** A misspelt name here would never match the class whose weaving failed, and its loss would go unsaid. */
    @Test
    void everyJdkHookNamesAJdkClass() throws Exception {
        for (String name : InstrumentationStats.JDK_HOOKS.keySet()) {
            assertEquals(null, Class.forName(name, false, null).getClassLoader(), name + " is a JDK class");
        }
    }

    private static List<String> stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? Collections.emptyList() : Arrays.asList(text.split("\\R"));
    }
}

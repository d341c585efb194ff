package io.agentmon.agent.startup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The wait for the worker's start-up to settle ends by each of its two ways, and on an interrupt. */
class SettledStartupTest {

    private static final long QUIET = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long NEVER = TimeUnit.DAYS.toNanos(1);

    @Test
    void endsOnceClassLoadingHasPaused() {
        AtomicInteger polls = new AtomicInteger();
        // quiet for 0, 100, 200 then 300 ms: the fourth poll sees the pause
        assertTrue(SettledStartup.await(() -> TimeUnit.MILLISECONDS.toNanos(100L * polls.getAndIncrement()), QUIET, NEVER));
        assertTrue(polls.get() == 4, "polled until the pause: " + polls.get());
    }

    @Test
    void endsAtTheBoundWhenClassesNeverStopLoading() {
        assertTrue(SettledStartup.await(() -> 0, QUIET, TimeUnit.MILLISECONDS.toNanos(200)));
    }

    @Test
    void anInterruptEndsItAndIsKept() {
        Thread.currentThread().interrupt();
        try {
            assertFalse(SettledStartup.await(() -> 0, QUIET, NEVER));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }
}

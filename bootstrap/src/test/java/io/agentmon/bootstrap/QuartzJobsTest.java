package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Quartz tables: one entry per job key, counted exactly from many threads, bounded, keys
 * beyond it in the overflow. The tables are the JVM's one copy: the test that fills them runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuartzJobsTest {

    private static QuartzJobs.Entry find(String name, String group) {
        QuartzJobs.Entry found = null;
        for (int slot = 0; slot < QuartzJobs.SLOTS; slot++) {
            QuartzJobs.Entry entry = QuartzJobs.entry(slot);
            if (entry != null && entry.is(name, group)) {
                assertNull(found, "one entry per job key");
                found = entry;
            }
        }
        return found;
    }

    @Test
    @Order(1)
    void aKeysClassIsLearnedBeforeOrAfterItsMisfires() {
        QuartzJobs.misfired("early", "jobs");
        assertSame(QuartzJobs.UNKNOWN_CLASS, find("early", "jobs").jobClass(), "no job detail has named it yet");
        QuartzJobs.learned("early", "jobs", String.class);
        QuartzJobs.misfired("early", "jobs");
        assertEquals(1, find("early", "jobs").misfires());
        assertEquals(1, find("early", "jobs").misfiresUnknown(), "counted before the class was known: kept apart");
        assertSame(String.class, find("early", "jobs").jobClass());

        QuartzJobs.vetoed("vetoed", "jobs", Integer.class);
        QuartzJobs.vetoed("vetoed", "other-group", Long.class);
        assertEquals(1, find("vetoed", "jobs").vetoes());
        assertSame(Integer.class, find("vetoed", "jobs").jobClass(), "name and group together are the key");
        assertSame(Long.class, find("vetoed", "other-group").jobClass());
        assertNull(find("never", "jobs"), "learning is on sight only");
    }

    @Test
    @Order(2)
    void keysRaceToTheirEntriesAndEveryCountLands() throws Exception {
        int threads = 8;
        int keys = 40;
        int rounds = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int round = 0; round < rounds; round++) {
                    for (int key = 0; key < keys; key++) {
                        QuartzJobs.misfired("race-" + key, "race");
                        QuartzJobs.vetoed("race-" + key, "race", QuartzJobsTest.class);
                    }
                }
            });
            thread.start();
            running.add(thread);
        }
        start.countDown();
        for (Thread thread : running) {
            thread.join(60_000);
        }
        for (int key = 0; key < keys; key++) {
            QuartzJobs.Entry entry = find("race-" + key, "race");
            assertNotNull(entry);
            assertEquals((long) threads * rounds, entry.misfires() + entry.misfiresUnknown());
            assertEquals((long) threads * rounds, entry.vetoes());
        }
    }

    @Test
    @Order(3)
    void keysBeyondTheTableAreCountedInTheOverflow() {
        long overflowBefore = QuartzJobs.overflow().misfiresUnknown();
        long tableBefore = 0;
        for (int slot = 0; slot < QuartzJobs.SLOTS; slot++) {
            QuartzJobs.Entry entry = QuartzJobs.entry(slot);
            tableBefore += entry == null ? 0 : entry.misfiresUnknown();
        }
        int keys = QuartzJobs.SLOTS * 2;
        for (int key = 0; key < keys; key++) {
            QuartzJobs.misfired("flood-" + key, "flood");
        }
        long table = 0;
        int used = 0;
        for (int slot = 0; slot < QuartzJobs.SLOTS; slot++) {
            QuartzJobs.Entry entry = QuartzJobs.entry(slot);
            table += entry == null ? 0 : entry.misfiresUnknown();
            used += entry == null ? 0 : 1;
        }
        long overflow = QuartzJobs.overflow().misfiresUnknown() - overflowBefore;
        assertTrue(overflow >= keys - QuartzJobs.SLOTS, "at most SLOTS keys have entries: " + overflow);
        assertEquals(keys, table - tableBefore + overflow, "every misfire counted once, in the table or the overflow");
        assertTrue(used <= QuartzJobs.SLOTS);
        QuartzJobs.misfired(null, "flood"); // a trigger with no job key: counted, never thrown
        assertEquals(overflow + 1, QuartzJobs.overflow().misfiresUnknown() - overflowBefore);
    }

    @Test
    void poolsAreTrackedOnceEachUpToTheLimit() {
        List<Object> pools = new ArrayList<>();
        for (int i = 0; i < QuartzPools.SLOTS + 6; i++) {
            Object pool = new Object();
            pools.add(pool);
            QuartzPools.initialized(pool);
            QuartzPools.initialized(pool); // initialize() twice: still one
        }
        int tracked = 0;
        for (int slot = 0; slot < QuartzPools.SLOTS; slot++) {
            Object pool = QuartzPools.pool(slot);
            if (pool != null) {
                assertTrue(pools.contains(pool));
                tracked++;
            }
        }
        assertEquals(QuartzPools.SLOTS, tracked, "the first SLOTS pools, each once");
        assertTrue(pools.size() > tracked);
    }
}

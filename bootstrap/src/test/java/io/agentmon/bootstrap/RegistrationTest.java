package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/** Registering the same thing twice, or from two threads at once, gives one entry (issue 11). */
class RegistrationTest {

    @Test
    void onePoolRegisteredByManyThreadsAtOnceGetsOneRecorder() throws Exception {
        int threads = 4;
        int rounds = 300; // pools kept alive until the end: well within the 1024-slot table
        CyclicBarrier start = new CyclicBarrier(threads);
        Object[] pools = new Object[rounds];
        for (int round = 0; round < rounds; round++) {
            pools[round] = new Object();
        }
        AtomicReferenceArray<ExecutorRecorder> seen = new AtomicReferenceArray<>(rounds * threads);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            workers[t] = new Thread(() -> {
                try {
                    for (int round = 0; round < rounds; round++) {
                        start.await();
                        seen.set(round * threads + me, ExecutorRegistry.register(pools[round]));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join(60_000);
        }
        int split = 0;
        for (int round = 0; round < rounds; round++) {
            ExecutorRecorder first = seen.get(round * threads);
            assertNotNull(first, "round " + round + " registered");
            for (int t = 1; t < threads; t++) {
                if (seen.get(round * threads + t) != first) {
                    split++;
                }
            }
            assertSame(first, ExecutorRegistry.find(pools[round]));
        }
        assertEquals(0, split, "registrations that got a second recorder for the same pool");
    }

    @Test
    void aMethodWovenAgainKeepsItsId() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        int id = TaskMethods.register("a.Retransformed", "run", "()V", loader);
        assertTrue(TaskMethods.isRegistered("a.Retransformed", "run", "()V", loader));
        assertEquals(id, TaskMethods.register("a.Retransformed", "run", "()V", loader), "a retransformation");
        assertNotEquals(id, TaskMethods.register("a.Retransformed", "run", "(I)V", loader), "an overload is another method");
        try (URLClassLoader other = new URLClassLoader(new URL[0], null)) {
            assertTrue(!TaskMethods.isRegistered("a.Retransformed", "run", "()V", other));
            assertNotEquals(id, TaskMethods.register("a.Retransformed", "run", "()V", other), "the same name in another loader");
        }
        assertEquals("a.Retransformed", TaskMethods.className(id));
    }
}

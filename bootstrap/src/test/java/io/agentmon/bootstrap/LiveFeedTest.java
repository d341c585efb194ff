package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event ring: concurrent producers against its one consumer, where every event is either
 * received intact and in its producer's order or counted as dropped, exactly; and nothing at
 * all recorded while no client listens.
 */
class LiveFeedTest {

    private final LiveFeed.Event event = new LiveFeed.Event();

    @BeforeEach
    @AfterEach
    void drainAndDeactivate() {
        LiveFeed.active = false;
        while (LiveFeed.poll(event)) {
            // empty the shared ring
        }
    }

    @Test
    void concurrentProducersEveryEventIsReceivedOrCountedDropped() throws Exception {
        int producers = 4;
        int perProducer = 200_000;
        long recordedBefore = LiveFeed.recorded();
        long droppedBefore = LiveFeed.dropped();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                await(start);
                for (int i = 0; i < perProducer; i++) {
                    // Every field derived from (producer, i), so a torn slot shows as a mismatch.
                    LiveFeed.record(LiveFeed.TASK_FINISH, producer, i % 3, i, producer + i * 0.5,
                            producer * 1_000_000_000L + i, null);
                }
            });
            thread.start();
            threads.add(thread);
        }
        AtomicBoolean producing = new AtomicBoolean(true);
        long[] received = new long[producers];
        long[] lastIndex = {-1, -1, -1, -1};
        List<String> errors = new ArrayList<>();
        Thread consumer = new Thread(() -> {
            LiveFeed.Event e = new LiveFeed.Event();
            long lastSequence = -1;
            while (true) {
                boolean done = !producing.get(); // read before polling, so nothing published before it is missed
                if (!LiveFeed.poll(e)) {
                    if (done) {
                        return;
                    }
                    Thread.onSpinWait();
                    continue;
                }
                int p = e.probeId;
                long i = e.durationNanos;
                if (e.sequence <= lastSequence || e.kind != LiveFeed.TASK_FINISH || p < 0 || p >= producers
                        || e.outcome != i % 3 || e.cpus != p + i * 0.5 || e.memoryBytes != p * 1_000_000_000L + i
                        || i <= lastIndex[p]) {
                    if (errors.size() < 10) {
                        errors.add("seq " + e.sequence + " after " + lastSequence + ": producer " + p + " index " + i
                                + " outcome " + e.outcome + " cpus " + e.cpus + " memory " + e.memoryBytes);
                    }
                } else {
                    lastIndex[p] = i;
                    received[p]++;
                }
                lastSequence = e.sequence;
            }
        });
        consumer.start();
        start.countDown();
        for (Thread thread : threads) {
            thread.join(120_000);
            assertFalse(thread.isAlive(), "producer finished");
        }
        producing.set(false);
        consumer.join(120_000);
        assertFalse(consumer.isAlive(), "consumer finished");

        assertEquals(List.of(), errors, "every event received intact, in order");
        long produced = (long) producers * perProducer;
        long total = 0;
        for (long count : received) {
            total += count;
        }
        long dropped = LiveFeed.dropped() - droppedBefore;
        assertEquals(produced, total + dropped, "received " + total + " + dropped " + dropped + " == produced");
        assertEquals(produced, LiveFeed.recorded() - recordedBefore);
        assertFalse(LiveFeed.poll(event), "nothing left over");
    }

    @Test
    void aFullRingDropsTheNewestAndCountsExactly() {
        long droppedBefore = LiveFeed.dropped();
        long first = LiveFeed.recorded() - LiveFeed.dropped();
        int extra = 100;
        for (int i = 0; i < LiveFeed.CAPACITY + extra; i++) {
            LiveFeed.record(LiveFeed.TASK_START, i, 0, 0, 0, 0, null);
        }
        assertEquals(extra, LiveFeed.dropped() - droppedBefore);
        for (int i = 0; i < LiveFeed.CAPACITY; i++) {
            assertTrue(LiveFeed.poll(event), "event " + i);
            assertEquals(i, event.probeId, "the oldest are kept, in order");
            assertEquals(first + i, event.sequence);
        }
        assertFalse(LiveFeed.poll(event));
        LiveFeed.record(LiveFeed.TASK_START, 7, 0, 0, 0, 0, null);
        assertTrue(LiveFeed.poll(event), "room again once read");
        assertEquals(7, event.probeId);
    }

    @Test
    void whenInactiveTheProbesRecordNothing() {
        int id = TaskRecorders.registerTask("events.inactive", 1);
        long before = LiveFeed.recorded();
        for (int i = 0; i < 1000; i++) {
            long start = System.nanoTime() - 10; // past its 1 ns deadline, too
            TaskProbes.exit(id, TaskProbes.enter(id, TaskMethods.UNKNOWN, start), start, i % 2 == 0 ? null : new TimeoutException());
            TimeoutProbes.handlerCalled(id);
            TimeoutProbes.futureTimedOut(null);
            ContainerProbes.allocated(start, "c" + i, null, 1, 2);
            ContainerProbes.dockerStarted("c" + i);
            ContainerProbes.dockerStopped("c" + i);
            ContainerProbes.released("c" + i);
        }
        assertEquals(before, LiveFeed.recorded(), "nothing recorded");
        assertFalse(LiveFeed.poll(event), "nothing to read");
        assertEquals(1000, TaskRecorders.recorder(id).success().count() + TaskRecorders.recorder(id).timeout().count(),
                "the runs themselves are still counted");
    }

    @Test
    void whenActiveTheProbesRecordStartFinishTimeoutsAndContainers() {
        int id = TaskRecorders.registerTask("events.active", 1); // a 1 ns deadline: every run is late
        LiveFeed.active = true;
        long start = System.nanoTime() - 1000;
        TaskProbes.exit(id, TaskProbes.enter(id, TaskMethods.UNKNOWN, start), start, new TimeoutException());
        TaskProbes.exit(id, TaskProbes.enter(id, TaskMethods.UNKNOWN, start), start, new IllegalStateException());
        TimeoutProbes.labelledHandlerCalled(id);
        ContainerProbes.dockerCreated(start, "busybox", "abc", null, 1.5, 1024);
        ContainerProbes.dockerStarted("abc");
        ContainerProbes.dockerStopped("abc");
        ContainerProbes.dockerRemoved("abc");
        ContainerProbes.allocated(start, new Object(), new RuntimeException(), 0, 0);
        LiveFeed.active = false;

        expect(LiveFeed.TASK_START, id, 0);
        expect(LiveFeed.TASK_FINISH, id, Outcome.TIMEOUT);
        assertTrue(event.durationNanos >= 1000, "duration " + event.durationNanos);
        expect(LiveFeed.TIMEOUT, id, LiveFeed.REASON_EXCEPTION);
        expect(LiveFeed.TIMEOUT, id, LiveFeed.REASON_DEADLINE);
        expect(LiveFeed.TASK_START, id, 0);
        expect(LiveFeed.TASK_FINISH, id, Outcome.FAILURE);
        expect(LiveFeed.TIMEOUT, id, LiveFeed.REASON_DEADLINE);
        expect(LiveFeed.TIMEOUT, id, LiveFeed.REASON_HANDLER);
        expect(LiveFeed.CONTAINER_ALLOCATED, -1, Outcome.SUCCESS);
        assertEquals("abc", event.container);
        assertEquals(1.5, event.cpus);
        assertEquals(1024, event.memoryBytes);
        expect(LiveFeed.CONTAINER_STARTED, -1, 0);
        expect(LiveFeed.CONTAINER_STOPPED, -1, 0);
        expect(LiveFeed.CONTAINER_RELEASED, -1, 0);
        assertEquals("abc", event.container);
        expect(LiveFeed.CONTAINER_ALLOCATED, -1, Outcome.FAILURE);
        assertNull(event.container, "only String keys are named");
        assertFalse(LiveFeed.poll(event));
    }

    private void expect(int kind, int probeId, int outcome) {
        assertTrue(LiveFeed.poll(event), "an event of kind " + kind);
        assertEquals(kind, event.kind, "kind");
        assertEquals(probeId, event.probeId, "probe");
        assertEquals(outcome, event.outcome, "outcome");
        @SuppressWarnings("deprecation")
        long thread = Thread.currentThread().getId();
        assertEquals(thread, event.threadId);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

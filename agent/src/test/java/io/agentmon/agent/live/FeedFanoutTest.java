package io.agentmon.agent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.bootstrap.LiveFeed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registration with the one fan-out: at most {@link FeedFanout#MAX_CLIENTS} streams, a stalled
 * one gives its place to a newcomer, and the ring is on exactly while someone listens. Stalls
 * are judged at a time the test gives, so nothing here waits for a clock.
 */
class FeedFanoutTest {

    private final FeedFanout fanout = FeedFanout.get();
    private final List<FeedClient> registered = new ArrayList<>();

    @BeforeEach
    void nobodyListens() {
        assertEquals(0, fanout.clientCount(), "no client left by another test");
    }

    @AfterEach
    void unregisterAll() {
        registered.forEach(fanout::remove);
        assertEquals(0, fanout.clientCount());
        assertFalse(LiveFeed.active, "the ring is off once the last client is gone");
    }

    private FeedClient reading() {
        FeedClient client = new FeedClient(null, fanout);
        assertTrue(client.register());
        registered.add(client);
        return client;
    }

    @Test
    void aClientBeyondTheLimitIsRefusedWhileAllTheOthersRead() {
        assertFalse(LiveFeed.active);
        for (int i = 0; i < FeedFanout.MAX_CLIENTS; i++) {
            reading();
            assertTrue(LiveFeed.active, "on from the first client");
        }
        FeedClient refused = new FeedClient(null, fanout);
        assertFalse(refused.register(), "every place is taken by a client that reads");
        assertEquals(FeedFanout.MAX_CLIENTS, fanout.clientCount());
        registered.get(0).unregister();
        assertEquals(FeedFanout.MAX_CLIENTS - 1, fanout.clientCount());
        assertTrue(LiveFeed.active, "on while any client is left");
        assertTrue(refused.register(), "a place that was given back is free again");
        registered.add(refused);
    }

    @Test
    void aClientBlockedInAWriteGivesItsPlaceToANewcomer() throws Exception {
        for (int i = 1; i < FeedFanout.MAX_CLIENTS; i++) {
            reading();
        }
        FeedClient stuck = new FeedClient(null, fanout);
        assertTrue(stuck.register());
        registered.add(stuck);
        FeedClientTest.BlockedStream blocked = new FeedClientTest.BlockedStream();
        CountDownLatch aborted = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(2); // closed by abort(), then by its writer as it ends
        long before = System.nanoTime();
        stuck.start(blocked, () -> {
            blocked.release();
            aborted.countDown();
            ended.countDown();
        });
        assertTrue(blocked.writing.await(30, TimeUnit.SECONDS), "the stuck client's writer began a write");
        long after = System.nanoTime(); // the write began in [before, after]

        FeedClient newcomer = new FeedClient(null, fanout);
        assertFalse(fanout.register(newcomer, before + FeedFanout.STALL_NANOS),
                "blocked for no more than the stall interval: still counted as reading");
        assertEquals(1, aborted.getCount(), "and not closed");

        assertTrue(fanout.register(newcomer, after + FeedFanout.STALL_NANOS + 1), "the stalled client's place");
        registered.add(newcomer);
        assertTrue(aborted.await(30, TimeUnit.SECONDS), "the stalled client's stream was closed");
        assertTrue(ended.await(30, TimeUnit.SECONDS), "and its writer ended");
        assertEquals(FeedFanout.MAX_CLIENTS, fanout.clientCount(), "the newcomer instead of the stalled client");
        assertFalse(fanout.register(new FeedClient(null, fanout), after + FeedFanout.STALL_NANOS + 1),
                "the others read: the next newcomer is refused");
    }
}

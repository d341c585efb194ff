package io.agentmon.agent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One {@code /events} client: its bounded queue, what it writes after a loss, its filter and when it counts as stalled. */
class FeedClientTest {

    private static String frame(int i) {
        return "id: " + i + "\ndata: {\"seq\":" + i + "}\n\n";
    }

    /**
     * A client that does not keep up loses the events that find its queue full (the newest),
     * counted on the client and in the fan-out's total, and its stream then says how many it
     * lost before the next event it gets.
     */
    @Test
    void aFullQueueDropsTheNewestEventsCountsThemAndSaysSoBeforeTheNext() throws Exception {
        FeedClient client = new FeedClient(null, FeedFanout.get());
        long droppedBefore = FeedFanout.droppedByClients();
        int lost = 3;
        for (int i = 0; i < FeedClient.QUEUE_CAPACITY + lost; i++) {
            client.offer(frame(i));
        }
        assertEquals(lost, FeedFanout.droppedByClients() - droppedBefore, "counted as the fan-out's loss");

        String last = frame(FeedClient.QUEUE_CAPACITY - 1);
        ByteArrayOutputStream written = new ByteArrayOutputStream() {
            @Override
            public void flush() throws IOException {
                if (toString(StandardCharsets.UTF_8).endsWith(last)) {
                    throw new IOException("the test's client goes away once it has everything");
                }
            }
        };
        CountDownLatch closed = new CountDownLatch(1);
        client.start(written, closed::countDown);
        assertTrue(closed.await(30, TimeUnit.SECONDS), "the writer ended when its stream broke");

        StringBuilder expected = new StringBuilder(": agentmon events\n\n")
                .append("event: dropped\ndata: {\"dropped\":" + lost + "}\n\n");
        for (int i = 0; i < FeedClient.QUEUE_CAPACITY; i++) {
            expected.append(frame(i));
        }
        assertEquals(expected.toString(), written.toString(StandardCharsets.UTF_8),
                "the loss first, then the queued events in order and none of the dropped ones");
    }

    @Test
    void aTaskFilterTakesThatTasksEventsOnlyAndNoContainerEvents() {
        FeedClient filtered = new FeedClient("Ingest.run", FeedFanout.get());
        assertTrue(filtered.accepts("Ingest.run"));
        assertFalse(filtered.accepts("Ingest.runs"));
        assertFalse(filtered.accepts(null), "container events have no task");
        FeedClient everything = new FeedClient(null, FeedFanout.get());
        assertTrue(everything.accepts("Ingest.run"));
        assertTrue(everything.accepts(null));
    }

    /** Stalled when its queue overflowed within the stall interval: judged at a given time, so no test waits for it. */
    @Test
    void aClientIsStalledWhileItsQueueOverflowedRecently() {
        FeedClient client = new FeedClient(null, FeedFanout.get());
        long stall = FeedFanout.STALL_NANOS;
        assertFalse(client.stalled(System.nanoTime(), stall), "a new client reads");
        for (int i = 0; i < FeedClient.QUEUE_CAPACITY; i++) {
            client.offer(frame(i));
        }
        assertFalse(client.stalled(System.nanoTime(), stall), "full is not yet a loss");
        long before = System.nanoTime();
        client.offer(frame(FeedClient.QUEUE_CAPACITY));
        long after = System.nanoTime();
        // The drop happened in [before, after]: at `after` it is at most after - before old.
        assertTrue(client.stalled(after, after - before + 1), "dropped within the interval");
        assertFalse(client.stalled(after + stall, stall), "its last drop is an interval old: no longer stalled");
    }

    /** Stalled while one write has been blocked for longer than the stall interval. */
    @Test
    void aClientIsStalledWhileAWriteIsBlockedTooLong() throws Exception {
        BlockedStream blocked = new BlockedStream();
        FeedClient client = new FeedClient(null, FeedFanout.get());
        long before = System.nanoTime();
        CountDownLatch ended = new CountDownLatch(2); // closed by abort(), then by the writer as it ends
        client.start(blocked, () -> {
            blocked.release();
            ended.countDown();
        });
        assertTrue(blocked.writing.await(30, TimeUnit.SECONDS), "the writer began its first write");
        long after = System.nanoTime();
        long stall = FeedFanout.STALL_NANOS;
        // The write began in [before, after].
        assertFalse(client.stalled(before + stall, stall), "blocked for no more than the interval");
        assertTrue(client.stalled(after + stall + 1, stall), "blocked for longer than the interval");
        client.abort();
        assertTrue(ended.await(30, TimeUnit.SECONDS));
    }

    /** An output stream whose writes block until the connection is closed, as a client's that stopped reading. */
    static final class BlockedStream extends java.io.OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("connection closed");
        }

        void release() {
            closed.countDown();
        }
    }
}

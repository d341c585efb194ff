package io.agentmon.agent.live;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code GET /events} connection: a bounded queue of formatted frames, filled by the drainer
 * ({@link #offer}, never blocking: a full queue drops and counts), and a daemon writer thread of
 * its own that empties it into the response. The writer alone may block on the socket, so a
 * client that stops reading costs only its own thread and its own events, and each write has the
 * server's stream write deadline; when its connection breaks the writer removes it. A client
 * whose write has been blocked for a second, or whose queue overflowed within the last one, is
 * {@linkplain #stalled stalled} and gives its place to a new client when all places are taken. Every {@link #HEARTBEAT_MILLIS} without events the writer sends a
 * comment {@code : heartbeat <drained> dropped=<n>}: every event before sequence {@code drained}
 * that this client takes has been written above it, or counted among its {@code n} dropped.
 */
public final class FeedClient {

    /** Frames a client may have queued; beyond that its newest events are dropped. */
    public static final int QUEUE_CAPACITY = 1024;
    static final long HEARTBEAT_MILLIS = 2_000;
    private static final AtomicInteger NUMBER = new AtomicInteger();

    private final String task;
    private final FeedFanout fanout;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    /** When the write in progress began (nanoTime), or 0 when none is. */
    private volatile long writingSince;
    private volatile long lastDropNanos;
    private volatile Runnable close;

    /** A client for the events of one task label, or of everything when {@code task} is null. */
    public FeedClient(String task, FeedFanout fanout) {
        this.task = task;
        this.fanout = fanout;
    }

    /** Registers with the fan-out; false when too many clients are connected. */
    public boolean register() {
        return fanout.register(this);
    }

    /** Gives up before streaming (the response could not be started). */
    public void unregister() {
        fanout.remove(this);
    }

    /** Starts the writer thread, which owns {@code out} and calls {@code close} when the stream ends. */
    public void start(OutputStream out, Runnable close) {
        this.close = close;
        Thread writer = new Thread(() -> write(out, close), "agentmon-events-client-" + NUMBER.incrementAndGet());
        writer.setDaemon(true);
        writer.start();
    }

    /** A filter on the task label: container events have none and pass only unfiltered. */
    boolean accepts(String eventTask) {
        return task == null || task.equals(eventTask);
    }

    /** Called by the drainer only. */
    void offer(String frame) {
        if (!queue.offer(frame)) {
            lastDropNanos = System.nanoTime();
            dropped.incrementAndGet();
            FeedFanout.countDropped();
        }
    }

    /**
     * Not reading: a write has been blocked for {@code stallNanos}, or its queue overflowed that
     * recently. Such a client may lose its place to a new one.
     */
    boolean stalled(long now, long stallNanos) {
        long since = writingSince;
        long dropped = lastDropNanos;
        return since != 0 && now - since > stallNanos || dropped != 0 && now - dropped < stallNanos;
    }

    /** Ends the stream from outside (its place was given to another client); its writer then stops. */
    void abort() {
        Runnable closing = close;
        if (closing != null) {
            closing.run();
        }
    }

    private void write(OutputStream out, Runnable close) {
        try {
            send(out, ": agentmon events" + (task == null ? "" : " of task " + task.replace('\n', ' ')) + "\n\n");
            flush(out);
            long reported = 0;
            while (true) {
                String frame = queue.poll(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    long drained = fanout.drained(); // read before finding the queue empty: see the class javadoc
                    frame = queue.poll();
                    if (frame == null) {
                        send(out, ": heartbeat " + drained + " dropped=" + dropped.get() + "\n\n");
                        flush(out);
                        continue;
                    }
                }
                long lost = dropped.get();
                if (lost != reported) {
                    send(out, "event: dropped\ndata: {\"dropped\":" + lost + "}\n\n");
                    reported = lost;
                }
                send(out, frame);
                if (queue.isEmpty()) {
                    flush(out);
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            fanout.remove(this);
            try {
                close.run();
            } catch (RuntimeException ignored) {
                // closing a broken connection
            }
        }
    }

    private void send(OutputStream out, String text) throws IOException {
        writingSince = System.nanoTime() | 1; // never 0 while writing
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } finally {
            writingSince = 0;
        }
    }

    private void flush(OutputStream out) throws IOException {
        writingSince = System.nanoTime() | 1;
        try {
            out.flush();
        } finally {
            writingSince = 0;
        }
    }
}

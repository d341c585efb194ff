package io.agentmon.agent.live;

import io.agentmon.agent.AgentLog;
import io.agentmon.bootstrap.LiveFeed;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The one consumer of {@link LiveFeed}: a daemon thread ({@code agentmon-events}) that drains
 * the ring, formats each event once and offers it to every connected client whose filter takes
 * it. Offering never blocks: a client whose own queue is full loses the event, counted on the
 * client and in {@link #droppedByClients()}. Writing to sockets is each client's own thread's job
 * ({@link FeedClient}), so a stuck client holds back neither this thread nor the worker.
 *
 * <p>{@link LiveFeed#active} is true exactly while a client is registered here; registration
 * and removal are rare and synchronized, and the drainer reads an immutable array of clients.
 */
public final class FeedFanout {

    /** Most streams at once; one more takes a stalled one's place, or is answered 503. Each has its own writer thread. */
    public static final int MAX_CLIENTS = 4;
    /** A client whose write has been blocked this long, or whose queue overflowed this recently, is stalled. */
    static final long STALL_NANOS = 1_000_000_000L;

    private static final FeedFanout INSTANCE = new FeedFanout();
    private static final LongAdder DROPPED_BY_CLIENTS = new LongAdder();
    private static final long IDLE_PARK_NANOS = 2_000_000L;
    private static final long NO_CLIENT_PARK_NANOS = 100_000_000L;

    private final Object lock = new Object();
    private volatile FeedClient[] clients = new FeedClient[0];
    private volatile long drained;
    private Thread drainer; // guarded by lock

    private FeedFanout() {
    }

    public static FeedFanout get() {
        return INSTANCE;
    }

    /** Events that clients lost because their own queue was full (slow or stuck readers). */
    public static long droppedByClients() {
        return DROPPED_BY_CLIENTS.sum();
    }

    /** All events lost on the way to clients: ring full, or a client's queue full. */
    public static long dropped() {
        return LiveFeed.dropped() + droppedByClients();
    }

    /**
     * The sequence after the last event handed to the clients' queues. Read before finding a
     * client's queue empty, it says that every event before it was written or counted lost.
     */
    long drained() {
        return drained;
    }

    /**
     * Adds a client and turns the ring on. When {@link #MAX_CLIENTS} are connected, a stalled one
     * (not reading) gives up its place; false when all of them are reading.
     */
    boolean register(FeedClient client) {
        return register(client, System.nanoTime());
    }

    /** {@link #register(FeedClient)}, judging who is stalled at {@code now} ({@link System#nanoTime()}). */
    boolean register(FeedClient client, long now) {
        FeedClient stalled = null;
        boolean added = add(client);
        if (!added) {
            stalled = takeStalled(now);
            added = stalled != null && add(client);
        }
        if (stalled != null) {
            stalled.abort(); // outside the lock: closing a socket may take a moment
        }
        return added;
    }

    private FeedClient takeStalled(long now) {
        synchronized (lock) {
            for (FeedClient candidate : clients) {
                if (candidate.stalled(now, STALL_NANOS)) {
                    remove(candidate);
                    return candidate;
                }
            }
            return null;
        }
    }

    private boolean add(FeedClient client) {
        synchronized (lock) {
            FeedClient[] now = clients;
            if (now.length >= MAX_CLIENTS) {
                return false;
            }
            FeedClient[] more = java.util.Arrays.copyOf(now, now.length + 1);
            more[now.length] = client;
            clients = more;
            LiveFeed.make(); // the ring is allocated when the first client comes, never on a worker's thread
            LiveFeed.active = true;
            if (drainer == null) {
                drainer = new Thread(this::drain, "agentmon-events");
                drainer.setDaemon(true);
                drainer.start();
            }
            return true;
        }
    }

    void remove(FeedClient client) {
        synchronized (lock) {
            clients = java.util.Arrays.stream(clients).filter(c -> c != client).toArray(FeedClient[]::new);
            if (clients.length == 0) {
                LiveFeed.active = false;
            }
        }
    }

    int clientCount() {
        return clients.length;
    }

    static void countDropped() {
        DROPPED_BY_CLIENTS.increment();
    }

    private void drain() {
        LiveFeed.Event event = new LiveFeed.Event();
        while (true) {
            boolean any = false;
            try {
                while (LiveFeed.poll(event)) {
                    any = true;
                    dispatch(event);
                    drained = event.sequence + 1;
                }
            } catch (RuntimeException e) {
                AgentLog.warn("event stream: " + e);
            }
            if (!any) {
                LockSupport.parkNanos(clients.length == 0 ? NO_CLIENT_PARK_NANOS : IDLE_PARK_NANOS);
            }
        }
    }

    private void dispatch(LiveFeed.Event event) {
        FeedClient[] now = clients;
        if (now.length == 0) {
            return; // recorded just before the last client left
        }
        String task = null;
        if (event.probeId >= 0) {
            TaskRecorder recorder = TaskRecorders.recorder(event.probeId);
            task = recorder == null ? "unknown" : recorder.label();
        }
        String frame = null;
        for (FeedClient client : now) {
            if (client.accepts(task)) {
                if (frame == null) {
                    frame = FeedJson.frame(event, task);
                }
                client.offer(frame);
            }
        }
    }
}

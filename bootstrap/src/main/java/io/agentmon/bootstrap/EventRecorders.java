package io.agentmon.bootstrap;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for named events ({@code agentmon.events.<name>}), each with an optional value
 * distribution (count and sum). Registration is rare and synchronized, at transform time; the
 * woven code reaches its event by a constant id: one array read and one or two adds.
 *
 * <p><b>Threads.</b> {@link #register} runs on the transforming thread (synchronized); the
 * counters are written by any worker thread at once (adders, no lock) and read by agent threads
 * at scrape time, each exact but not all at one instant.
 */
public final class EventRecorders {

    /** Most event names one JVM records. */
    public static final int MAX_EVENTS = 256;

    private static final AtomicReferenceArray<Event> EVENTS = new AtomicReferenceArray<>(MAX_EVENTS);
    private static final Map<String, Integer> IDS = new HashMap<>(); // guarded by itself
    private static volatile int size;

    private EventRecorders() {
    }

    /** The id of event {@code name}, created on first use; -1 when {@link #MAX_EVENTS} exist. */
    public static int register(String name) {
        synchronized (IDS) {
            Integer known = IDS.get(name);
            if (known != null) {
                return known;
            }
            if (size == MAX_EVENTS) {
                return -1;
            }
            int id = size;
            EVENTS.set(id, new Event(name));
            IDS.put(name, id);
            size = id + 1;
            return id;
        }
    }

    /** Called by woven code: the event happened. */
    public static void occurred(int id) {
        EVENTS.get(id).count.increment();
    }

    /** Called by woven code: the event's value. */
    public static void value(int id, double value) {
        Event event = EVENTS.get(id);
        event.valueCount.increment();
        event.valueSum.add(value);
    }

    public static int size() {
        return size;
    }

    public static Event event(int id) {
        return EVENTS.get(id);
    }

    /** One named event. */
    public static final class Event {
        private final String name;
        final LongAdder count = new LongAdder();
        final LongAdder valueCount = new LongAdder();
        final DoubleAdder valueSum = new DoubleAdder();

        Event(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public long count() {
            return count.sum();
        }

        /** Values recorded; fewer than {@link #count()} when some could not be read. */
        public long valueCount() {
            return valueCount.sum();
        }

        public double valueSum() {
            return valueSum.sum();
        }
    }
}

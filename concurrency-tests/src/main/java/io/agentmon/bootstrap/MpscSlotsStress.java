package io.agentmon.bootstrap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link MpscSlots} claim/publish/poll: a polled element is never seen half-written, never lost
 * and never seen twice, and the consumer's reads of a slot come before the next lap's writes.
 *
 * <p>Each test drives the real {@code MpscSlots} with two field arrays of its own, as
 * {@link LiveFeed} and {@link SpanRing} keep theirs: an element {@code v} is written as
 * {@code first[slot] = v; second[slot] = -v}, so a consumer that reads both can tell an intact
 * element ({@code v}), one not written yet ({@link Ring#STALE}) and a mix of two writes
 * ({@link Ring#TORN}). jcstress runs at most as many actors as the machine has CPUs, and CI has
 * two, so every test has two actors; the consumer's role, which one thread may hold, moves
 * between an actor and the arbiter.
 */
public final class MpscSlotsStress {

    private MpscSlotsStress() {
    }

    /** A ring of long elements on the real sequencer, filled and drained as the bootstrap's rings do. */
    static final class Ring {
        static final int EMPTY = -1;
        static final int STALE = -2;
        static final int TORN = -3;

        final MpscSlots slots;
        final long[] first;
        final long[] second;

        Ring(int capacity) {
            slots = new MpscSlots(capacity);
            first = new long[capacity];
            second = new long[capacity];
        }

        /** Producer: true when the element went in, false when it was dropped (full). */
        boolean offer(int value) {
            long sequence = slots.claim();
            if (sequence < 0) {
                return false;
            }
            int slot = slots.slot(sequence);
            first[slot] = value;
            second[slot] = -value;
            slots.publish(sequence);
            return true;
        }

        /** Consumer: the element at the head, or {@link #EMPTY}; {@link #STALE} or {@link #TORN} if seen broken. */
        int poll() {
            long head = slots.head();
            if (!slots.readable(head)) {
                return EMPTY;
            }
            int slot = slots.slot(head);
            long a = first[slot];
            long b = second[slot];
            first[slot] = 0; // as the rings null their references: must not reach the next lap's element
            second[slot] = 0;
            slots.release(head);
            if (a == 0 && b == 0) {
                return STALE;
            }
            return a == -b ? (int) a : TORN;
        }
    }

    /** Counts how often each of the elements 1 and 2 was polled, and any broken element. */
    static final class Tally {
        int ones;
        int twos;
        int broken;

        void add(int polled) {
            if (polled == 1) {
                ones++;
            } else if (polled == 2) {
                twos++;
            } else if (polled != Ring.EMPTY) {
                broken++;
            }
        }
    }

    /**
     * Two producers race for sequences while one of them then acts as the consumer; the arbiter
     * drains what is left. Each element must be polled exactly once, intact.
     */
    @JCStressTest
    @Outcome(id = "[012], 1, 1, 0", expect = ACCEPTABLE,
            desc = "Each element polled once, intact (the first number: how many actor2 polled while actor1 produced).")
    @Outcome(expect = FORBIDDEN, desc = "An element lost, polled twice, or seen half-written.")
    @State
    public static class ProducersRaceWhileConsumerPolls {
        final Ring ring = new Ring(4);
        final Tally tally = new Tally();
        int polledByActor;

        @Actor
        public void producer() {
            ring.offer(1);
        }

        @Actor
        public void producerThenConsumer() {
            ring.offer(2);
            for (int i = 0; i < 2; i++) {
                int polled = ring.poll();
                if (polled == Ring.EMPTY) {
                    break; // the head is claimed but not yet published: nothing behind it may be read
                }
                polledByActor++;
                tally.add(polled);
            }
        }

        @Arbiter
        public void drain(IIII_Result r) {
            int polled;
            while ((polled = ring.poll()) != Ring.EMPTY) {
                tally.add(polled);
            }
            r.r1 = polledByActor;
            r.r2 = tally.ones;
            r.r3 = tally.twos;
            r.r4 = tally.broken;
        }
    }

    /**
     * Two producers race for the last free slot: exactly one wins, the other's element is
     * dropped and counted, and {@code offered} counts both.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 1, 1", "0, 1, 1, 1"}, expect = ACCEPTABLE,
            desc = "One producer got the slot, the other was dropped and counted; the one element polled intact.")
    @Outcome(expect = FORBIDDEN, desc = "Both got the slot, neither did, a drop uncounted, or the element lost or broken.")
    @State
    public static class ProducersRaceForTheLastSlot {
        final Ring ring = new Ring(1);
        int firstIn;
        int secondIn;

        @Actor
        public void producer1() {
            firstIn = ring.offer(1) ? 1 : 0;
        }

        @Actor
        public void producer2() {
            secondIn = ring.offer(2) ? 1 : 0;
        }

        @Arbiter
        public void drain(IIII_Result r) {
            int expected = firstIn == 1 ? 1 : 2;
            int polled = 0;
            int value;
            while ((value = ring.poll()) != Ring.EMPTY) {
                polled += value == expected ? 1 : 100;
            }
            r.r1 = firstIn;
            r.r2 = secondIn;
            r.r3 = ring.slots.offered() == 2 ? (int) ring.slots.dropped() : -1;
            r.r4 = polled;
        }
    }

    /**
     * One producer publishes while the consumer polls: the consumer sees the element whole or
     * not at all (the plain stores are ordered before the publish), and the arbiter finds it
     * if the consumer did not.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The consumer polled the element, intact.")
    @Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "Not yet published when the consumer looked; polled later.")
    @Outcome(expect = FORBIDDEN, desc = "Seen before its fields were written, half-written, lost, or twice.")
    @State
    public static class PublishPoll {
        final Ring ring = new Ring(2);
        int seen;

        @Actor
        public void producer() {
            ring.offer(1);
        }

        @Actor
        public void consumer() {
            seen = ring.poll();
        }

        @Arbiter
        public void drain(II_Result r) {
            int later = 0;
            int polled;
            while ((polled = ring.poll()) != Ring.EMPTY) {
                later += polled == 1 ? 1 : 100;
            }
            r.r1 = seen;
            r.r2 = later;
        }
    }

    /**
     * The ring holds one element and is full; the consumer polls it while a producer offers the
     * next, which can only go into the same slot. The consumer must see the old element intact
     * (its reads come before its release, and the producer writes only after seeing the
     * release); the producer either saw the slot freed or dropped its element, counted.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "Slot freed in time: the next element went in and was polled intact.")
    @Outcome(id = "1, 0, -1", expect = ACCEPTABLE, desc = "The ring was still full: the next element was dropped and counted.")
    @Outcome(expect = FORBIDDEN, desc = "The consumer saw the next lap's write, an element was lost or broken, or a drop went uncounted.")
    @State
    public static class NextLapWaitsForTheConsumer {
        final Ring ring = new Ring(1);
        int seen;
        int offered;

        public NextLapWaitsForTheConsumer() {
            ring.offer(1);
        }

        @Actor
        public void consumer() {
            seen = ring.poll();
        }

        @Actor
        public void producer() {
            offered = ring.offer(2) ? 1 : 0;
        }

        @Arbiter
        public void drain(III_Result r) {
            int next = ring.poll();
            boolean counted = ring.slots.dropped() == 1 - offered && ring.poll() == Ring.EMPTY;
            r.r1 = seen;
            r.r2 = offered;
            r.r3 = counted ? next : -100;
        }
    }
}

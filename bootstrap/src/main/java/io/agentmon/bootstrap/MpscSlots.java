package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sequencing half of a bounded, lock-free, multi-producer single-consumer ring whose
 * elements live in the caller's own primitive arrays (one per field), so recording never
 * allocates. {@link LiveFeed} and {@link SpanRing} keep their fields; this class hands out
 * the slots and orders the hand-over.
 *
 * <p>The algorithm (that of JCTools' {@code MpscArrayQueue}, with per-slot sequences as in
 * Vyukov's bounded queue, since the elements are primitives and cannot be null-checked):
 * <ol>
 * <li>A producer reads {@code tail} and {@code head} (volatile loads); if {@code tail - head}
 *     equals the capacity the ring is full: {@link #claim} counts a drop and returns -1.
 *     Otherwise it claims sequence {@code t} by one CAS of {@code tail}, retrying on
 *     contention (a failed CAS means another producer won).</li>
 * <li>The producer fills slot {@link #slot}{@code (t)} with plain stores, then calls
 *     {@link #publish}: an ordered store ({@code lazySet}, a store-release) of {@code t + 1}
 *     into {@code published[slot]}. The plain stores cannot move below it.</li>
 * <li>The consumer, expecting sequence {@code h}, asks {@link #readable}: a load-acquire of
 *     {@code published[slot]}, true only when it equals {@code h + 1}. Any other value means
 *     claimed but not yet published; the consumer tries again later, nothing is skipped or torn.</li>
 * <li>After copying the fields out, the consumer calls {@link #release}: an ordered store of
 *     {@code h + 1} into {@code head}, so a producer that later claims {@code h + capacity}
 *     writes the slot only after the consumer's reads.</li>
 * </ol>
 *
 * <p><b>Loss policy: the newest element is dropped when the ring is full</b>, and counted.
 * Overwriting the oldest would let two producers (one stalled a lap behind) write one slot at
 * once; dropping at the producer keeps one writer per slot and the count exact:
 * {@code consumed + dropped == offered}. NOTE: a producer descheduled between its claim and
 * its publish holds up the consumer (never other producers) until it runs again.
 */
final class MpscSlots {

    private final int mask;
    private final int capacity;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong head = new AtomicLong();
    private final AtomicLongArray published;
    private final LongAdder dropped = new LongAdder();

    /** @param capacity a power of two */
    MpscSlots(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.published = new AtomicLongArray(capacity);
    }

    /** Claims the next sequence for a producer, or returns -1 (and counts a drop) when the ring is full. */
    long claim() {
        long claimed;
        do {
            claimed = tail.get();
            if (claimed - head.get() >= capacity) {
                dropped.increment();
                return -1;
            }
        } while (!tail.compareAndSet(claimed, claimed + 1));
        return claimed;
    }

    int slot(long sequence) {
        return (int) sequence & mask;
    }

    /** Store-release: the producer's plain stores into the slot are visible to whoever sees this. */
    void publish(long sequence) {
        published.lazySet(slot(sequence), sequence + 1);
    }

    /** The sequence the consumer reads next. Only the consumer calls this. */
    long head() {
        return head.get();
    }

    /** Load-acquire: whether the element at {@code sequence} (the head) is published. */
    boolean readable(long sequence) {
        return published.get(slot(sequence)) == sequence + 1;
    }

    /** Frees the head slot once the consumer has copied it out. */
    void release(long sequence) {
        head.lazySet(sequence + 1);
    }

    /** Sequences handed out plus drops: everything producers offered. */
    long offered() {
        return tail.get() + dropped.sum();
    }

    long dropped() {
        return dropped.sum();
    }
}

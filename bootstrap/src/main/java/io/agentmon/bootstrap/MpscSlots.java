package io.agentmon.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sequencing half of a bounded, lock-free, multi-producer single-consumer ring whose
 * elements live in the caller's own primitive arrays (one per field), so recording never
 * allocates. {@link LiveFeed} and {@link SpanRing} keep their fields; this class hands out
 * the slots and orders the hand-over.
 *
 * <p><b>Threading contract.</b> Any number of producer threads call {@link #claim}, fill the
 * claimed slot with plain stores and call {@link #publish}; exactly one consumer thread calls
 * {@link #head}, {@link #readable} and {@link #release}, and copies the fields between the
 * last two; {@link #offered} and {@link #dropped} may be read by any thread. Two orderings
 * carry the hand-over, and both must hold: a producer's plain stores happen before the
 * consumer's reads (store-release of {@code published[slot]}, load-acquire in
 * {@link #readable}), and the consumer's reads happen before the next lap's producer writes
 * the slot (store-release of {@code head} in {@link #release}, load-acquire of {@code head}, or
 * of the cached limit derived from it, in {@link #claim}). The jcstress tests in
 * {@code concurrency-tests/} hold both to their forbidden outcomes.
 *
 * <p>The algorithm (that of JCTools' {@code MpscArrayQueue}, with per-slot sequences as in
 * Vyukov's bounded queue, since the elements are primitives and cannot be null-checked):
 * <ol>
 * <li>A producer reads the cached limit and {@code tail}; while {@code tail} is below the limit
 *     the ring has room and the consumer's {@code head} is not read at all (its cache line
 *     stays with the consumer). At the limit it reads {@code head}: if {@code tail - head}
 *     equals the capacity the ring is full and {@link #claim} counts a drop and returns -1;
 *     otherwise it stores the new limit {@code head + capacity}. It claims sequence {@code t}
 *     by one CAS of {@code tail}, retrying on contention (a failed CAS means another producer
 *     won).</li>
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
 * <p><b>Layout.</b> {@code tail} (CASed by every producer), the cached limit (read by every
 * producer, written about once a lap) and {@code head} (written by the consumer on every
 * element) each sit alone between 128 bytes of padding (two cache lines, for the adjacent-line
 * prefetcher), in superclass fields as JCTools lays them out, since the JVM keeps a
 * superclass's fields ahead of its subclass's. Before, {@code tail} and {@code head} were two
 * {@code AtomicLong}s allocated one after the other, most likely in one cache line, which
 * every poll took away from the producers.
 *
 * <p><b>Why not JCTools itself.</b> Its queues carry object references: handing a span or an
 * event through {@code MpscArrayQueue} would allocate an element per record on the worker's
 * thread (or need a second, pooled queue to return the elements, a second CAS per record),
 * where this ring writes primitives into preallocated arrays and allocates nothing (0 B/op in
 * {@code TracingBenchmark.sampledRecorded}); and it keeps the bootstrap jar, which is on the
 * class path of every class loader, free of a library the worker may ship in another version.
 *
 * <p><b>Loss policy: the newest element is dropped when the ring is full</b>, and counted.
 * Overwriting the oldest would let two producers (one stalled a lap behind) write one slot at
 * once; dropping at the producer keeps one writer per slot and the count exact:
 * {@code consumed + dropped == offered}, and sequences have no gaps. NOTE: a producer
 * descheduled between its claim and its publish holds up the consumer (never other
 * producers) until it runs again.
 */
final class MpscSlots extends MpscSlotsHeadPad {

    private static final VarHandle TAIL;
    private static final VarHandle TAIL_LIMIT;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(MpscSlotsTail.class, "tail", long.class);
            TAIL_LIMIT = lookup.findVarHandle(MpscSlotsTailLimit.class, "tailLimit", long.class);
            HEAD = lookup.findVarHandle(MpscSlotsHead.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final int capacity;
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
        TAIL_LIMIT.setRelease(this, (long) capacity); // head is 0: the first lap needs no look at it
    }

    /** Claims the next sequence for a producer, or returns -1 (and counts a drop) when the ring is full. */
    long claim() {
        long limit = (long) TAIL_LIMIT.getAcquire(this);
        long claimed;
        do {
            claimed = (long) TAIL.getVolatile(this);
            if (claimed >= limit) {
                limit = (long) HEAD.getAcquire(this) + capacity;
                if (claimed >= limit) {
                    dropped.increment();
                    return -1;
                }
                // NOTE: a benign race: producers store the limits they computed in any order, so a
                // smaller one may overwrite a larger. Every limit stored is some past head plus the
                // capacity, never beyond the real one; a stale limit costs only an early look at head.
                TAIL_LIMIT.setRelease(this, limit);
            }
        } while (!TAIL.compareAndSet(this, claimed, claimed + 1));
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
        return (long) HEAD.get(this); // the consumer is head's only writer: its own last store
    }

    /** Load-acquire: whether the element at {@code sequence} (the head) is published. */
    boolean readable(long sequence) {
        return published.get(slot(sequence)) == sequence + 1;
    }

    /** Frees the head slot once the consumer has copied it out. */
    void release(long sequence) {
        HEAD.setRelease(this, sequence + 1);
    }

    /** Sequences handed out plus drops: everything producers offered. */
    long offered() {
        return (long) TAIL.getVolatile(this) + dropped.sum();
    }

    long dropped() {
        return dropped.sum();
    }
}

// The padded fields, one class each, as in JCTools: a class's fields are laid out after its
// superclass's, so each index is 128 bytes from anything else that is written.

abstract class MpscSlotsTailPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

abstract class MpscSlotsTail extends MpscSlotsTailPad0 {
    /** The next sequence to hand out; CASed by producers. */
    volatile long tail;
}

abstract class MpscSlotsTailPad1 extends MpscSlotsTail {
    long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
}

abstract class MpscSlotsTailLimit extends MpscSlotsTailPad1 {
    /** A past {@code head + capacity}: producers claim below it without reading {@code head}. */
    volatile long tailLimit;
}

abstract class MpscSlotsLimitPad extends MpscSlotsTailLimit {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;
}

abstract class MpscSlotsHead extends MpscSlotsLimitPad {
    /** The next sequence the consumer reads; written by the consumer only. */
    volatile long head;
}

abstract class MpscSlotsHeadPad extends MpscSlotsHead {
    long p30, p31, p32, p33, p34, p35, p36, p37, p38, p39, p3a, p3b, p3c, p3d, p3e, p3f;
}

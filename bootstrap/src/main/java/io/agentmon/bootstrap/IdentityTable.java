package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The keys of a fixed, lock-free table keyed by object identity, for tables whose values are
 * primitives in the owner's own arrays (one per field, indexed by slot).
 *
 * <p><b>Threading contract.</b> Any thread may {@link #claim} a slot for a key (the thread
 * handing a task to a pool), take it back ({@link #holds}, read the owner's arrays,
 * {@link #release}: the thread that runs the task) or {@link #remove} it (a rejected or drained
 * task); one agent thread calls {@link #sweepOlderThan}. A claim is one CAS of the slot from
 * null to the key, and every way out (release, remove, sweep) is one CAS from the key to null,
 * so a slot has one key at a time, a claim is freed exactly once, by whichever of its taker,
 * remover or sweeper gets there first, and freeing one key can never free another key's slot.
 * This table orders only the keys: the claimer's plain stores into the owner's arrays reach the
 * taker through the executor's own hand-over of the key (a queue, a thread start), which
 * happens after the claim; and a taker must read those arrays before its release, since after
 * it the next claimer may overwrite them. A key claimed twice (one task submitted twice) holds
 * two slots, and each take frees one. The jcstress tests in {@code concurrency-tests/} hold
 * these to their forbidden outcomes.
 *
 * <p>A key sits within {@link #PROBE_LIMIT} slots of its identity hash; a lookup reads all of
 * them (no tombstones, so removal is a plain CAS to null). Each slot also keeps when it was
 * claimed, so that keys that never leave by the normal path can be swept.
 *
 * <p>To read a value: find a candidate slot with {@link #slot} and {@link #holds}, read the
 * owner's arrays, then {@link #release} it; only a successful release makes the read values
 * this caller's (reading after the release could see the next claimer's stores).
 *
 * <p><b>Why hand-written.</b> JCTools' {@code NonBlockingIdentityHashMap} holds object values
 * (an entry object per hand-over, allocated on the submitting thread), grows without bound by
 * copying itself into a larger table on the writing thread, and keeps a removed key's slot
 * (its value a tombstone) until that copy, so a stream of distinct tasks, each a new key, keeps
 * it growing and copying; and it has no sweep by age. This table is bounded, drops and counts
 * when full, and allocates nothing. It has no indices or hot counters to pad: claims scatter
 * by identity hash, and its two counters move only on overflow and sweep.
 */
final class IdentityTable {

    static final int PROBE_LIMIT = 16;

    private final int mask;
    private final AtomicReferenceArray<Object> keys;
    private final long[] since;
    private final LongAdder overflows = new LongAdder();
    private final LongAdder swept = new LongAdder();

    /** @param size a power of two */
    IdentityTable(int size) {
        this.mask = size - 1;
        this.keys = new AtomicReferenceArray<>(size);
        this.since = new long[size];
    }

    /**
     * Claims a free slot for {@code key}, noting {@code nowNanos}; returns it, or -1 (counted)
     * when the slots near the key's hash are taken. The caller then fills its arrays; whoever
     * takes the key reads them after the owner's own hand-over of the key, which orders them.
     */
    int claim(Object key, long nowNanos) {
        int home = System.identityHashCode(key) & mask;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & mask;
            if (keys.get(slot) == null && keys.compareAndSet(slot, null, key)) {
                // NOTE: the sweeper may read the slot's previous time before this store: a benign
                // race that can only free this entry early (counted as swept).
                since[slot] = nowNanos;
                return slot;
            }
        }
        overflows.increment();
        return -1;
    }

    /** The {@code probe}-th slot (0 .. {@link #PROBE_LIMIT}-1) where {@code key} may sit. */
    int slot(Object key, int probe) {
        return (System.identityHashCode(key) + probe) & mask;
    }

    /** When {@code slot} was claimed (the {@code nowNanos} given to {@link #claim}). */
    long since(int slot) {
        return since[slot];
    }

    boolean holds(int slot, Object key) {
        return keys.get(slot) == key;
    }

    /** Frees {@code slot} if it still holds {@code key}; true for the one caller that freed it. */
    boolean release(int slot, Object key) {
        return keys.compareAndSet(slot, key, null);
    }

    /** Removes {@code key} without reading anything; false when it is not in the table. */
    boolean remove(Object key) {
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = slot(key, i);
            if (holds(slot, key) && release(slot, key)) {
                return true;
            }
        }
        return false;
    }

    /** Frees slots claimed longer than {@code maxNanos} ago; call from an agent thread. */
    void sweepOlderThan(long maxNanos) {
        long now = System.nanoTime();
        for (int slot = 0; slot <= mask; slot++) {
            Object key = keys.get(slot);
            if (key != null && now - since[slot] > maxNanos && keys.compareAndSet(slot, key, null)) {
                swept.increment();
            }
        }
    }

    /** Claims refused because no slot near the key's hash was free. */
    long overflows() {
        return overflows.sum();
    }

    /** Keys freed by {@link #sweepOlderThan}. */
    long swept() {
        return swept.sum();
    }
}

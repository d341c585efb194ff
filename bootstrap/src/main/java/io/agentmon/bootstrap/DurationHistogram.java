package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of durations in nanoseconds, counted per slot of a {@link HistogramLayout}: native
 * (exponential) buckets with the classic bounds cut in, so both views are exact sums of the same
 * counters. Written by any number of threads; read by agent threads.
 *
 * <p>Recording is one slot lookup, one atomic add to the slot and one to the sum. Counters live in
 * chunks of {@value #CHUNK} slots, created the first time a duration lands in their range (a CAS;
 * the loser's chunk is dropped): durations of one task span a few octaves, so a histogram holds a
 * few chunks, not the whole range. Memory: {@value #CHUNK} × 8 bytes plus an array header per
 * chunk in use, at most {@code ceil(slots / 16)} chunks (schema 3 with 12 classic bounds: 438 slots, 28 chunks,
 * about 4.6 KB when every octave from 1 µs to the range of a long has been hit).
 */
public final class DurationHistogram {

    private static final int CHUNK_BITS = 4;
    static final int CHUNK = 1 << CHUNK_BITS;

    private final HistogramLayout layout;
    private final AtomicReferenceArray<AtomicLongArray> chunks;
    private final LongAdder sumNanos = new LongAdder();

    DurationHistogram(HistogramLayout layout) {
        this.layout = layout;
        this.chunks = new AtomicReferenceArray<>((layout.slots() + CHUNK - 1) >>> CHUNK_BITS);
    }

    void record(long nanos) {
        int slot = layout.slot(nanos);
        AtomicLongArray chunk = chunks.get(slot >>> CHUNK_BITS);
        if (chunk == null) {
            chunk = newChunk(slot >>> CHUNK_BITS);
        }
        chunk.getAndIncrement(slot & (CHUNK - 1));
        sumNanos.add(nanos < 0 ? 0 : nanos);
    }

    private AtomicLongArray newChunk(int index) {
        AtomicLongArray created = new AtomicLongArray(CHUNK);
        return chunks.compareAndSet(index, null, created) ? created : chunks.get(index);
    }

    public HistogramLayout layout() {
        return layout;
    }

    /** Count per slot of the layout, read slot by slot (each exact, not all at one instant). */
    public long[] slotCounts() {
        long[] counts = new long[layout.slots()];
        for (int c = 0; c < chunks.length(); c++) {
            AtomicLongArray chunk = chunks.get(c);
            if (chunk != null) {
                int base = c << CHUNK_BITS;
                for (int i = 0; i < CHUNK && base + i < counts.length; i++) {
                    counts[base + i] = chunk.get(i);
                }
            }
        }
        return counts;
    }

    /** Upper bounds of the classic buckets, in nanoseconds; do not modify. */
    public long[] boundsNanos() {
        return layout.classicBoundsNanos();
    }

    /** Per classic bucket (not cumulative) counts; the last entry is the +Inf bucket. */
    public long[] bucketCounts() {
        return classicCounts(slotCounts());
    }

    /** The classic buckets' counts from a {@link #slotCounts()} reading. */
    public long[] classicCounts(long[] slotCounts) {
        long[] counts = new long[layout.classicBoundsNanos().length + 1];
        for (int slot = 0; slot < slotCounts.length; slot++) {
            counts[layout.classicBucket(slot)] += slotCounts[slot];
        }
        return counts;
    }

    public long count() {
        long count = 0;
        for (long slotCount : slotCounts()) {
            count += slotCount;
        }
        return count;
    }

    public long sumNanos() {
        return sumNanos.sum();
    }
}

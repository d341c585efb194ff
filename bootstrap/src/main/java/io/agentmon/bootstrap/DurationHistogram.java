package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of durations in nanoseconds, counted per slot of a {@link HistogramLayout}: native
 * (exponential) buckets with the classic bounds cut in, so both views are exact sums of the same
 * counters. Written by any number of threads; read by agent threads.
 *
 * <p>Recording is one slot lookup and two {@link LongAdder} increments (the slot's, the sum's):
 * one CAS each when uncontended, striped cells when threads finishing the same task at once
 * land in the same slot (plain atomic longs side by side cost two threads 3x per call, measured,
 * as their cache line moves between cores). A slot's counter is created the first time a
 * duration lands in it, in chunks of {@value #CHUNK} slots that are also created on first use
 * (a CAS; the loser's object is dropped): a task's durations span a few octaves, so a histogram
 * holds a few chunks and a few dozen counters, not the whole range. Memory: about 80 bytes per
 * chunk in use and 24 to 32 bytes per counter (plus cells under contention); with 12 classic
 * bounds at schema 3 at most 28 chunks and 438 counters.
 */
public final class DurationHistogram {

    private static final int CHUNK_BITS = 4;
    static final int CHUNK = 1 << CHUNK_BITS;

    private final HistogramLayout layout;
    private final AtomicReferenceArray<AtomicReferenceArray<LongAdder>> chunks;
    private final LongAdder sumNanos = new LongAdder();

    /** The last {@link #empty} handed out: layouts change only when the agent configures the buckets. */
    private static volatile DurationHistogram lastEmpty;

    /**
     * An empty histogram of {@code layout}, shared, for reading an outcome nothing was recorded in
     * yet; nothing may record into it (recording is package-private, and only
     * {@link TaskRecorder#recording} hands out histograms to record into).
     */
    static DurationHistogram empty(HistogramLayout layout) {
        DurationHistogram empty = lastEmpty;
        if (empty == null || empty.layout != layout) {
            empty = new DurationHistogram(layout);
            lastEmpty = empty;
        }
        return empty;
    }

    DurationHistogram(HistogramLayout layout) {
        this.layout = layout;
        this.chunks = new AtomicReferenceArray<>((layout.slots() + CHUNK - 1) >>> CHUNK_BITS);
    }

    void record(long nanos) {
        int slot = layout.slot(nanos);
        AtomicReferenceArray<LongAdder> chunk = chunks.get(slot >>> CHUNK_BITS);
        if (chunk == null) {
            chunk = newChunk(slot >>> CHUNK_BITS);
        }
        LongAdder counter = chunk.get(slot & (CHUNK - 1));
        if (counter == null) {
            counter = newCounter(chunk, slot & (CHUNK - 1));
        }
        counter.increment();
        sumNanos.add(nanos < 0 ? 0 : nanos);
    }

    private AtomicReferenceArray<LongAdder> newChunk(int index) {
        AtomicReferenceArray<LongAdder> created = new AtomicReferenceArray<>(CHUNK);
        return chunks.compareAndSet(index, null, created) ? created : chunks.get(index);
    }

    private static LongAdder newCounter(AtomicReferenceArray<LongAdder> chunk, int index) {
        LongAdder created = new LongAdder();
        return chunk.compareAndSet(index, null, created) ? created : chunk.get(index);
    }

    public HistogramLayout layout() {
        return layout;
    }

    /** Count per slot of the layout, read slot by slot (each exact, not all at one instant). */
    public long[] slotCounts() {
        long[] counts = new long[layout.slots()];
        addSlotCounts(counts);
        return counts;
    }

    /**
     * Adds the count of each slot to {@code into[slot]} (an array of at least
     * {@code layout().slots()}), visiting only the chunks that exist: a reader summing several
     * histograms of one layout needs one array, not one per histogram.
     */
    public void addSlotCounts(long[] into) {
        int slots = Math.min(into.length, layout.slots());
        for (int c = 0; c < chunks.length(); c++) {
            AtomicReferenceArray<LongAdder> chunk = chunks.get(c);
            if (chunk != null) {
                int base = c << CHUNK_BITS;
                for (int i = 0; i < CHUNK && base + i < slots; i++) {
                    LongAdder counter = chunk.get(i);
                    if (counter != null) {
                        into[base + i] += counter.sum();
                    }
                }
            }
        }
    }

    /** Upper bounds of the classic buckets, in nanoseconds; do not modify. */
    public long[] boundsNanos() {
        return layout.classicBoundsNanos();
    }

    /** Per classic bucket (not cumulative) counts; the last entry is the +Inf bucket. */
    public long[] bucketCounts() {
        long[] counts = new long[layout.classicBoundsNanos().length + 1];
        for (int c = 0; c < chunks.length(); c++) {
            AtomicReferenceArray<LongAdder> chunk = chunks.get(c);
            if (chunk != null) {
                int base = c << CHUNK_BITS;
                for (int i = 0; i < CHUNK && base + i < layout.slots(); i++) {
                    LongAdder counter = chunk.get(i);
                    if (counter != null) {
                        counts[layout.classicBucket(base + i)] += counter.sum();
                    }
                }
            }
        }
        return counts;
    }

    /** The classic buckets' counts from a {@link #slotCounts()} reading. */
    public long[] classicCounts(long[] slotCounts) {
        return layout.classicCounts(slotCounts);
    }

    /** All runs counted, slot by slot (as {@link #slotCounts()} would sum them), allocating nothing. */
    public long count() {
        long count = 0;
        for (int c = 0; c < chunks.length(); c++) {
            AtomicReferenceArray<LongAdder> chunk = chunks.get(c);
            if (chunk != null) {
                for (int i = 0; i < CHUNK; i++) {
                    LongAdder counter = chunk.get(i);
                    if (counter != null) {
                        count += counter.sum();
                    }
                }
            }
        }
        return count;
    }

    public long sumNanos() {
        return sumNanos.sum();
    }
}

package io.agentmon.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of durations in nanoseconds, counted per slot of a {@link HistogramLayout}: native
 * (exponential) buckets with the classic bounds cut in, so both views are exact sums of the same
 * counters. Written by any number of threads; read by agent threads.
 *
 * <p>A run that holds an {@link InFlight} slot (a task's run, tracked) records into that slot's
 * own cell of {@link SlotCells}: one slot lookup and two plain adds, no locked instruction, since
 * only the slot's holder writes its cell. What the cells' budget has no room for, and every run
 * on no slot (a pool's queue wait and run time, a container's start), is recorded here, in the
 * adders; readers add both, so every view is exact either way.
 *
 * <p>Recording into the adders is one slot lookup and two {@link LongAdder} increments (the slot's, the sum's):
 * one CAS each when uncontended, striped cells when threads finishing the same task at once
 * land in the same slot (plain atomic longs side by side cost two threads 3x per call, measured,
 * as their cache line moves between cores). A slot's counter is created the first time a
 * duration lands in it, in chunks of {@value #CHUNK} slots that are also created on first use
 * (a CAS; the loser's object is dropped): a task's durations span a few octaves, so a histogram
 * holds a few chunks and a few dozen counters, not the whole range. Memory: about 80 bytes per
 * chunk in use and 24 to 32 bytes per counter (plus cells under contention); with 12 classic
 * bounds at schema 3 at most 28 chunks and 438 counters.
 *
 * <p>The chunks and counters are plain arrays, read plainly by {@link #record}: a profile put
 * 4.5 ns of its 64 on reaching the counter through {@code AtomicReferenceArray}s (the load of
 * each one's array, the type check of each element). A plain read is safe here: a chunk and a
 * {@code LongAdder} are safe to see through a data race (an array of references, null or set by
 * a CAS; an object whose every field is volatile), and one read as null, or as not yet there, is
 * found by the CAS that would have made it. Readers, on agent threads, read with acquire.
 */
public final class DurationHistogram {

    static final int CHUNK_BITS = 4;
    static final int CHUNK = 1 << CHUNK_BITS;

    private final HistogramLayout layout;
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(LongAdder[][].class);
    private static final VarHandle COUNTERS = MethodHandles.arrayElementVarHandle(LongAdder[].class);

    private final LongAdder[][] chunks;
    private final LongAdder sumNanos = new LongAdder();
    /**
     * Runs one slot of the adders counts before the histogram gets its {@link SlotCells}: the
     * cells' budget goes to the tasks that run often, not to the first of many that run rarely
     * (1,000 labels run a few times each on a pool of 2 would otherwise take about 1.9 MB of cells, the
     * whole budget, and gain nothing from them).
     */
    static final int CELLS_AFTER = 64;

    /** The counts of tracked runs, made once the histogram has run {@link #CELLS_AFTER} times in one slot (null until then, or for want of budget). */
    private SlotCells cells;
    private final CellBudget budget;
    private static final VarHandle CELLS;

    static {
        try {
            CELLS = MethodHandles.lookup().findVarHandle(DurationHistogram.class, "cells", SlotCells.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
        this(layout, CellBudget.SHARED);
    }

    /** A histogram whose {@link SlotCells} draw from {@code budget} (the concurrency tests' own, not the agent's). */
    DurationHistogram(HistogramLayout layout, CellBudget budget) {
        this.layout = layout;
        this.budget = budget;
        this.chunks = new LongAdder[(layout.slots() + CHUNK - 1) >>> CHUNK_BITS][];
    }

    /**
     * Records a run that holds in-flight slot {@code owned} (or -1 for none) until after this
     * returns: into that slot's {@link SlotCells} cell with plain stores, or into the adders when
     * it holds none or the cells' budget has no room.
     */
    void record(long nanos, int owned) {
        int slot = layout.slot(nanos);
        SlotCells slotCells = cells; // a plain read: seen null, it is read again with acquire below
        if (owned >= 0 && slotCells != null && slotCells.record(owned, slot, nanos)) {
            return;
        }
        LongAdder counter = recordShared(slot, nanos);
        if (owned >= 0 && slotCells == null && !budget.exhausted() && counter.sum() >= CELLS_AFTER) {
            cells();
        }
    }

    /** Records a run on no in-flight slot (a pool's wait, a container's start): into the adders. */
    void record(long nanos) {
        recordShared(layout.slot(nanos), nanos);
    }

    /** Records into the adders; returns the slot's counter. */
    private LongAdder recordShared(int slot, long nanos) {
        LongAdder[] chunk = chunks[slot >>> CHUNK_BITS];
        if (chunk == null) {
            chunk = newChunk(slot >>> CHUNK_BITS);
        }
        LongAdder counter = chunk[slot & (CHUNK - 1)];
        if (counter == null) {
            counter = newCounter(chunk, slot & (CHUNK - 1));
        }
        counter.increment();
        sumNanos.add(nanos < 0 ? 0 : nanos);
        return counter;
    }

    /** The cells, made if the budget has room (a CAS; the loser's object is dropped); null if not. */
    private SlotCells cells() {
        SlotCells found = (SlotCells) CELLS.getAcquire(this);
        if (found != null || budget.exhausted()) {
            return found;
        }
        SlotCells created = SlotCells.make(chunks.length, budget);
        if (created == null) {
            return null;
        }
        found = (SlotCells) CELLS.compareAndExchange(this, (SlotCells) null, created);
        if (found == null) {
            return created;
        }
        budget.give(SlotCells.TABLE_BYTES);
        return found;
    }

    /** The cells for readers, or null. */
    private SlotCells readCells() {
        return (SlotCells) CELLS.getAcquire(this);
    }

    private LongAdder[] newChunk(int index) {
        LongAdder[] created = new LongAdder[CHUNK];
        LongAdder[] found = (LongAdder[]) CHUNKS.compareAndExchange(chunks, index, (LongAdder[]) null, created);
        return found == null ? created : found;
    }

    private static LongAdder newCounter(LongAdder[] chunk, int index) {
        LongAdder created = new LongAdder();
        LongAdder found = (LongAdder) COUNTERS.compareAndExchange(chunk, index, (LongAdder) null, created);
        return found == null ? created : found;
    }

    /** Chunk {@code index}, or null, for readers. */
    private LongAdder[] chunk(int index) {
        return (LongAdder[]) CHUNKS.getAcquire(chunks, index);
    }

    /** Counter {@code index} of {@code chunk}, or null, for readers. */
    private static LongAdder counter(LongAdder[] chunk, int index) {
        return (LongAdder) COUNTERS.getAcquire(chunk, index);
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
        for (int c = 0; c < chunks.length; c++) {
            LongAdder[] chunk = chunk(c);
            if (chunk != null) {
                int base = c << CHUNK_BITS;
                for (int i = 0; i < CHUNK && base + i < slots; i++) {
                    LongAdder counter = counter(chunk, i);
                    if (counter != null) {
                        into[base + i] += counter.sum();
                    }
                }
            }
        }
        SlotCells slotCells = readCells();
        if (slotCells != null) {
            slotCells.addCounts(into, slots);
        }
    }

    /** Upper bounds of the classic buckets, in nanoseconds; do not modify. */
    public long[] boundsNanos() {
        return layout.classicBoundsNanos();
    }

    /** Per classic bucket (not cumulative) counts; the last entry is the +Inf bucket. */
    public long[] bucketCounts() {
        if (readCells() != null) {
            return layout.classicCounts(slotCounts()); // the cells' counts are by slot too
        }
        long[] counts = new long[layout.classicBoundsNanos().length + 1];
        for (int c = 0; c < chunks.length; c++) {
            LongAdder[] chunk = chunk(c);
            if (chunk != null) {
                int base = c << CHUNK_BITS;
                for (int i = 0; i < CHUNK && base + i < layout.slots(); i++) {
                    LongAdder counter = counter(chunk, i);
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

    /**
     * All runs counted, slot by slot (as {@link #slotCounts()} would sum them), allocating nothing
     * unless the histogram has {@link SlotCells} (a task's, run often; the agent reads those
     * through {@link #slotCounts()}, and only tests call this on them).
     */
    public long count() {
        if (readCells() != null) {
            long count = 0;
            for (long slotCount : slotCounts()) {
                count += slotCount;
            }
            return count;
        }
        long count = 0;
        for (int c = 0; c < chunks.length; c++) {
            LongAdder[] chunk = chunk(c);
            if (chunk != null) {
                for (int i = 0; i < CHUNK; i++) {
                    LongAdder counter = counter(chunk, i);
                    if (counter != null) {
                        count += counter.sum();
                    }
                }
            }
        }
        return count;
    }

    /** The sum of all durations counted, negative ones as 0. */
    public long sumNanos() {
        SlotCells slotCells = readCells();
        return slotCells != null ? sumNanos.sum() + slotCells.sumNanos() : sumNanos.sum();
    }
}

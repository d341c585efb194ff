package io.agentmon.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One {@link DurationHistogram}'s counts kept per {@link InFlight} slot: the cell of slot
 * {@code s} is written only by the thread that holds {@code s}, so a run records with plain
 * stores where a {@code LongAdder} would take a locked CAS (two of them per run, about 7 ns of
 * the probe's 57 by profile, see BENCHMARKS.md).
 *
 * <p><b>Why a plain add is exact.</b> A run holds its in-flight slot from its claim to its
 * release and records before releasing it ({@link TaskProbes#exit}). The release is an ordered
 * store and the next claim of that slot a CAS that reads it, so everything the last holder wrote
 * into the cell happens before the next holder reads it: each cell has one writer at a time, and
 * each writer sees the last one's counts. Stores are opaque (a 64-bit value is never torn) and
 * readers load with opaque or acquire, so a reader sees each counter grow and never sees a count
 * that was not reached; like the adders, the counts are each exact, not all read at one instant.
 * {@code SlotCellsStress} holds the counts of two threads that pass one slot between them.
 *
 * <p><b>Layout.</b> Slots are grouped in pages of {@value #PAGE} (made with a CAS, since the
 * holders of 64 slots share one); a cell is an array of chunks of {@link DurationHistogram#CHUNK}
 * counters, plus one element after them that sums the durations recorded in that chunk (so a run
 * touches one array, not two), padded on both sides ({@link #PAD}). Pages, cells and chunks are made on first use, cells and chunks by
 * their slot's holder alone (an ordered store, no CAS). A task run by 8 threads over 3 octaves
 * of durations holds 8 cells of 3 chunks, 7.8 KB, and up to 8 pages, 2.5 KB.
 *
 * <p><b>Memory.</b> Cells multiply with threads times task labels, so all are drawn from a
 * {@link CellBudget}; a run whose cell or chunk finds no room there records into the adders.
 */
final class SlotCells {

    static final int PAGE_BITS = 6;
    static final int PAGE = 1 << PAGE_BITS;
    private static final int PAGES = InFlight.SLOTS >>> PAGE_BITS;

    private static final VarHandle PAGES_HANDLE = MethodHandles.arrayElementVarHandle(long[][][][].class);
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[][][].class);
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * Unused longs before and after a chunk's counters. Chunks of different threads' cells end up
     * side by side in memory once a GC has copied them, and without these two threads on one task
     * took 127 ns per run instead of 53 (measured), their counters' cache line moving between cores.
     */
    static final int PAD = 8;
    /** Where a chunk's counters start, and its sum's element after them. */
    private static final int FIRST = PAD;
    private static final int SUM = PAD + DurationHistogram.CHUNK;
    private static final int CHUNK_LONGS = SUM + 1 + PAD;

    /** pages[page][cell within page] is a cell; cell[chunk] holds {@code CHUNK} counts from {@link #FIRST}, their sum at {@link #SUM}. */
    private final long[][][][] pages = new long[PAGES][][][];
    private final int chunksPerCell;
    private final CellBudget budget;

    private SlotCells(int chunksPerCell, CellBudget budget) {
        this.chunksPerCell = chunksPerCell;
        this.budget = budget;
    }

    /** The cells of a histogram with {@code chunksPerCell} chunks, or null when {@code budget} has no room for them. */
    static SlotCells make(int chunksPerCell, CellBudget budget) {
        return budget.take(TABLE_BYTES) ? new SlotCells(chunksPerCell, budget) : null;
    }

    /** This object and its page table, estimated. */
    static final long TABLE_BYTES = 24 + 16 + 4L * PAGES;

    /**
     * Counts a duration of {@code nanos} in layout slot {@code slot}, in the cell of in-flight
     * slot {@code owned}, which the calling thread holds. Returns false, recording nothing, when
     * the budget has no room for the cell or chunk it needs.
     */
    boolean record(int owned, int slot, long nanos) {
        long[][][] page = pages[owned >>> PAGE_BITS];
        long[][] cell = page != null ? page[owned & (PAGE - 1)] : null;
        long[] chunk = cell != null ? cell[slot >>> DurationHistogram.CHUNK_BITS] : null;
        if (chunk == null) {
            chunk = newChunk(owned, slot >>> DurationHistogram.CHUNK_BITS);
            if (chunk == null) {
                return false;
            }
        }
        int index = FIRST + (slot & (DurationHistogram.CHUNK - 1));
        COUNTS.setOpaque(chunk, index, chunk[index] + 1);
        COUNTS.setOpaque(chunk, SUM, chunk[SUM] + (nanos < 0 ? 0 : nanos));
        return true;
    }

    /** The chunk of {@code owned}'s cell, made (with its page and cell) if the budget has room; else null. */
    private long[] newChunk(int owned, int chunkIndex) {
        int pageIndex = owned >>> PAGE_BITS;
        long[][][] page = (long[][][]) PAGES_HANDLE.getAcquire(pages, pageIndex);
        if (page == null) {
            if (!budget.take(16 + 4L * PAGE)) {
                return null;
            }
            long[][][] created = new long[PAGE][][];
            page = (long[][][]) PAGES_HANDLE.compareAndExchange(pages, pageIndex, (long[][][]) null, created);
            if (page == null) {
                page = created;
            } else {
                budget.give(16 + 4L * PAGE); // another holder's page won
            }
        }
        long[][] cell = page[owned & (PAGE - 1)]; // only this slot's holder writes it
        if (cell == null) {
            if (!budget.take(16 + 4L * chunksPerCell)) {
                return null;
            }
            cell = new long[chunksPerCell][];
            CELLS.setRelease(page, owned & (PAGE - 1), cell);
        }
        long[] chunk = cell[chunkIndex];
        if (chunk == null) {
            if (!budget.take(16 + 8L * CHUNK_LONGS)) {
                return null;
            }
            chunk = new long[CHUNK_LONGS];
            CHUNKS.setRelease(cell, chunkIndex, chunk);
        }
        return chunk;
    }

    /** Adds each layout slot's count over all cells to {@code into[slot]}, for slots below {@code slots}. */
    void addCounts(long[] into, int slots) {
        walk(into, slots);
    }

    /** The sum of the durations counted in all cells, negative ones as 0. */
    long sumNanos() {
        return walk(NO_COUNTS, 0);
    }

    private static final long[] NO_COUNTS = new long[0];

    /**
     * One walk over every chunk of every cell: adds its counts of the slots below {@code slots}
     * into {@code into}, and returns the sum of its chunks' durations.
     */
    private long walk(long[] into, int slots) {
        long sum = 0;
        for (int p = 0; p < PAGES; p++) {
            long[][][] page = (long[][][]) PAGES_HANDLE.getAcquire(pages, p);
            for (int c = 0; page != null && c < PAGE; c++) {
                long[][] cell = (long[][]) CELLS.getAcquire(page, c);
                for (int k = 0; cell != null && k < cell.length; k++) {
                    long[] chunk = (long[]) CHUNKS.getAcquire(cell, k);
                    if (chunk == null) {
                        continue;
                    }
                    sum += (long) COUNTS.getOpaque(chunk, SUM);
                    int base = k << DurationHistogram.CHUNK_BITS;
                    for (int i = 0; i < DurationHistogram.CHUNK && base + i < slots; i++) {
                        into[base + i] += (long) COUNTS.getOpaque(chunk, FIRST + i);
                    }
                }
            }
        }
        return sum;
    }
}

package io.agentmon.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes the histograms' {@link SlotCells} may take in all: cells multiply with threads
 * times task labels, so every page, cell and chunk is taken from a budget first, by the estimate
 * of its size (compressed oops). A run whose cell or chunk finds no room records into its
 * histogram's adders instead, exact just the same. The budget is never given back, as cells live
 * as long as their histograms; the first refusal closes it for good, so that runs past it pay
 * one volatile read here, not a CAS.
 *
 * <p>Threads: any worker thread takes (a CAS, only when a cell or chunk is made); agent threads read.
 */
final class CellBudget {

    /** The agent's one budget, shared by all its histograms: 1 MiB, about 1,700 cells of 3 chunks. */
    static final CellBudget SHARED = new CellBudget(1L << 20);

    private final AtomicLong room;
    private volatile boolean exhausted;

    CellBudget(long bytes) {
        this.room = new AtomicLong(bytes);
    }

    /** Takes {@code bytes}, or returns false (and closes the budget) when it has less room. */
    boolean take(long bytes) {
        if (exhausted) {
            return false;
        }
        long left = room.get();
        while (left >= bytes) {
            long seen = room.compareAndExchange(left, left - bytes);
            if (seen == left) {
                return true;
            }
            left = seen;
        }
        exhausted = true;
        return false;
    }

    /** Gives back what a made object that lost its CAS had taken. */
    void give(long bytes) {
        room.addAndGet(bytes);
    }

    /** Whether a take was refused: runs that needed a new cell or chunk since went to the adders. */
    boolean exhausted() {
        return exhausted;
    }

    /** Bytes left. */
    long room() {
        return room.get();
    }
}

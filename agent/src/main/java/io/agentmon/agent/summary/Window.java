package io.agentmon.agent.summary;

import java.util.Arrays;

/**
 * The last {@link #READINGS} cumulative readings of one series, by sample number, for the rate
 * windows (the last minute and the minute before, plus one). A reading is a few counts then a
 * histogram over hundreds of slots of which a task's durations fill a few dozen, so each is kept
 * as its counts and the span of slots from the first non-empty one to the last.
 */
final class Window {

    /** Cumulative readings kept: two minutes of samples, plus one. */
    static final int READINGS = 2 * 60 / History.INTERVAL_SECONDS + 1;

    /** The first sample this series was read in. */
    final long firstSample;
    private final int width;
    private final int bucketsFrom;
    private final long[][] packed = new long[READINGS][];
    private final long[] sampleOf = new long[READINGS];

    /** {@code width}: values per reading; {@code bucketsFrom}: the index of the first histogram slot in them. */
    Window(long firstSample, int width, int bucketsFrom) {
        this.firstSample = firstSample;
        this.width = width;
        this.bucketsFrom = bucketsFrom;
        Arrays.fill(sampleOf, -1);
    }

    void put(long sample, long[] reading) {
        int first = bucketsFrom;
        int last = Math.min(reading.length, width) - 1;
        while (first <= last && reading[first] == 0) {
            first++;
        }
        while (last >= first && reading[last] == 0) {
            last--;
        }
        int span = Math.max(0, last - first + 1);
        long[] keep = new long[bucketsFrom + 1 + span]; // counts, the first slot's index, the slots
        System.arraycopy(reading, 0, keep, 0, bucketsFrom);
        keep[bucketsFrom] = first;
        System.arraycopy(reading, first, keep, bucketsFrom + 1, span);
        int slot = (int) (sample % READINGS);
        packed[slot] = keep;
        sampleOf[slot] = sample;
    }

    /** The reading of that sample, or null if this series has none for it. */
    long[] at(long sample) {
        if (sample < 0) {
            return null;
        }
        int slot = (int) (sample % READINGS);
        if (sampleOf[slot] != sample) {
            return null;
        }
        long[] keep = packed[slot];
        long[] reading = new long[width];
        System.arraycopy(keep, 0, reading, 0, bucketsFrom);
        System.arraycopy(keep, bucketsFrom + 1, reading, (int) keep[bucketsFrom], keep.length - bucketsFrom - 1);
        return reading;
    }
}

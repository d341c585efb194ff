package io.agentmon.bootstrap;

import java.util.Arrays;

/**
 * Where a duration lands: the bucket layout of Prometheus native histograms (and OpenTelemetry's
 * exponential histograms), in seconds, with the configured classic bounds cut into it.
 *
 * <p>Native bucket {@code i} of schema {@code s} holds durations in
 * {@code (2^((i-1)/2^s), 2^(i/2^s)]} seconds; durations up to {@link #ZERO_THRESHOLD_NANOS} fall
 * into the zero bucket. Where a classic bound falls strictly inside a native bucket, that bucket
 * is split in two <em>slots</em> at the bound. A histogram counts per slot, so the native view
 * (slots summed per native bucket) and the classic view (slots summed up to each bound) are sums
 * of the same counters, and both are exact.
 *
 * <p>Finding the slot of a duration takes no search over the bounds: the duration's position in
 * its binary octave (its leading bit and the five bits after it) picks a <em>cell</em>; a table
 * gives the first slot of the cell, and at most a step or two over the slot thresholds inside the
 * cell (there are few: cells are narrower than any native bucket up to schema 4) finds the slot.
 * Immutable; one layout is shared by every histogram with the same bounds.
 */
public final class HistogramLayout {

    /** 2^-20 s (953 ns, rounded down): the zero bucket's upper bound, below any task worth timing. */
    public static final long ZERO_THRESHOLD_NANOS = 953;
    /** The zero bucket's threshold in seconds, as the native histogram states it. */
    public static final double ZERO_THRESHOLD_SECONDS = Math.scalb(1.0, -20);

    private static final int DIRECT_CELLS = 64; // durations below 64 ns: one cell each
    private static final int CELL_BITS = 5; // 32 cells per octave above that
    private static final int CELLS = DIRECT_CELLS + (63 - 6) * (1 << CELL_BITS);
    private static final double NANOS_PER_SECOND = 1e9;

    private final int schema;
    private final long[] classicBoundsNanos;
    /** The classic bounds in seconds, then +Inf: what every scrape of this layout's histograms states. */
    private final double[] classicBoundsSeconds;
    /** Inclusive upper bound of each slot, increasing; the last is {@code Long.MAX_VALUE}. */
    private final long[] slotUpperNanos;
    /** Native bucket index of each slot; {@link Integer#MIN_VALUE} for the zero bucket. */
    private final int[] slotNativeIndex;
    /** Classic bucket of each slot: the index of the first bound at or above it, or bounds.length (+Inf). */
    private final int[] slotClassicBucket;
    /** First slot of each cell. */
    private final int[] cellFirstSlot = new int[CELLS];

    /** The schema histograms use unless told otherwise: 8 buckets per doubling, each at most 9 % wide. */
    public static final int DEFAULT_SCHEMA = 3;

    /** Marks the zero bucket in {@link #nativeIndex}. */
    public static final int ZERO_BUCKET = Integer.MIN_VALUE;

    /**
     * A layout of schema {@code schema} (0 to 8: 2^schema buckets per doubling) with
     * {@code classicBoundsNanos} (strictly increasing, positive) cut into it.
     */
    public HistogramLayout(int schema, long[] classicBoundsNanos) {
        if (schema < 0 || schema > 8) {
            throw new IllegalArgumentException("schema must be 0 to 8, got " + schema);
        }
        for (int i = 0; i < classicBoundsNanos.length; i++) {
            if (classicBoundsNanos[i] <= 0 || (i > 0 && classicBoundsNanos[i] <= classicBoundsNanos[i - 1])) {
                throw new IllegalArgumentException("classic bounds must be positive and increasing: "
                        + Arrays.toString(classicBoundsNanos));
            }
        }
        this.schema = schema;
        this.classicBoundsNanos = classicBoundsNanos.clone();
        this.classicBoundsSeconds = new double[classicBoundsNanos.length + 1];
        for (int i = 0; i < classicBoundsNanos.length; i++) {
            classicBoundsSeconds[i] = classicBoundsNanos[i] / NANOS_PER_SECOND;
        }
        classicBoundsSeconds[classicBoundsNanos.length] = Double.POSITIVE_INFINITY;

        long[] nativeUppers = nativeUppers(schema);
        int firstIndex = firstNativeIndex();
        long[] thresholds = thresholds(nativeUppers, this.classicBoundsNanos);
        int slots = thresholds.length;
        slotUpperNanos = new long[slots];
        slotNativeIndex = new int[slots];
        slotClassicBucket = new int[slots];
        int slot = 0;
        int nativeIndex = ZERO_BUCKET;
        int classic = 0;
        for (long upper : thresholds) {
            slotUpperNanos[slot] = upper;
            if (upper > ZERO_THRESHOLD_NANOS) {
                if (nativeIndex == ZERO_BUCKET) {
                    nativeIndex = firstNativeIndex();
                }
                while (nativeIndex - firstIndex < nativeUppers.length && upper > nativeUppers[nativeIndex - firstIndex]) {
                    nativeIndex++;
                }
            }
            slotNativeIndex[slot] = nativeIndex;
            while (classic < classicBoundsNanos.length && upper > classicBoundsNanos[classic]) {
                classic++;
            }
            slotClassicBucket[slot] = classic;
            slot++;
        }
        int first = 0;
        for (int cell = 0; cell < CELLS; cell++) {
            long low = cellLowNanos(cell);
            while (low > slotUpperNanos[first]) {
                first++;
            }
            cellFirstSlot[cell] = first;
        }
    }

    /**
     * The layout of {@code schema} with {@code classicBoundsNanos}, made once: the agent's
     * histograms of tasks, pools and containers mostly share their bounds, and each layout made
     * anew cost 2-5 ms of an interpreted premain.
     */
    public static synchronized HistogramLayout of(int schema, long[] classicBoundsNanos) {
        for (HistogramLayout known : MADE) {
            if (known != null && known.schema == schema && Arrays.equals(known.classicBoundsNanos, classicBoundsNanos)) {
                return known;
            }
        }
        HistogramLayout made = new HistogramLayout(schema, classicBoundsNanos);
        MADE[madeNext] = made;
        madeNext = (madeNext + 1) % MADE.length;
        return made;
    }

    /** The last few layouts {@link #of} made (a configuration has three kinds of bounds, and the empty ones). */
    private static final HistogramLayout[] MADE = new HistogramLayout[8];
    private static int madeNext;

    /**
     * The slots' upper bounds: the zero bucket's threshold, the finite native bounds, the classic
     * bounds and {@code Long.MAX_VALUE}, sorted, each once (a primitive sort: a set of boxed longs
     * cost an interpreted premain a few milliseconds per layout).
     */
    private static long[] thresholds(long[] nativeUppers, long[] classicBounds) {
        long[] all = new long[nativeUppers.length + classicBounds.length + 2];
        System.arraycopy(nativeUppers, 0, all, 0, nativeUppers.length);
        System.arraycopy(classicBounds, 0, all, nativeUppers.length, classicBounds.length);
        all[all.length - 2] = ZERO_THRESHOLD_NANOS;
        all[all.length - 1] = Long.MAX_VALUE;
        Arrays.sort(all);
        int count = 0;
        for (long value : all) {
            if (count == 0 || value != all[count - 1]) {
                all[count++] = value;
            }
        }
        return Arrays.copyOf(all, count);
    }

    /** The slot that counts a duration of {@code nanos} (negative durations count as 0). */
    public int slot(long nanos) {
        long value = nanos < 0 ? 0 : nanos;
        int slot = cellFirstSlot[cell(value)];
        while (value > slotUpperNanos[slot]) {
            slot++;
        }
        return slot;
    }

    private static int cell(long value) {
        if (value < DIRECT_CELLS) {
            return (int) value;
        }
        int octave = 63 - Long.numberOfLeadingZeros(value); // 6 .. 62
        int position = (int) (value >>> (octave - CELL_BITS)) & ((1 << CELL_BITS) - 1);
        return DIRECT_CELLS + ((octave - 6) << CELL_BITS) + position;
    }

    private static long cellLowNanos(int cell) {
        if (cell < DIRECT_CELLS) {
            return cell;
        }
        int octave = 6 + ((cell - DIRECT_CELLS) >>> CELL_BITS);
        long position = (cell - DIRECT_CELLS) & ((1 << CELL_BITS) - 1);
        return (1L << octave) | (position << (octave - CELL_BITS));
    }

    /** The lowest native index above the zero bucket: the bucket just above 2^-20 s. */
    private int firstNativeIndex() {
        return -20 * (1 << schema) + 1;
    }

    /** Per schema, 1e9 * 2^(step / 2^schema) for each step of an octave, to about 106 bits. */
    private static final DoubleDouble[][] STEP_BASES = new DoubleDouble[9][];

    /** Per schema, the finite upper bounds of the native buckets from the first above the zero bucket. */
    private static final long[][] NATIVE_UPPERS = new long[9][];

    /**
     * The finite native upper bounds of {@code schema}, computed once per schema: extended
     * precision for a few hundred bounds cost 0.45 s of an interpreted premain when every layout
     * computed its own, several times over.
     */
    private static synchronized long[] nativeUppers(int schema) {
        long[] known = NATIVE_UPPERS[schema];
        if (known != null) {
            return known;
        }
        long[] uppers = new long[64 << schema];
        int count = 0;
        for (int index = -20 * (1 << schema) + 1; ; index++) {
            long upper = nativeUpperNanos(schema, index);
            if (upper == Long.MAX_VALUE) {
                break;
            }
            uppers[count++] = upper;
        }
        NATIVE_UPPERS[schema] = Arrays.copyOf(uppers, count);
        return NATIVE_UPPERS[schema];
    }

    /**
     * The largest whole number of nanoseconds in native bucket {@code index}: the floor of
     * {@code 1e9 * 2^(index / 2^schema)}, or {@code Long.MAX_VALUE} past the range of a long.
     */
    static long nativeUpperNanos(int schema, int index) {
        int scale = 1 << schema;
        if (index % scale == 0) {
            // A whole power of two: exact in double, and 1e9 times it is exact below 2^53.
            double nanos = Math.scalb(NANOS_PER_SECOND, index / scale);
            return nanos >= 0x1p63 ? Long.MAX_VALUE : (long) Math.floor(nanos);
        }
        double nanos = Math.pow(2, index / (double) scale) * NANOS_PER_SECOND;
        if (nanos >= 0x1p63) {
            return Long.MAX_VALUE;
        }
        double fraction = nanos - Math.floor(nanos);
        if (nanos < 0x1p40 && fraction > 0.01 && fraction < 0.99) {
            return (long) Math.floor(nanos); // the double is within 0.001 ns: its floor is the floor
        }
        // Near a whole nanosecond, or where a double is too coarse: about 106 bits decide (by
        // estimate within 2^-33 ns of the truth up to 2^63 ns; HistogramLayoutTest holds every
        // bound of every schema to 60-digit decimal arithmetic). index is octave * scale + step, so the bound is
        // 1e9 * 2^(step / scale), one of scale constants, times 2^octave, which is exact.
        // Not BigDecimal: on JDK 25 its first use in premain loads ForkJoinTask (BigInteger's
        // parallel multiply), a hooked class, which premain would then load and weave.
        int step = Math.floorMod(index, scale);
        int octave = Math.floorDiv(index, scale);
        return stepBase(schema, step).scalb(octave).floor();
    }

    /** {@code 1e9 * 2^(step / 2^schema)}, computed once per schema and step. */
    private static DoubleDouble stepBase(int schema, int step) {
        DoubleDouble[] bases = STEP_BASES[schema];
        if (bases == null) {
            DoubleDouble root = DoubleDouble.of(2);
            for (int k = 0; k < schema; k++) {
                root = root.sqrt(); // 2^(2^-schema)
            }
            bases = new DoubleDouble[1 << schema];
            DoubleDouble base = DoubleDouble.of(NANOS_PER_SECOND);
            for (int j = 0; j < bases.length; j++) {
                bases[j] = base;
                base = base.times(root);
            }
            STEP_BASES[schema] = bases; // racy but idempotent: immutable, with final fields
        }
        return bases[step];
    }

    public int schema() {
        return schema;
    }

    public int slots() {
        return slotUpperNanos.length;
    }

    /** The classic bounds, in nanoseconds; do not modify. */
    public long[] classicBoundsNanos() {
        return classicBoundsNanos;
    }

    /** The classic bounds in seconds, then {@code +Inf} (one entry per classic bucket); do not modify. */
    public double[] classicBoundsSeconds() {
        return classicBoundsSeconds;
    }

    /** The native bucket index slot {@code slot} belongs to, or {@link #ZERO_BUCKET}. */
    public int nativeIndex(int slot) {
        return slotNativeIndex[slot];
    }

    /** The classic bucket slot {@code slot} belongs to: a bound's index, or the bound count for +Inf. */
    public int classicBucket(int slot) {
        return slotClassicBucket[slot];
    }

    /** Per classic bucket (not cumulative; the last is +Inf) counts from counts per slot. */
    public long[] classicCounts(long[] slotCounts) {
        long[] counts = new long[classicBoundsNanos.length + 1];
        for (int slot = 0; slot < slotCounts.length; slot++) {
            counts[slotClassicBucket[slot]] += slotCounts[slot];
        }
        return counts;
    }

    /** The largest duration, in nanoseconds, that slot {@code slot} counts. */
    public long slotUpperNanos(int slot) {
        return slotUpperNanos[slot];
    }
}

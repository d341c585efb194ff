package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every duration lands in the native bucket the exponential definition gives, and in the right classic bucket. */
class HistogramLayoutTest {

    private static final long MS = 1_000_000;
    private static final long[] CLASSIC = {MS, 5 * MS, 10 * MS, 50 * MS, 100 * MS, 250 * MS, 500 * MS, 1000 * MS,
            2500 * MS, 10_000 * MS, 60_000 * MS, 300_000 * MS};

    /**
     * The definition, computed independently in 60-digit decimal arithmetic: the smallest index
     * {@code i} with {@code nanos <= 1e9 * 2^(i / 2^schema)}, or the zero bucket.
     */
    private static int expectedNativeIndex(int schema, long nanos) {
        if (nanos <= HistogramLayout.ZERO_THRESHOLD_NANOS) {
            return HistogramLayout.ZERO_BUCKET;
        }
        // log2(nanos / 1e9) * 2^schema, rounded up, then corrected by exact comparison.
        int guess = (int) Math.ceil((Math.log(nanos / 1e9) / Math.log(2)) * (1 << schema));
        for (int i = guess - 2; ; i++) {
            if (new BigDecimal(nanos).compareTo(upper(schema, i)) <= 0) {
                return Math.max(i, -20 * (1 << schema) + 1);
            }
        }
    }

    /** 1e9 * 2^(i / 2^schema) to 60 digits (2^(1/2^schema) by repeated square roots). */
    private static BigDecimal upper(int schema, int index) {
        MathContext mc = new MathContext(60);
        // (The layout uses double-double near whole nanoseconds; this check uses 60 digits, and another path.)
        int scale = 1 << schema;
        if (index % scale == 0) { // a whole power of two: exact, where the roots below would round
            BigDecimal power = new BigDecimal(2).pow(Math.abs(index / scale));
            return index >= 0 ? power.multiply(new BigDecimal(1_000_000_000))
                    : new BigDecimal(1_000_000_000).divide(power, mc);
        }
        BigDecimal root = new BigDecimal(2);
        for (int k = 0; k < schema; k++) {
            root = root.sqrt(mc);
        }
        BigDecimal factor = index >= 0 ? root.pow(index, mc) : BigDecimal.ONE.divide(root.pow(-index, mc), mc);
        return factor.multiply(new BigDecimal(1_000_000_000), mc);
    }

    private static List<Long> interestingDurations(int schema, long[] classic) {
        List<Long> values = new ArrayList<>();
        for (long v : new long[] {0, 1, 2, 63, 64, 65, 952, 953, 954, 999, 1000, 1001, Long.MAX_VALUE, Long.MAX_VALUE - 1}) {
            values.add(v);
        }
        for (int shift = 0; shift < 63; shift++) {
            long power = 1L << shift;
            values.add(power - 1);
            values.add(power);
            values.add(power + 1);
        }
        for (long bound : classic) {
            values.add(bound - 1);
            values.add(bound);
            values.add(bound + 1);
        }
        // Around every native boundary, up to the range of a long.
        for (int index = -20 * (1 << schema); index <= 33 * (1 << schema); index++) {
            long floor = upper(schema, index).longValue();
            values.add(floor - 1);
            values.add(floor);
            values.add(floor + 1);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            values.add((long) Math.exp(random.nextDouble() * Math.log(1e15)));
        }
        return values;
    }

    /**
     * Every finite native bound of every schema is the floor of its exact value: the layout works
     * in double-double arithmetic (BigDecimal in premain loads ForkJoinTask on JDK 25), and this
     * holds it to 60 decimal digits, bound by bound, up to the range of a long.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void everyNativeBoundIsTheFloorOfTheExactValue(int schema) {
        BigDecimal longRange = new BigDecimal(Long.MAX_VALUE);
        int checked = 0;
        for (int index = -20 * (1 << schema) + 1; ; index++) {
            BigDecimal exact = upper(schema, index);
            long bound = HistogramLayout.nativeUpperNanos(schema, index);
            if (exact.compareTo(longRange) > 0) {
                assertEquals(Long.MAX_VALUE, bound, "schema " + schema + ", index " + index + " is past a long");
                break;
            }
            assertEquals(exact.setScale(0, java.math.RoundingMode.FLOOR).longValueExact(), bound,
                    "schema " + schema + ", index " + index + ": " + exact);
            checked++;
        }
        int octavesInALong = (int) Math.floor((1 << schema) * Math.log(Long.MAX_VALUE / 1e9) / Math.log(2));
        assertEquals((20 << schema) + octavesInALong, checked, "bounds from 2^-20 s to the range of a long");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 4, 5})
    void nativeIndexFollowsTheExponentialDefinition(int schema) {
        HistogramLayout layout = new HistogramLayout(schema, CLASSIC);
        for (long nanos : interestingDurations(schema, CLASSIC)) {
            if (nanos < 0) {
                continue;
            }
            int slot = layout.slot(nanos);
            assertTrue(nanos <= layout.slotUpperNanos(slot) && (slot == 0 || nanos > layout.slotUpperNanos(slot - 1)),
                    nanos + " ns in slot " + slot);
            assertEquals(expectedNativeIndex(schema, nanos), layout.nativeIndex(slot), "schema " + schema + ", " + nanos + " ns");
            int classic = 0;
            while (classic < CLASSIC.length && nanos > CLASSIC[classic]) {
                classic++;
            }
            assertEquals(classic, layout.classicBucket(slot), nanos + " ns classic bucket");
        }
    }

    @Test
    void theLastSlotEndsTheRangeOfALongAndNegativeDurationsCountAsZero() {
        HistogramLayout layout = new HistogramLayout(3, CLASSIC);
        assertEquals(layout.slots() - 1, layout.slot(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, layout.slotUpperNanos(layout.slots() - 1));
        assertEquals(layout.slot(0), layout.slot(-5));
        assertEquals(HistogramLayout.ZERO_BUCKET, layout.nativeIndex(layout.slot(0)));
        assertEquals(CLASSIC.length, layout.classicBucket(layout.slot(Long.MAX_VALUE)));
    }

    @Test
    void aClassicBoundInsideANativeBucketSplitsIt() {
        long bound = 3 * MS; // 3 ms is no power-of-two fraction of a second
        HistogramLayout plain = new HistogramLayout(3, new long[0]);
        HistogramLayout split = new HistogramLayout(3, new long[] {bound});
        assertEquals(plain.slots() + 1, split.slots());
        int below = split.slot(bound);
        int above = split.slot(bound + 1);
        assertEquals(below + 1, above);
        assertEquals(split.nativeIndex(below), split.nativeIndex(above), "both halves belong to one native bucket");
        assertEquals(0, split.classicBucket(below));
        assertEquals(1, split.classicBucket(above));
    }

    @Test
    void aClassicBoundOnANativeBoundaryAddsNoSlot() {
        HistogramLayout plain = new HistogramLayout(3, new long[0]);
        HistogramLayout onBoundary = new HistogramLayout(3, new long[] {1_000_000_000L, 500_000_000L * 2 * 2});
        assertEquals(plain.slots(), onBoundary.slots(), "1 s and 2 s are native boundaries (2^0 and 2^1 seconds)");
    }

    @Test
    void classicAndNativeViewsAreSumsOfTheSameCounters() {
        HistogramLayout layout = new HistogramLayout(3, CLASSIC);
        DurationHistogram histogram = new DurationHistogram(layout);
        SplittableRandom random = new SplittableRandom(7);
        long[] expectedClassic = new long[CLASSIC.length + 1];
        long sum = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            long nanos = (long) Math.exp(random.nextDouble() * Math.log(1e12));
            histogram.record(nanos);
            sum += nanos;
            int classic = 0;
            while (classic < CLASSIC.length && nanos > CLASSIC[classic]) {
                classic++;
            }
            expectedClassic[classic]++;
        }
        assertEquals(n, histogram.count());
        assertEquals(sum, histogram.sumNanos());
        assertEquals(java.util.Arrays.toString(expectedClassic), java.util.Arrays.toString(histogram.bucketCounts()));
        long nativeTotal = 0;
        long[] slots = histogram.slotCounts();
        for (long count : slots) {
            nativeTotal += count;
        }
        assertEquals(n, nativeTotal);
    }

    /**
     * The scrape's reads that skip the dense array (classic buckets and the count summed from the
     * counters that exist, slot counts added into a caller's array) give what the dense reading
     * gives, for an empty histogram, a few slots in use, and every slot in use up to the last.
     */
    @Test
    void sparseReadsAgreeWithTheDenseOne() {
        HistogramLayout layout = new HistogramLayout(3, CLASSIC);
        DurationHistogram histogram = new DurationHistogram(layout);
        assertSparseAgrees(layout, histogram);
        histogram.record(30_000);
        histogram.record(400_000);
        histogram.record(2 * MS);
        histogram.record(2 * MS);
        assertSparseAgrees(layout, histogram);
        for (int slot = 0; slot < layout.slots(); slot++) {
            histogram.record(layout.slotUpperNanos(slot)); // each slot's largest duration lands in that slot
        }
        histogram.record(-5);
        histogram.record(Long.MAX_VALUE);
        assertSparseAgrees(layout, histogram);
        assertEquals(layout.slots() + 6, histogram.count());
    }

    private static void assertSparseAgrees(HistogramLayout layout, DurationHistogram histogram) {
        long[] dense = histogram.slotCounts();
        assertEquals(java.util.Arrays.toString(layout.classicCounts(dense)), java.util.Arrays.toString(histogram.bucketCounts()));
        long total = 0;
        for (long count : dense) {
            total += count;
        }
        assertEquals(total, histogram.count());
        long[] twice = new long[layout.slots()];
        histogram.addSlotCounts(twice);
        histogram.addSlotCounts(twice);
        for (int slot = 0; slot < dense.length; slot++) {
            assertEquals(2 * dense[slot], twice[slot], "slot " + slot);
        }
        double[] seconds = layout.classicBoundsSeconds();
        assertEquals(CLASSIC.length + 1, seconds.length);
        for (int i = 0; i < CLASSIC.length; i++) {
            assertEquals(CLASSIC[i] / 1e9, seconds[i]);
        }
        assertEquals(Double.POSITIVE_INFINITY, seconds[CLASSIC.length]);
    }

    /** One layout per schema and bounds, shared; and the same slots as one made anew, bounds under the zero threshold included. */
    @Test
    void layoutsOfTheSameBoundsAreOneAndEqualToANewOne() {
        long[] bounds = {100, 953, 5_000, 1_000_000, 2_000_000_000L};
        HistogramLayout shared = HistogramLayout.of(3, bounds);
        assertTrue(shared == HistogramLayout.of(3, bounds.clone()), "the same bounds give the same layout");
        assertTrue(shared != HistogramLayout.of(3, new long[] {5_000}), "other bounds, another layout");
        assertTrue(shared != HistogramLayout.of(4, bounds), "another schema, another layout");
        HistogramLayout fresh = new HistogramLayout(3, bounds);
        assertEquals(fresh.slots(), shared.slots());
        for (int slot = 0; slot < fresh.slots(); slot++) {
            assertEquals(fresh.slotUpperNanos(slot), shared.slotUpperNanos(slot), "slot " + slot);
            if (slot > 0) {
                assertTrue(shared.slotUpperNanos(slot) > shared.slotUpperNanos(slot - 1), "increasing at slot " + slot);
            }
        }
        assertEquals(100, shared.slotUpperNanos(0), "a classic bound below the zero threshold is the first slot's");
        assertEquals(HistogramLayout.ZERO_THRESHOLD_NANOS, shared.slotUpperNanos(1), "then the zero threshold, once");
        assertEquals(Long.MAX_VALUE, shared.slotUpperNanos(shared.slots() - 1));
    }
}

package io.agentmon.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket histogram of durations in nanoseconds, written by any number of threads.
 *
 * <p>Bucket {@code i} counts durations {@code <= bounds[i]} and {@code > bounds[i-1]}; the last
 * bucket is the overflow (+Inf). The count is the sum of the buckets, so it always agrees with
 * them. Each counter is a {@link LongAdder}: one CAS when uncontended, striped cells (allocated
 * once, on first contention) when many worker threads finish the same task at once.
 */
public final class DurationHistogram {

    private final long[] boundsNanos;
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    DurationHistogram(long[] boundsNanos) {
        this.boundsNanos = boundsNanos;
        this.buckets = new LongAdder[boundsNanos.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        buckets[bucketIndex(nanos)].increment();
        sumNanos.add(nanos);
    }

    private int bucketIndex(long nanos) {
        // Binary search over a dozen or so bounds: four comparisons, no allocation.
        int low = 0;
        int high = boundsNanos.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (nanos <= boundsNanos[mid]) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** Upper bounds of the finite buckets, in nanoseconds; do not modify. */
    public long[] boundsNanos() {
        return boundsNanos;
    }

    /** Per-bucket (not cumulative) counts; the last entry is the +Inf bucket. */
    public long[] bucketCounts() {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return counts;
    }

    public long count() {
        long count = 0;
        for (LongAdder bucket : buckets) {
            count += bucket.sum();
        }
        return count;
    }

    public long sumNanos() {
        return sumNanos.sum();
    }
}

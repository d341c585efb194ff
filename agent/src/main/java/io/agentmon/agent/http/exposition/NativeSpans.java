package io.agentmon.agent.http.exposition;

import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.util.Arrays;

/**
 * Native histogram buckets of one sign as the protobuf format wants them: runs of consecutive
 * bucket indexes (spans, each an offset from where the last ended and a length), and each
 * bucket's count as a difference from the bucket before it. A gap of one or two empty buckets
 * is cheaper written as zero buckets inside the span than as a new span, so it is.
 *
 * <p>The arrays are kept from one series to the next of a scrape.
 */
final class NativeSpans {

    /** The most empty buckets written inside a span rather than starting a new one. */
    private static final int BRIDGED_GAP = 2;

    private int[] offsets = new int[8];
    private int[] lengths = new int[8];
    private long[] deltas = new long[32];

    /** BucketSpan (offset 1, sint32; length 2, uint32) as {@code spanField}, then the deltas as {@code deltaField}. */
    void write(ProtobufWire wire, NativeHistogramBuckets buckets, int spanField, int deltaField) {
        int n = buckets.size();
        if (n == 0) {
            return;
        }
        int spans = 0;
        int written = 0;
        int next = 0;
        long previous = 0;
        for (int i = 0; i < n; i++) {
            int index = buckets.getBucketIndex(i);
            ensure(spans + 1, written + BRIDGED_GAP + 1);
            if (i == 0) {
                offsets[0] = index;
                lengths[0] = 0;
                spans = 1;
            } else if (index - next > BRIDGED_GAP) {
                offsets[spans] = index - next;
                lengths[spans] = 0;
                spans++;
            } else {
                for (; next < index; next++) {
                    deltas[written++] = -previous;
                    previous = 0;
                    lengths[spans - 1]++;
                }
            }
            long count = buckets.getCount(i);
            deltas[written++] = count - previous;
            previous = count;
            lengths[spans - 1]++;
            next = index + 1;
        }
        for (int s = 0; s < spans; s++) {
            int span = wire.begin();
            wire.sint32Field(1, offsets[s]);
            wire.varintField(2, lengths[s] & 0xFFFF_FFFFL);
            wire.end(spanField, span);
        }
        for (int d = 0; d < written; d++) {
            wire.sint64Field(deltaField, deltas[d]);
        }
    }

    private void ensure(int spans, int written) {
        if (spans > offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.max(spans, offsets.length * 2));
            lengths = Arrays.copyOf(lengths, offsets.length);
        }
        if (written > deltas.length) {
            deltas = Arrays.copyOf(deltas, Math.max(written, deltas.length * 2));
        }
    }
}

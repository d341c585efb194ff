package io.agentmon.agent.summary;

/**
 * The summary's quantile maths over histogram slot counts, as Prometheus's
 * {@code histogram_quantile} does it. Pure functions, for any thread.
 */
final class Quantiles {

    private Quantiles() {
    }

    /**
     * The {@code q} quantile of the observations counted in {@code counts} (per bucket, not
     * cumulative; the last bucket is +Inf), interpolated linearly inside its bucket as
     * Prometheus's {@code histogram_quantile} does: the first bucket's lower bound is 0, and a
     * quantile falling in the +Inf bucket is the highest finite bound. NaN without observations.
     */
    static double quantile(double q, double[] boundsSeconds, long[] counts) {
        if (counts == null) {
            return Double.NaN;
        }
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (below + counts[i] >= rank && counts[i] > 0) {
                if (i >= boundsSeconds.length) {
                    return boundsSeconds.length == 0 ? Double.NaN : boundsSeconds[boundsSeconds.length - 1];
                }
                double lower = i == 0 ? 0 : boundsSeconds[i - 1];
                double upper = boundsSeconds[i];
                return lower + (upper - lower) * ((rank - below) / counts[i]);
            }
            below += counts[i];
        }
        return boundsSeconds.length == 0 ? Double.NaN : boundsSeconds[boundsSeconds.length - 1];
    }

    /** What was counted between two cumulative readings, per bucket from index {@code from} on (never negative). */
    static long[] bucketDelta(long[] now, long[] before, int from) {
        long[] delta = new long[now.length - from];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = Math.max(0, now[from + i] - before[from + i]);
        }
        return delta;
    }
}

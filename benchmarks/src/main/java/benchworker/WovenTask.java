package benchworker;

/**
 * A tiny task. Matched by the benchmarks' {@code agentmon.tasks}, so the agent weaves both methods.
 * Keep the body identical to the other task class, so that the difference between the two
 * is only what the agent added.
 */
public final class WovenTask {

    /** A few nanoseconds of work whose result depends on the input. */
    public long run(long input) {
        long x = input * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    /** The same work, then it fails with the preallocated {@link TaskFailure}. */
    public long fail(long input) {
        long x = input * 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        if (x != 0) {
            throw TaskFailure.INSTANCE;
        }
        return x;
    }
}

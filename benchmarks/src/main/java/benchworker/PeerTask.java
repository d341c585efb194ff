package benchworker;

/**
 * The one task of {@link HelloWorld} and {@link ThroughputWorker}: {@link #rounds} steps of a
 * xorshift generator (a chain of dependent shifts and xors the JIT cannot fold), so its cost is
 * CPU work, the same in every configuration, not a time it waits for.
 */
public final class PeerTask implements Runnable {

    /** Steps per run; set by the worker before the first run. */
    static int rounds = 1000;
    /** The generator's state, kept so the work is not dead code. */
    static long state = 1;

    @Override
    public void run() {
        long x = state;
        for (int i = 0; i < rounds; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        state = x;
    }
}

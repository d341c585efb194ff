package io.agentmon.benchmarks;

import benchworker.TaskFailure;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The recorded runs behind {@link ScrapeBenchmark}: which durations each task label gets, the
 * body of the generated task classes ({@link #run}), and the bucket bounds both sides use.
 *
 * <p>Every label runs {@link #RUNS} times, by a plan fixed per (label, run), so the agentmon side
 * (which times real calls of woven methods) and the Micrometer side (which records the planned
 * values into its timers) hold the same distribution: seven short successes log-uniform in
 * [20 µs, 400 µs), one failure (as long, then {@link TaskFailure}), one success of 2 ms and one
 * of 6, 20 or 60 ms by the label's number modulo 3, all spent parked ({@link #sleeps}). With the
 * default bounds that fills the buckets {@code le=0.001}, {@code 0.005} and one of {@code 0.01},
 * {@code 0.05}, {@code 0.1}: a task's cumulative buckets then hold 7, 8 and 9 runs, not one
 * count repeated 13 times.
 */
public final class ScrapeWork {

    /** Runs per label; run {@link #FAILING_RUN} fails. */
    static final int RUNS = 10;
    static final int FAILING_RUN = 6;
    static final int SUCCESSES = RUNS - 1;

    /** agentmon's default {@code agentmon.task.buckets}, which Micrometer's timers get as SLOs. */
    static final Duration[] DEFAULT_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5)};

    /** What the current thread's next {@link #run} does: {nanos, sleep ? 1 : 0, fail ? 1 : 0}. */
    private static final ThreadLocal<long[]> NEXT = ThreadLocal.withInitial(() -> new long[3]);

    private ScrapeWork() {
    }

    /** The planned duration of run {@code run} of label {@code label}, in nanoseconds. */
    static long nanos(int label, int run) {
        if (run == 7) {
            return 2_000_000;
        }
        if (run == 8) {
            return new long[] {6_000_000, 20_000_000, 60_000_000}[label % 3];
        }
        // A fixed hash of (label, run) to [0, 1), then log-uniform in [20 us, 400 us).
        long h = (label * 0x9E3779B97F4A7C15L) ^ (run * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        double u = (h >>> 11) * 0x1.0p-53;
        return (long) (20_000 * Math.exp(u * Math.log(20)));
    }

    /**
     * Whether the run is spent parked rather than spinning: all of them, so that the 16 recording
     * threads wait side by side instead of taking turns spinning on a two-core machine (2,041
     * labels then record in about 5 s). A short run lasts its planned time plus the park's
     * overshoot (tens of microseconds), well inside the first bucket (1 ms).
     */
    static boolean sleeps(int label, int run) {
        return true;
    }

    /** Sets what the current thread's next call of a generated task does. */
    static void plan(int label, int run) {
        long[] next = NEXT.get();
        next[0] = nanos(label, run);
        next[1] = sleeps(label, run) ? 1 : 0;
        next[2] = run == FAILING_RUN ? 1 : 0;
    }

    /** The body of every generated {@code benchgen.TaskN.run()}: does what {@link #plan} said. */
    public static void run() {
        long[] next = NEXT.get();
        long end = System.nanoTime() + next[0];
        if (next[1] == 1) {
            for (long left; (left = end - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
        } else {
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
        }
        if (next[2] == 1) {
            throw TaskFailure.INSTANCE;
        }
    }
}

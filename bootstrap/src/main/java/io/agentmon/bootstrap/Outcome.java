package io.agentmon.bootstrap;

import java.util.concurrent.TimeoutException;

/**
 * How a run ended, the one list of outcomes and the one place a {@code Throwable} is classified:
 * returned normally is {@link #SUCCESS}, threw a {@link TimeoutException} is {@link #TIMEOUT},
 * threw anything else is {@link #FAILURE}. The probes record by it, the live feed carries it, the
 * span exporter names it, and the agent's collectors and summary label by {@link #label}.
 *
 * <p>Stateless: any thread may call anything here.
 */
public final class Outcome {

    public static final int SUCCESS = 0;
    public static final int FAILURE = 1;
    public static final int TIMEOUT = 2;
    /** Outcomes there are; each is an index from 0, in the order above. */
    public static final int COUNT = 3;

    private Outcome() {
    }

    /** The outcome of a run that threw {@code thrown}, or returned normally when it is null. */
    public static int of(Throwable thrown) {
        return thrown == null ? SUCCESS : thrown instanceof TimeoutException ? TIMEOUT : FAILURE;
    }

    /**
     * The outcome of a container allocation, which knows no timeout of its own: threw anything is
     * {@link #FAILURE}.
     */
    public static int ofAllocation(Throwable thrown) {
        return thrown == null ? SUCCESS : FAILURE;
    }

    /** The {@code outcome} label value: {@code success}, {@code failure} or {@code timeout}. */
    public static String label(int outcome) {
        switch (outcome) {
            case SUCCESS: return "success";
            case FAILURE: return "failure";
            case TIMEOUT: return "timeout";
            default: throw new IllegalArgumentException("no such outcome: " + outcome);
        }
    }
}

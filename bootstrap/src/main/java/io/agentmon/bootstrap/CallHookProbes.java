package io.agentmon.bootstrap;

/**
 * What agentmon's own weaver puts into a worker's event, timeout handler and container methods
 * (the agent's {@code CallHookWeaver}, for what Byte Buddy's event, timeout and container advice
 * did): each call forwards to {@link EventRecorders}, {@link TimeoutProbes} or
 * {@link ContainerProbes} and never throws, since the woven code has no handler around it (the
 * advice had Byte Buddy's {@code suppress}). A failure here (a {@code StackOverflowError} deep in a
 * worker's stack, say) loses that one figure; the worker's method goes on as it would have. The
 * {@code Object} overloads take a reference the woven code loaded as it is, so that the tests
 * (is it a number, is it null) are made here and the woven code has no branch.
 */
public final class CallHookProbes {

    private CallHookProbes() {
    }

    /** An event's method was entered. */
    public static void event(int eventId) {
        try {
            EventRecorders.occurred(eventId);
        } catch (Throwable ignored) {
            // this call is not counted
        }
    }

    /** An event's value, a primitive widened to double by the woven code. */
    public static void eventValue(int eventId, double value) {
        try {
            EventRecorders.value(eventId, value);
        } catch (Throwable ignored) {
            // this value is not recorded; the call was counted apart
        }
    }

    /** An event's value as the method has it: a number records its value; a null, none (the count stays). */
    public static void eventValue(int eventId, Object boxed) {
        try {
            if (boxed instanceof Number) {
                EventRecorders.value(eventId, ((Number) boxed).doubleValue());
            }
        } catch (Throwable ignored) {
            // this value is not recorded (a worker's Number whose doubleValue threw, say); the call was counted apart
        }
    }

    /** A worker's own timeout handler was called: counted for the task running on this thread, else its label. */
    public static void timeoutHandler(int probeId) {
        try {
            TimeoutProbes.handlerCalled(probeId);
        } catch (Throwable ignored) {
            // the timeout is not counted
        }
    }

    /** A timeout handler whose matcher gave it a label of its own was called. */
    public static void labelledTimeoutHandler(int probeId) {
        try {
            TimeoutProbes.labelledHandlerCalled(probeId);
        } catch (Throwable ignored) {
            // the timeout is not counted
        }
    }

    /**
     * An allocation method was entered: the start for {@link #allocationFinished}, or 0 when
     * that failed, which {@link ContainerProbes#allocationFinished} takes as nothing to measure or pop.
     */
    public static long allocationStarted() {
        try {
            return ContainerProbes.allocationStarted();
        } catch (Throwable ignored) {
            return 0; // this allocation is not recorded
        }
    }

    /** The CPU cores of the allocation just started, a primitive widened to double (0 when not configured). */
    public static void allocationCpus(double cpus) {
        try {
            ContainerProbes.allocationCpus(cpus);
        } catch (Throwable ignored) {
            // the allocation is recorded with 0 cores
        }
    }

    /** The CPU cores as the method has them: a number is the size; a null leaves it 0. */
    public static void allocationCpus(Object boxed) {
        try {
            if (boxed instanceof Number) {
                ContainerProbes.allocationCpus(((Number) boxed).doubleValue());
            }
        } catch (Throwable ignored) {
            // the allocation is recorded with 0 cores
        }
    }

    /** The memory of the allocation just started, in bytes, widened to double (0 when not configured). */
    public static void allocationMemory(double memoryBytes) {
        try {
            ContainerProbes.allocationMemory(memoryBytes);
        } catch (Throwable ignored) {
            // the allocation is recorded with no memory
        }
    }

    /** The memory as the method has it: a number is the size; a null leaves it 0. */
    public static void allocationMemory(Object boxed) {
        try {
            if (boxed instanceof Number) {
                ContainerProbes.allocationMemory(((Number) boxed).doubleValue());
            }
        } catch (Throwable ignored) {
            // the allocation is recorded with no memory
        }
    }

    /** The allocation returned {@code container} ({@code thrown} null: a primitive boxed, null for void) or threw. */
    public static void allocationFinished(long startNanos, Object container, Throwable thrown) {
        try {
            ContainerProbes.allocationFinished(startNanos, container, thrown);
        } catch (Throwable ignored) {
            // this allocation is not recorded, and its container not tracked
        }
    }

    /** A release method returned; {@code container} is its first argument (a primitive boxed). */
    public static void released(Object container) {
        try {
            ContainerProbes.released(container);
        } catch (Throwable ignored) {
            // the container stays counted as alive (the housekeeping never forgets a running one)
        }
    }
}

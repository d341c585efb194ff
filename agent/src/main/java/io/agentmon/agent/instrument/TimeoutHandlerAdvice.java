package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.TimeoutProbes;
import net.bytebuddy.asm.Advice;

/** Copied into a worker's own timeout handler (agentmon.timeouts): each call is a timeout. */
final class TimeoutHandlerAdvice {

    private TimeoutHandlerAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@ProbeId int probeId) {
        TimeoutProbes.handlerCalled(probeId);
    }

    /** For a handler matcher with a {@code label=} of its own. */
    static final class Labelled {
        private Labelled() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int probeId) {
            TimeoutProbes.labelledHandlerCalled(probeId);
        }
    }
}

package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.EventRecorders;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Copied into methods named by {@code agentmon.events.<name>}: each call counts. The value, when
 * configured, is a second, separate piece of advice, so a value that cannot be read (a null on
 * the way to it) never loses the count.
 */
final class EventAdvice {

    private EventAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@ProbeId int eventId) {
        EventRecorders.occurred(eventId);
    }

    /** The value read from the arguments on entry. */
    static final class ArgumentValue {
        private ArgumentValue() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int eventId, @ReadValue double value) {
            EventRecorders.value(eventId, value);
        }
    }

    /** The value returned (the method returned normally). */
    static final class ReturnValue {
        private ReturnValue() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@ProbeId int eventId, @Advice.Return(typing = Assigner.Typing.DYNAMIC) double value) {
            EventRecorders.value(eventId, value);
        }
    }
}

package io.agentmon.agent.instrument;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The memory in bytes an allocation asked for, read by {@link ValueReader}'s bytecode (0 when not configured). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@interface ReadMemory {
}

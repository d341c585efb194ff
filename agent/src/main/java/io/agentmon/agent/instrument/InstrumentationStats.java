package io.agentmon.agent.instrument;

import io.agentmon.agent.AgentLog;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;

/** Counts of what instrumentation did, for {@code /health/ready} and the start-up line. */
public final class InstrumentationStats {

    private final AtomicLong wovenMethods = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong refusedMethods = new AtomicLong();

    void woven() {
        wovenMethods.incrementAndGet();
    }

    void refused(TypeDescription type, MethodDescription method) {
        if (refusedMethods.getAndIncrement() == 0) {
            AgentLog.warn("too many distinct event names; " + type.getName() + "#" + method.getName()
                    + " and any further ones are not recorded");
        }
    }

    void error(String typeName, Throwable error) {
        if (errors.getAndIncrement() < 5) {
            AgentLog.warn("could not instrument " + typeName + ": " + error);
        }
    }

    public long wovenMethods() {
        return wovenMethods.get();
    }

    public long errors() {
        return errors.get();
    }
}

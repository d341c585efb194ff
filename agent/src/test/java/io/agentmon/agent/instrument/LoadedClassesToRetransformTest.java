package io.agentmon.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class LoadedClassesToRetransformTest {

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final ClassLoader WORKER = new URLClassLoader(new URL[0], null);

    @Test
    void offersTheConcurrencyClassesOfTheJdkAndNoOther() {
        assertTrue(LoadedClassesToRetransform.offers(null, "java.util.concurrent.ThreadPoolExecutor"));
        assertTrue(LoadedClassesToRetransform.offers(null, "java.util.concurrent.ThreadPoolExecutor$Worker"));
        assertFalse(LoadedClassesToRetransform.offers(null, "java.lang.String"));
        assertFalse(LoadedClassesToRetransform.offers(null, "java.util.HashMap"));
        assertFalse(LoadedClassesToRetransform.offers(PLATFORM, "java.sql.Driver"));
    }

    @Test
    void offersEveryClassOfTheWorkersLoadersButAgentmonsOwn() {
        assertTrue(LoadedClassesToRetransform.offers(WORKER, "com.acme.Worker"));
        assertTrue(LoadedClassesToRetransform.offers(WORKER, "java.util.concurrent.Looks"));
        assertFalse(LoadedClassesToRetransform.offers(WORKER, "io.agentmon.agent.startup.AgentMain"));
        assertFalse(LoadedClassesToRetransform.offers(WORKER, "io.agentmon.shaded.bytebuddy.ByteBuddy"));
        assertFalse(LoadedClassesToRetransform.offers(WORKER, "io.agentmon.bootstrap.TaskProbes"));
        // The agent's packages only: the test fixtures live beside them (AttachTest's LateWorker).
        assertTrue(LoadedClassesToRetransform.offers(WORKER, "io.agentmon.it.fixtures.attach.LateWorker"));
    }

    @Test
    void everyFixedHookIsInTheOfferedJdkPackage() {
        // A hook on a JDK class outside it would miss that class when it loaded before the agent.
        for (String hooked : InstrumentationStats.JDK_HOOKS.keySet()) {
            assertTrue(hooked.startsWith(LoadedClassesToRetransform.JDK_PACKAGE), hooked);
        }
    }
}

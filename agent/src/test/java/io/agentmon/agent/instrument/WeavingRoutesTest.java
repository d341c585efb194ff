package io.agentmon.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.instrument.WeavingRoutes.Route;
import io.agentmon.agent.matching.MethodMatcher;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeavingRoutesTest {

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    /** A worker's loader that sees no framework. */
    private static final ClassLoader WORKER = new URLClassLoader(new URL[0], null);
    /** A worker's loader that sees JUnit, standing for a framework. */
    private static final ClassLoader WITH_FRAMEWORK = WeavingRoutesTest.class.getClassLoader();
    private static final String FRAMEWORK_TYPE = "org.junit.jupiter.api.Test";
    private static final String KAFKA_CONSUMER = "org.apache.kafka.clients.consumer.KafkaConsumer";

    private static WeavingRoutes routes(String tasks, String timeouts) {
        return routes(tasks, timeouts, false);
    }

    private static WeavingRoutes routes(String tasks, String timeouts, boolean othersOwnWeavable) {
        return new WeavingRoutes(MethodMatcher.parseList(tasks), List.of(MethodMatcher.parseList(timeouts)), Set.of(),
                othersOwnWeavable);
    }

    @Test
    void theJdkGoesNowhereButItsHookedClassesWhichAreAgentmonsOwnWeavers() {
        WeavingRoutes routes = routes("com.acme.Worker#run", "");
        for (String hooked : InstrumentationStats.JDK_HOOKS.keySet()) {
            assertEquals(Route.JDK_HOOKS, routes.route(hooked, null), hooked);
            assertEquals(Route.NONE, routes.route(hooked, WORKER), "only the bootstrap loader's " + hooked + " is the JDK's");
        }
        assertEquals(Route.NONE, routes.route("java.lang.String", null));
        assertEquals(Route.NONE, routes.route("java.util.HashMap", null));
        assertEquals(Route.NONE, routes.route("java.sql.Driver", PLATFORM));
        // A class of that name in a worker's loader is not the JDK's, and no matcher can name java.*.
        assertEquals(Route.NONE, routes.route("java.util.concurrent.Looks", WORKER));
    }

    @Test
    void aClassNamedOnlyByTaskMatchersIsWovenWithoutByteBuddy() {
        WeavingRoutes routes = routes("com.acme.Worker#run,com.acme.jobs.*Job#execute", "");
        assertTrue(routes.ownWeaversDecide());
        assertEquals(Route.OWN_WEAVERS, routes.route("com.acme.Worker", WORKER));
        assertEquals(Route.OWN_WEAVERS, routes.route("com.acme.jobs.IngestJob", WORKER));
        assertEquals(Route.NONE, routes.route("com.acme.Other", WORKER));
        assertEquals(Route.NONE, routes.route("com.acme.Worker", null), "the bootstrap loader is never the worker's");
        assertEquals(Route.NONE, routes.route("com.acme.Worker", PLATFORM));
    }

    @Test
    void agentmonsOwnClassesGoNowhereWhateverNamesThem() {
        WeavingRoutes routes = routes("io.agentmon.*#run,com.acme.Task+#run", "");
        for (String own : List.of("io.agentmon.agent.startup.AgentMain", "io.agentmon.shaded.bytebuddy.ByteBuddy",
                "io.agentmon.bootstrap.TaskProbes", "net.bytebuddy.ByteBuddy", "jdk.internal.reflect.Stub")) {
            assertEquals(Route.NONE, routes.route(own, WORKER), own);
        }
        // The agent's packages only: the test fixtures live beside them (AttachTest's LateWorker).
        assertEquals(Route.OWN_WEAVERS, routes.route("io.agentmon.it.fixtures.attach.LateWorker", WORKER));
    }

    @Test
    void aClassAnotherListNamesIsByteBuddysWhenAValueNeedsIt() {
        WeavingRoutes routes = routes("com.acme.Worker#run", "com.acme.Worker#onTimeout,com.acme.Handler#handle");
        assertEquals(Route.BYTE_BUDDY, routes.route("com.acme.Worker", WORKER), "a task and a timeout handler: one weaver for both");
        assertEquals(Route.BYTE_BUDDY, routes.route("com.acme.Handler", WORKER));
    }

    @Test
    void aClassAnotherListNamesIsAgentmonsWhenItsValuesAreArgumentsOrReturns() {
        WeavingRoutes routes = routes("com.acme.Worker#run", "com.acme.Worker#onTimeout,com.acme.Handler#handle", true);
        assertTrue(routes.ownWeaversDecide());
        assertEquals(Route.OWN_WEAVERS, routes.route("com.acme.Worker", WORKER), "a task and a timeout handler: one pass each");
        assertEquals(Route.OWN_WEAVERS, routes.route("com.acme.Handler", WORKER));
        assertTrue(routes.othersName("com.acme.Handler", WORKER));
        assertFalse(routes.othersName("com.acme.Other", WORKER));
        assertEquals(Route.NONE, routes.route("com.acme.Other", WORKER));
    }

    @Test
    void aSupertypeTaskMatcherSendsEveryWorkerClassToAgentmonsWeaverWhichReadsItsSupertypes() {
        WeavingRoutes routes = routes("com.acme.Worker#run,com.acme.Task+#run", "");
        assertTrue(routes.ownWeaversDecide());
        assertEquals(Route.OWN_WEAVERS, routes.route("com.acme.Anything", WORKER));
        assertEquals(Route.OWN_WEAVERS, routes.route("com.acme.Worker", WORKER));
        assertEquals(Route.NONE, routes.route("com.acme.Anything", PLATFORM), "never the JDK's loaders");
        assertEquals(Route.NONE, routes.route("java.lang.String", null));
        assertEquals(Route.JDK_HOOKS, routes.route("java.util.concurrent.ThreadPoolExecutor", null));
    }

    @Test
    void aMatcherThatNeedsMoreThanNamesAndSupertypesSendsEveryWorkerClassToByteBuddy() {
        WeavingRoutes routes = routes("com.acme.Worker#run,@com.acme.Monitored", "");
        assertFalse(routes.ownWeaversDecide());
        assertEquals(Route.BYTE_BUDDY, routes.route("com.acme.Anything", WORKER));
        assertEquals(Route.BYTE_BUDDY, routes.route("com.acme.Worker", WORKER));
        assertEquals(Route.NONE, routes.route("java.lang.String", null));
        assertEquals(Route.JDK_HOOKS, routes.route("java.util.concurrent.ThreadPoolExecutor", null));
        // Another list's supertype matcher is still Byte Buddy's to decide.
        WeavingRoutes timeouts = routes("com.acme.Worker#run", "com.acme.Handler+#handle");
        assertFalse(timeouts.ownWeaversDecide());
        assertEquals(Route.BYTE_BUDDY, timeouts.route("com.acme.Worker", WORKER));
    }

    @Test
    void aFrameworksMatcherSendsTheClassesOfTheLoadersThatSeeItToByteBuddy() {
        List<MethodMatcher> tasks = List.of(MethodMatcher.parse("com.acme.Worker#run"),
                MethodMatcher.parse("@" + FRAMEWORK_TYPE).onlyWhereVisible(FRAMEWORK_TYPE));
        WeavingRoutes routes = new WeavingRoutes(tasks, List.of(), Set.of(KAFKA_CONSUMER), true);
        assertTrue(routes.ownWeaversDecide(), "a gated matcher is tried only where its framework is");
        assertEquals(Route.BYTE_BUDDY, routes.route("com.acme.Anything", WITH_FRAMEWORK));
        assertEquals(Route.BYTE_BUDDY, routes.route("com.acme.Worker", WITH_FRAMEWORK));
        assertEquals(Route.NONE, routes.route("com.acme.Anything", WORKER));
        assertEquals(Route.OWN_WEAVERS, routes.route("com.acme.Worker", WORKER));
        // A framework's own hook, by name, wherever it loads.
        assertEquals(Route.BYTE_BUDDY, routes.route(KAFKA_CONSUMER, WORKER));
    }
}

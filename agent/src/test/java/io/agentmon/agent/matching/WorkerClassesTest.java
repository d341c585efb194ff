package io.agentmon.agent.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.matching.WorkerClasses.Coverage;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** Which matchers reach only the worker's classes, which are narrowed to them, which reach nothing weavable. */
class WorkerClassesTest {

    @Test
    void matchersThatOnlyReachTheJdkOrAgentmonAreExcluded() {
        for (String text : new String[] {"java.*#*", "java.util.concurrent.*#*", "java.util.concurrent.atomic.*#*",
                "java.lang.invoke.*#*", "java.lang.Thread#*", "jdk.internal.*#*", "sun.misc.Unsafe#*",
                "io.agentmon.bootstrap.*#*", "io.agentmon.shaded.*#*", "net.bytebuddy.*#*",
                "io.opentelemetry.api.trace.Span#current", "io.opentelemetry.context.*#*", "io.opentelemetry.javaagent.*#*"}) {
            assertEquals(Coverage.EXCLUDED, coverage(text), text);
        }
        assertEquals("java.", WorkerClasses.excludedPrefix(MethodMatcher.parse("java.util.concurrent.*#*")));
    }

    @Test
    void matchersThatAlsoReachTheJdkAreNarrowed() {
        for (String text : new String[] {"*#*", "*+#*", "j*#*", "java*#*", "*.Thread#*", "io.*#*", "io.agentmon.*#*",
                "java.lang.Runnable+#run", "java.util.concurrent.Callable+#call", "@java.lang.Deprecated",
                "javax.*#*", "javax.servlet.*#*", "com.sun.*#*", "com.*#*", "org.*#*"}) {
            assertEquals(Coverage.NARROWED, coverage(text), text);
        }
    }

    @Test
    void matchersOfTheWorkersOwnClassesAreLeftAlone() {
        for (String text : new String[] {"com.acme.*#*", "com.acme.Job+#execute", "@com.acme.Monitored", "com.acme.Worker#run",
                "io.agentmon.it.fixtures.*#*", "ingest=com.acme.Ingest#run", "javafx.App#start", "jdkx.Foo#bar"}) {
            assertEquals(Coverage.WORKER, coverage(text), text);
        }
    }

    @Test
    void theNameRuleKeepsAgentmonTheOpenTelemetryApiAndTheJdkOut() {
        assertFalse(WorkerClasses.types().matches(TypeDescription.ForLoadedType.of(Thread.class)));
        assertFalse(WorkerClasses.types().matches(TypeDescription.ForLoadedType.of(WorkerClasses.class)));
        assertTrue(WorkerClasses.types().matches(TypeDescription.ForLoadedType.of(Test.class)), "a library's class");
    }

    @Test
    void theLoaderRuleKeepsEveryJdkLoaderOut() {
        assertFalse(WorkerClasses.loaders().matches(null), "bootstrap");
        assertFalse(WorkerClasses.loaders().matches(ClassLoader.getPlatformClassLoader()), "platform");
        assertTrue(WorkerClasses.loaders().matches(ClassLoader.getSystemClassLoader()), "application");
    }

    private static Coverage coverage(String text) {
        return WorkerClasses.coverage(MethodMatcher.parse(text));
    }
}

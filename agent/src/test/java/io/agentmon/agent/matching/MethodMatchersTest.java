package io.agentmon.agent.matching;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.matching.Workers;
import com.acme.matching.Workers.FetchJob;
import com.acme.matching.Workers.Handler;
import com.acme.matching.Workers.IngestJob;
import com.acme.matching.Workers.Shapes;
import com.acme.matching.Workers.Task;
import com.acme.matching.Workers.OrderListener;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

/** Which methods of which types a matcher list selects at transform time, for which matcher, under which label. */
class MethodMatchersTest {

    private static final String P = "com.acme.matching.Workers$";

    private static TypeDescription type(Class<?> type) {
        return TypeDescription.ForLoadedType.of(type);
    }

    private static MethodDescription method(Class<?> type, ElementMatcher<? super MethodDescription> which) {
        return type(type).getDeclaredMethods().filter(which).getOnly();
    }

    private static MethodDescription method(Class<?> type, String name) {
        return method(type, named(name).and(not(isBridge())));
    }

    private static MethodMatchers matchers(String list) {
        return new MethodMatchers(MethodMatcher.parseList(list));
    }

    @Test
    void aMethodSelectedByTwoMatchersGoesToTheFirstListed() {
        List<MethodMatcher> list = MethodMatcher.parseList("jobs=" + P + "*Job#run,tasks=" + P + "Task+#run");
        MethodMatchers matchers = new MethodMatchers(list);
        assertSame(list.get(0), matchers.select(type(IngestJob.class), method(IngestJob.class, "run")));
        assertNull(matchers.select(type(Workers.class), method(Workers.class, "run")), "Workers is no Task and no *Job");
        List<MethodMatcher> reversed = MethodMatcher.parseList("tasks=" + P + "Task+#run,jobs=" + P + "*Job#run");
        assertSame(reversed.get(0), new MethodMatchers(reversed).select(type(IngestJob.class), method(IngestJob.class, "run")));
        assertEquals("tasks", MethodMatchers.label(reversed.get(0), type(IngestJob.class), method(IngestJob.class, "run")));
    }

    @Test
    void theMethodNameMustMatchWholly() {
        MethodMatchers exact = matchers(P + "IngestJob#run");
        assertNotNull(exact.select(type(IngestJob.class), method(IngestJob.class, "run")));
        assertNull(exact.select(type(IngestJob.class), method(IngestJob.class, "runAll")));
        MethodMatchers glob = matchers(P + "IngestJob#run*");
        assertNotNull(glob.select(type(IngestJob.class), method(IngestJob.class, "runAll")));
        assertNull(exact.select(type(FetchJob.class), method(FetchJob.class, "run")), "another class's run");
    }

    @Test
    void aSubtypeMatcherSelectsEveryImplementationButNotTheAbstractDeclaration() {
        MethodMatchers matchers = matchers(P + "Task+#run");
        assertNotNull(matchers.select(type(IngestJob.class), method(IngestJob.class, "run")), "implements Task");
        assertNotNull(matchers.select(type(FetchJob.class), method(FetchJob.class, "run")), "through its superclass");
        assertNull(matchers.select(type(Task.class), method(Task.class, "run")), "abstract: no body to count");
        assertNull(matchers.select(type(Workers.class), method(Workers.class, "run")), "a run of no Task");
        assertTrue(matchers.types().matches(type(Task.class)), "the type itself is included");
        assertTrue(matchers.types().matches(type(FetchJob.class)));
        assertFalse(matchers.types().matches(type(Handler.class)));
    }

    @Test
    void anAnnotationMatcherSelectsTheAnnotatedMethodsOnly() {
        MethodMatchers matchers = matchers("@com.acme.matching.Workers$Monitored");
        assertNotNull(matchers.select(type(Handler.class), method(Handler.class, "handle")));
        assertNull(matchers.select(type(Handler.class), method(Handler.class, "other")));
        assertTrue(matchers.types().matches(type(Handler.class)), "declares an annotated method");
        assertFalse(matchers.types().matches(type(IngestJob.class)));
    }

    @Test
    void compilerMadeAbstractAndNativeMethodsAndConstructorsAreNeverSelected() {
        MethodMatchers everything = matchers(P + "*#*");
        TypeDescription shapes = type(Shapes.class);
        assertNotNull(everything.select(shapes, method(Shapes.class, "compareTo")), "the real compareTo");
        assertNull(everything.select(shapes, method(Shapes.class, named("compareTo").and(isBridge()))), "its bridge");
        assertNull(everything.select(shapes, method(Shapes.class, isSynthetic().and(not(isBridge())))), "the lambda's body");
        assertNull(everything.select(shapes, method(Shapes.class, "abstractRun")));
        assertNull(everything.select(shapes, method(Shapes.class, "nativeRun")));
        assertNull(everything.select(type(IngestJob.class), method(IngestJob.class, isConstructor())));
    }

    @Test
    void agentmonsOwnTypesAreNeverCandidatesHoweverBroadTheMatcher() {
        MethodMatchers everything = matchers("*#*");
        assertTrue(everything.types().matches(type(IngestJob.class)));
        assertFalse(everything.types().matches(type(MethodMatchers.class)));
        assertFalse(everything.types().matches(type(io.agentmon.bootstrap.TaskProbes.class)));
        assertFalse(matchers("*+#*").types().matches(type(MethodMatchers.class)));
    }

    @Test
    void theDefaultLabelIsTheSimpleClassNameDotTheMethodNestedClassesKeepingTheirDollar() {
        MethodMatcher unlabelled = MethodMatcher.parse(P + "*Job#run");
        assertEquals("Workers$IngestJob.run", MethodMatchers.label(unlabelled, type(IngestJob.class), method(IngestJob.class, "run")));
        assertEquals("Workers.run", MethodMatchers.label(MethodMatcher.parse("com.acme.matching.Workers#run"),
                type(Workers.class), method(Workers.class, "run")));
        MethodMatcher labelled = MethodMatcher.parse("ingest=" + P + "*Job#run");
        assertEquals("ingest", MethodMatchers.label(labelled, type(IngestJob.class), method(IngestJob.class, "run")));
    }

    @Test
    void aGatedMatcherIsTriedOnlyWhereItsLoaderSeesItsType() throws Exception {
        String task = "com.acme.matching.Workers$Task";
        MethodMatchers matchers = new MethodMatchers(List.of(MethodMatcher.parse(task + "+#run").onlyWhereVisible(task)));
        ClassLoader sees = MethodMatchersTest.class.getClassLoader();
        ClassLoader blind = new java.net.URLClassLoader(new java.net.URL[0], null);
        assertTrue(matchers.matcher().matches(type(IngestJob.class), sees, null, null, null));
        assertFalse(matchers.matcher().matches(type(IngestJob.class), blind, null, null, null),
                "a loader that cannot see Task defines no subtype of it: not walked");
        assertFalse(matchers.matcher().matches(type(Workers.class), sees, null, null, null), "no Task");
        assertFalse(matchers.matcher().matches(type(IngestJob.class), null, null, null, null), "never the JDK's loaders");
        // An ungated matcher in the same list is tried everywhere, as types() and loaders() say.
        MethodMatchers both = new MethodMatchers(List.of(MethodMatcher.parse(task + "+#run").onlyWhereVisible("no.such.Type"),
                MethodMatcher.parse(P + "FetchJob#run")));
        assertTrue(both.matcher().matches(type(FetchJob.class), blind, null, null, null));
        assertFalse(both.matcher().matches(type(IngestJob.class), sees, null, null, null), "gated on a type nobody sees");
        assertTrue(both.types().matches(type(IngestJob.class)), "types() alone knows no loader: every matcher");
        assertEquals("com.acme.matching.Workers$Task", matchers.select(type(IngestJob.class), method(IngestJob.class, "run"))
                .visibleType());
        blind.getClass(); // keep the loader reachable to here
    }

    @Test
    void aRestrictedMatcherSelectsTheInterfacesOneMethodAndNoneOfTheExcludedTypes() {
        MethodMatcher listener = MethodMatcher.parse(P + "Listener+#onMessage");
        MethodMatchers unrestricted = new MethodMatchers(List.of(listener));
        assertNotNull(unrestricted.select(type(OrderListener.class), method(OrderListener.class, takesArguments(2))),
                "a plain matcher takes every overload");
        TypeDescription adapter = type(Workers.Adapters.ListenerAdapter.class);
        assertNotNull(unrestricted.select(adapter, method(Workers.Adapters.ListenerAdapter.class, "onMessage")));

        MethodMatchers restricted = new MethodMatchers(List.of(listener.restrictedTo(List.of("java.lang.CharSequence"),
                List.of("com.acme.matching.Workers$Adapters$"))));
        assertNotNull(restricted.select(type(OrderListener.class), method(OrderListener.class, takesArguments(1))));
        assertNull(restricted.select(type(OrderListener.class), method(OrderListener.class, takesArguments(2))),
                "the overload of its own");
        assertNull(restricted.select(adapter, method(Workers.Adapters.ListenerAdapter.class, "onMessage")), "the adapter");
        assertFalse(restricted.types().matches(adapter), "the adapter's class is not even transformed");
        assertTrue(restricted.types().matches(type(OrderListener.class)));
        assertEquals(listener.toString(), listener.restrictedTo(null, List.of()).toString(), "named as its text");

        MethodMatchers anyFirst = new MethodMatchers(List.of(listener.restrictedTo(List.of("*", "int"), List.of())));
        assertNotNull(anyFirst.select(type(OrderListener.class), method(OrderListener.class, takesArguments(2))), "globs");
        assertNull(anyFirst.select(type(OrderListener.class), method(OrderListener.class, takesArguments(1))), "arity");
    }
}

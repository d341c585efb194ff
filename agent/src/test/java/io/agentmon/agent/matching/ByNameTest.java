package io.agentmon.agent.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class ByNameTest {

    private static final ClassLoader WORKER = new URLClassLoader(new URL[0], null);
    private static final int BRIDGE = 0x0040;
    private static final int SYNTHETIC = 0x1000;
    /** A class that extends nothing but Object, for the cases decided by name. */
    private static final Lineage NO_SUPERTYPES = new Lineage(new Supertypes(), "com/acme/Any", "java/lang/Object", new String[0], WORKER);

    @Test
    void theFirstMatcherInTheListSelectsAsMethodMatchersDoes() {
        ByName byName = new ByName(MethodMatcher.parseList("ingest=com.acme.Worker#run,com.acme.*#r*"));
        assertEquals("ingest", byName.select("com.acme.Worker", NO_SUPERTYPES, "run", Modifier.PUBLIC).label());
        assertEquals("com.acme.*#r*", byName.select("com.acme.Worker", NO_SUPERTYPES, "retry", Modifier.PUBLIC).toString());
        assertEquals("com.acme.*#r*", byName.select("com.acme.Other", NO_SUPERTYPES, "run", Modifier.PUBLIC).toString());
        assertNull(byName.select("com.acme.Worker", NO_SUPERTYPES, "stop", Modifier.PUBLIC));
        assertNull(byName.select("org.other.Worker", NO_SUPERTYPES, "run", Modifier.PUBLIC));
    }

    @Test
    void neverAConstructorNorAnAbstractNativeBridgeOrCompilerMadeMethod() {
        ByName byName = new ByName(MethodMatcher.parseList("com.acme.Worker#*"));
        assertNull(byName.select("com.acme.Worker", NO_SUPERTYPES, "<init>", Modifier.PUBLIC));
        assertNull(byName.select("com.acme.Worker", NO_SUPERTYPES, "<clinit>", Modifier.STATIC));
        assertNull(byName.select("com.acme.Worker", NO_SUPERTYPES, "run", Modifier.PUBLIC | Modifier.ABSTRACT));
        assertNull(byName.select("com.acme.Worker", NO_SUPERTYPES, "run", Modifier.PUBLIC | Modifier.NATIVE));
        assertNull(byName.select("com.acme.Worker", NO_SUPERTYPES, "run", Modifier.PUBLIC | BRIDGE));
        assertNull(byName.select("com.acme.Worker", NO_SUPERTYPES, "lambda$run$0", Modifier.PRIVATE | SYNTHETIC));
        assertEquals("com.acme.Worker#*", byName.select("com.acme.Worker", NO_SUPERTYPES, "run", Modifier.PUBLIC | Modifier.SYNCHRONIZED).toString());
    }

    @Test
    void namesOnlyTheWorkersClasses() {
        ByName byName = new ByName(MethodMatcher.parseList("com.acme.Worker#run"));
        assertTrue(byName.names("com.acme.Worker", WORKER));
        assertFalse(byName.names("com.acme.Worker", null));
        assertFalse(byName.names("com.acme.Worker", ClassLoader.getPlatformClassLoader()));
        assertFalse(byName.names("com.acme.Other", WORKER));
    }

    @Test
    void supertypesAnnotationsAndParameterTypesAreNotForNamesToDecide() {
        assertTrue(new ByName(MethodMatcher.parseList("com.acme.Worker#run,com.acme.*Job#execute")).decidesByName());
        assertFalse(new ByName(MethodMatcher.parseList("com.acme.Task+#run")).decidesByName());
        assertFalse(new ByName(MethodMatcher.parseList("@com.acme.Monitored")).decidesByName());
        assertFalse(new ByName(java.util.List.of(MethodMatcher.parse("com.acme.Listener#onMessage")
                .restrictedTo(java.util.List.of("javax.jms.Message"), java.util.List.of()))).decidesByName());
        // Gated on a framework: decided by the loader, then by Byte Buddy where the framework is.
        ByName gated = new ByName(java.util.List.of(MethodMatcher.parse("@org.junit.jupiter.api.Test")
                .onlyWhereVisible("org.junit.jupiter.api.Test")));
        assertTrue(gated.decidesByName());
        assertTrue(gated.frameworkVisible(ByNameTest.class.getClassLoader()));
        assertFalse(gated.frameworkVisible(WORKER));
        assertFalse(gated.names("com.acme.Anything", ByNameTest.class.getClassLoader()));
    }

    @Test
    void aSupertypeMatcherSelectsTheMethodsOfTheClassesBelowItsType() {
        ByName byName = new ByName(MethodMatcher.parseList("com.acme.Worker#run," + Fixtures.Root.class.getName() + "+#work"));
        assertTrue(byName.decidesWithSupertypes());
        assertTrue(byName.needsSupertypes());
        ClassLoader loader = ByNameTest.class.getClassLoader();
        Lineage leaf = lineage(Fixtures.Leaf.class, loader);
        String leafName = Fixtures.Leaf.class.getName();
        assertTrue(byName.mayName(leafName, loader, leaf));
        assertEquals(Fixtures.Root.class.getName() + "+#work", byName.select(leafName, leaf, "work", Modifier.PUBLIC).toString());
        assertNull(byName.select(leafName, leaf, "run", Modifier.PUBLIC), "Worker#run names another class");
        Lineage unrelated = lineage(ByNameTest.class, loader);
        assertFalse(byName.mayName(ByNameTest.class.getName(), loader, unrelated));
        assertNull(byName.select(ByNameTest.class.getName(), unrelated, "work", Modifier.PUBLIC));
        // By name, whatever the supertypes.
        assertTrue(byName.mayName("com.acme.Worker", WORKER, NO_SUPERTYPES));
        assertFalse(new ByName(MethodMatcher.parseList("com.acme.Worker#run")).needsSupertypes());
    }

    static Lineage lineage(Class<?> type, ClassLoader loader) {
        String[] interfaces = new String[type.getInterfaces().length];
        for (int i = 0; i < interfaces.length; i++) {
            interfaces[i] = type.getInterfaces()[i].getName().replace('.', '/');
        }
        return new Lineage(new Supertypes(), type.getName().replace('.', '/'),
                type.getSuperclass() == null ? null : type.getSuperclass().getName().replace('.', '/'), interfaces, loader);
    }

    @Test
    void annotationsAndParameterTypesAreNotForNamesAndSupertypesToDecide() {
        assertTrue(new ByName(MethodMatcher.parseList("com.acme.Worker#run,com.acme.Task+#run")).decidesWithSupertypes());
        assertFalse(new ByName(MethodMatcher.parseList("com.acme.Worker#run,@com.acme.Monitored")).decidesWithSupertypes());
        assertFalse(new ByName(java.util.List.of(MethodMatcher.parse("com.acme.Task+#onMessage")
                .restrictedTo(java.util.List.of("javax.jms.Message"), java.util.List.of()))).decidesWithSupertypes());
    }
}

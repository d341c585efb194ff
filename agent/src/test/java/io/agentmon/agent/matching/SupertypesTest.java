package io.agentmon.agent.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SupertypesTest {

    private static final ClassLoader TESTS = SupertypesTest.class.getClassLoader();
    private static final String LEAF = internal(Fixtures.Leaf.class);
    private static final String BASE = internal(Fixtures.Base.class);
    private static final String[] RUNNABLE = {"java/lang/Runnable"};

    /** A loader that serves its parent's classes and counts (or refuses) the class files asked of it. */
    private static final class Resources extends ClassLoader {
        final List<String> asked = new ArrayList<>();
        private final boolean serves;

        Resources(boolean serves) {
            super(TESTS);
            this.serves = serves;
        }

        @Override
        public URL getResource(String name) {
            asked.add(name);
            return serves ? super.getResource(name) : null;
        }
    }

    @Test
    void findsATypeHoweverFarUpAndAmongTheInterfacesOfTheSuperclasses() {
        Supertypes supertypes = new Supertypes();
        assertTrue(supertypes.any(LEAF, BASE, RUNNABLE, TESTS, named(Fixtures.Root.class)), "Leaf < Base < Mid < Root");
        assertTrue(supertypes.any(LEAF, BASE, RUNNABLE, TESTS, named(Fixtures.Mid.class)));
        assertTrue(supertypes.any(LEAF, BASE, RUNNABLE, TESTS, named(Runnable.class)), "a JDK interface, read from its class file");
        assertTrue(supertypes.any(LEAF, BASE, RUNNABLE, TESTS, named(Object.class)));
        assertTrue(supertypes.any(LEAF, BASE, RUNNABLE, TESTS, named(Fixtures.Leaf.class)), "the class itself, as Byte Buddy's hasSuperType");
        assertFalse(supertypes.any(LEAF, BASE, RUNNABLE, TESTS, named(java.util.concurrent.Callable.class)));
        assertFalse(supertypes.any(BASE, "java/lang/Object", new String[] {internal(Fixtures.Mid.class)}, TESTS,
                named(Runnable.class)), "Runnable is Leaf's, not Base's");
        // A glob, as a matcher's type part: io.agentmon.*$Mid
        assertTrue(supertypes.any(LEAF, BASE, RUNNABLE, TESTS, name -> name.startsWith("io.agentmon.") && name.endsWith("$Mid")));
    }

    @Test
    void eachSupertypesClassFileIsReadOncePerLoader() {
        Supertypes supertypes = new Supertypes();
        Resources loader = new Resources(true);
        assertFalse(supertypes.any(LEAF, BASE, RUNNABLE, loader, name -> false));
        int first = loader.asked.size();
        // Base, Mid, Root and Runnable; Object is never read.
        assertEquals(List.of(BASE + ".class", internal(Fixtures.Mid.class) + ".class", internal(Fixtures.Root.class) + ".class",
                "java/lang/Runnable.class"), sorted(loader.asked));
        assertFalse(supertypes.any(LEAF, BASE, RUNNABLE, loader, name -> false));
        assertEquals(first, loader.asked.size(), "asked again: " + loader.asked);
        assertEquals(4, supertypes.remembered());
        // Another loader reads for itself: the same name may be another class there.
        Resources other = new Resources(true);
        assertTrue(supertypes.any(LEAF, BASE, RUNNABLE, other, named(Fixtures.Root.class)));
        assertFalse(other.asked.isEmpty());
    }

    @Test
    void aSupertypeWithNoClassFileIsDescribedFromTheLoadedClass() {
        Resources refusing = new Resources(false);
        assertTrue(new Supertypes().any(LEAF, BASE, RUNNABLE, refusing, named(Fixtures.Root.class)));
        assertFalse(refusing.asked.isEmpty(), "the class files were asked for first");
    }

    @Test
    void aSupertypeNothingDescribesEndsThere() {
        Supertypes supertypes = new Supertypes();
        assertFalse(supertypes.any(LEAF, "com/acme/Missing", new String[] {"com/acme/AlsoMissing"}, TESTS, named(Fixtures.Root.class)));
        assertTrue(supertypes.any(LEAF, "com/acme/Missing", new String[0], TESTS, name -> name.equals("com.acme.Missing")),
                "its own name is still known");
    }

    private static Predicate<String> named(Class<?> type) {
        return name -> name.equals(type.getName());
    }

    private static String internal(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        copy.sort(null);
        return copy;
    }
}

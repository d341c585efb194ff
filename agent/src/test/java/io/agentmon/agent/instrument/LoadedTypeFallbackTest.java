package io.agentmon.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * A class whose interface has no class file to read, as a JDK class looks once the OpenTelemetry
 * agent made it implement its marker: Byte Buddy's default pool fails on it, ours describes the
 * interface from the loaded class and the class's methods can be compiled for weaving.
 */
class LoadedTypeFallbackTest {

    /** Stands for the other agent's marker: loaded, but left out of the locator below. */
    interface Marker {
        void marked();
    }

    static final class Marked implements Marker {
        @Override
        public void marked() {
        }
    }

    @Test
    void anInterfaceWithoutAClassFileIsDescribedFromItsLoadedClass() throws Exception {
        ClassFileLocator onlyTheClass = ClassFileLocator.Simple.of(Marked.class.getName(),
                ClassFileLocator.ForClassLoader.read(Marked.class));
        ClassLoader loader = getClass().getClassLoader();

        TypePool fallback = new LoadedTypeFallback().typePool(onlyTheClass, loader);
        TypeDescription marked = fallback.describe(Marked.class.getName()).resolve();
        assertEquals(Marker.class.getName(), marked.getInterfaces().asErasures().getOnly().getName());
        MethodGraph.Linked graph = MethodGraph.Compiler.DEFAULT.compile((net.bytebuddy.description.type.TypeDefinition) marked);
        assertEquals(1, graph.getInterfaceGraph(marked.getInterfaces().asErasures().getOnly()).listNodes().size(),
                "the interface's method, read from the loaded class");

        TypePool plain = AgentBuilder.PoolStrategy.Default.FAST.typePool(onlyTheClass, loader);
        TypeDescription unresolved = plain.describe(Marked.class.getName()).resolve();
        assertThrows(TypePool.Resolution.NoSuchTypeException.class,
                () -> MethodGraph.Compiler.DEFAULT.compile((net.bytebuddy.description.type.TypeDefinition) unresolved),
                "what agentmon did before, beside the OpenTelemetry agent");
    }

    @Test
    void aTypeThatIsNeitherFoundNorLoadedStaysUnresolved() {
        TypePool fallback = new LoadedTypeFallback().typePool(ClassFileLocator.NoOp.INSTANCE, getClass().getClassLoader());
        assertEquals(false, fallback.describe("com.acme.NoSuchClass").isResolved());
    }
}

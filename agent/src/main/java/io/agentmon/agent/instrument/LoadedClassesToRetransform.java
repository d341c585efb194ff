package io.agentmon.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Which already-loaded classes the transformer is offered at install: the JDK's
 * {@code java.util.concurrent} classes and every class of the worker's own class loaders but agentmon's. The
 * other JDK classes (over a thousand in a hello world) cannot match: the fixed hooks name only
 * {@code java.util.concurrent} classes, and matchers never weave what the bootstrap or platform
 * loader defined ({@code WorkerClasses#loaders}). Offering them all cost a hello world 1 to 1.7 s
 * of its start, most of it describing classes that were then left alone.
 */
final class LoadedClassesToRetransform implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {

    /** The one JDK package the fixed hooks weave. A hook elsewhere in the JDK must be added here. */
    static final String JDK_PACKAGE = "java.util.concurrent.";

    /** agentmon's classes, its relocated libraries among them, whatever their loader. */
    static final List<String> AGENT_PACKAGES = List.of("io.agentmon.agent.", "io.agentmon.bootstrap.", "io.agentmon.shaded.");

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    @Override
    public Iterable<Iterable<Class<?>>> resolve(Instrumentation instrumentation) {
        List<Class<?>> offered = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (offers(type.getClassLoader(), type.getName())) {
                offered.add(type);
            }
        }
        return Collections.singletonList(offered);
    }

    static boolean offers(ClassLoader loader, String name) {
        for (String own : AGENT_PACKAGES) {
            if (name.startsWith(own)) {
                return false; // never woven (the transformer ignores them too), and a thousand of them by now
            }
        }
        boolean jdk = loader == null || loader == PLATFORM;
        return !jdk || name.startsWith(JDK_PACKAGE);
    }
}

package io.agentmon.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Describes types from their class files, as Byte Buddy's default pool does, and a type whose
 * class file cannot be found from the class already loaded under that name.
 *
 * <p>Why: another agent that got to a class first may have made it implement an interface of
 * its own that no class loader serves as a resource. The OpenTelemetry Java agent adds
 * {@code VirtualFieldInstalledMarker} to {@code FutureTask}, {@code CompletableFuture},
 * {@code ThreadPoolExecutor$Worker}, {@code ForkJoinWorkerThread} and others, from its jar on
 * the bootstrap search path, which the bootstrap loader does not list as a resource to Byte
 * Buddy's locator. The default pool then fails on the interface while weaving the class, and
 * the class is left unwoven ({@code NoSuchTypeException}). Such an interface is already loaded
 * (the class being woven names it), so describing it by reflection loads nothing new; types
 * with a class file are still read from it, never by reflection. A type with no class file
 * that is not loaded yet is loaded here, and so escapes weaving: only classes a loader defines
 * without serving their bytes (generated or injected ones) can be concerned.
 */
final class LoadedTypeFallback implements AgentBuilder.PoolStrategy {

    @Override
    public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader) {
        // Byte Buddy's fast lazy pool (what PoolStrategy.Default.FAST builds), with the fallback in its cache.
        return new TypePool.Default.WithLazyResolution(new Cache(classLoader), classFileLocator,
                TypePool.Default.ReaderMode.FAST);
    }

    @Override
    public TypePool typePool(ClassFileLocator classFileLocator, ClassLoader classLoader, String name) {
        return typePool(classFileLocator, classLoader);
    }

    /**
     * The pool's cache, which every resolution passes through once: a type the class files did
     * not describe is described from its loaded class instead, before it is cached (the pool
     * answers later questions from the cache alone).
     */
    private static final class Cache implements TypePool.CacheProvider {
        private final TypePool.CacheProvider cache = TypePool.CacheProvider.Simple.withObjectType();
        private final ClassLoader classLoader;

        Cache(ClassLoader classLoader) {
            this.classLoader = classLoader;
        }

        @Override
        public TypePool.Resolution find(String name) {
            return cache.find(name);
        }

        @Override
        public TypePool.Resolution register(String name, TypePool.Resolution resolution) {
            return cache.register(name, resolution.isResolved() ? resolution : loaded(name, resolution));
        }

        private TypePool.Resolution loaded(String name, TypePool.Resolution unresolved) {
            try {
                return new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Class.forName(name, false, classLoader)));
            } catch (ClassNotFoundException | LinkageError e) {
                return unresolved;
            }
        }

        @Override
        public void clear() {
            cache.clear();
        }
    }
}

package io.agentmon.agent.matching;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Predicate;

/**
 * Whether a class loader sees one class by name, as a resource, asked once per loader and
 * remembered (weakly: a dropped loader is forgotten). A class can be a subtype of, or carry,
 * a type only where its loader can load that type, so a framework's matcher need not look at
 * classes whose loader cannot.
 */
final class LoaderSees implements Predicate<ClassLoader> {

    private final String resource;
    private final Map<ClassLoader, Boolean> seen = Collections.synchronizedMap(new WeakHashMap<>());

    LoaderSees(String className) {
        this.resource = className.replace('.', '/') + ".class";
    }

    @Override
    public boolean test(ClassLoader loader) {
        if (loader == null) {
            return false; // the bootstrap loader: never the worker's (WorkerClasses)
        }
        Boolean known = seen.get(loader);
        if (known == null) {
            // Looked up outside the map's lock: a loader's getResource may take locks of its own.
            // Two threads may both look up a new loader; either answer is the same.
            known = looksUp(loader);
            seen.put(loader, known);
        }
        return known;
    }

    private boolean looksUp(ClassLoader loader) {
        try {
            return loader.getResource(resource) != null;
        } catch (RuntimeException | LinkageError e) {
            return true; // cannot tell: try the matcher, as without the gate
        }
    }
}

package io.agentmon.bootstrap;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every woven task method, by method id: its class and name for span attributes, and the class
 * loader it was defined by, in which {@link WorkerOtel} looks for the worker's own
 * OpenTelemetry API. Ids are handed out at transform time and bound into the woven code as a
 * constant, like probe ids; several methods may share one label (probe id) but each has its own
 * method id. Registration is rare and synchronized; reads are array loads.
 */
public final class TaskMethods {

    /** Most task methods one JVM weaves with their own id; past this, methods share {@link #UNKNOWN}. */
    public static final int MAX_METHODS = 16384;
    /** The id of a method woven after {@link #MAX_METHODS}: its spans name only the task. */
    public static final int UNKNOWN = 0;

    private static final String[] CLASSES = new String[MAX_METHODS];
    private static final String[] NAMES = new String[MAX_METHODS];
    private static final AtomicReferenceArray<WeakReference<ClassLoader>> LOADERS = new AtomicReferenceArray<>(MAX_METHODS);
    private static int size = 1; // guarded by the class; id 0 is UNKNOWN
    private static final Map<String, Integer> IDS = new HashMap<>(); // guarded by the class

    private TaskMethods() {
    }

    /**
     * Registers a woven method; returns its id ({@link #UNKNOWN} once the table is full). The same
     * method (class, name, descriptor, loader) woven again, as a retransformation does, gets the
     * id it already has: ids do not run out, and each method is counted once.
     */
    public static synchronized int register(String className, String methodName, String descriptor, ClassLoader loader) {
        String key = key(className, methodName, descriptor, loader);
        Integer known = IDS.get(key);
        if (known != null && loader(known) == loader) {
            return known;
        }
        if (size == MAX_METHODS) {
            return UNKNOWN;
        }
        int id = size++;
        CLASSES[id] = className;
        NAMES[id] = methodName;
        IDS.put(key, id);
        // Weak: the table must not keep a worker's discarded class loader (and its classes) alive.
        LOADERS.set(id, loader == null ? null : new WeakReference<>(loader)); // volatile store publishes the names too
        return id;
    }

    /** Whether this method has an id already (its class is being woven again). */
    public static synchronized boolean isRegistered(String className, String methodName, String descriptor,
            ClassLoader loader) {
        Integer known = IDS.get(key(className, methodName, descriptor, loader));
        return known != null && loader(known) == loader;
    }

    /** The loader by identity hash only, so the map holds no loader; a collision is checked against {@link #LOADERS}. */
    private static String key(String className, String methodName, String descriptor, ClassLoader loader) {
        return className + '#' + methodName + descriptor + '@' + System.identityHashCode(loader);
    }

    /** The declaring class's name, or null for {@link #UNKNOWN}; for agent threads. */
    public static String className(int methodId) {
        LOADERS.get(methodId); // volatile load: pairs with register's store
        return CLASSES[methodId];
    }

    /** The method's name, or null for {@link #UNKNOWN}; for agent threads. */
    public static String methodName(int methodId) {
        LOADERS.get(methodId);
        return NAMES[methodId];
    }

    /** The defining class loader, or null when it is the bootstrap loader, unknown or collected. */
    static ClassLoader loader(int methodId) {
        WeakReference<ClassLoader> reference = LOADERS.get(methodId);
        return reference == null ? null : reference.get();
    }
}

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
 * method id. Registration is rare and synchronized; reads are a volatile load and an array load.
 *
 * <p>The table grows with what is woven (doubling from {@value #INITIAL}, under the class's lock,
 * published by a volatile store), so a worker with ten task methods holds ten entries, not
 * {@value #MAX_METHODS} preallocated slots (about 0.2 MiB).
 */
public final class TaskMethods {

    /** Most task methods one JVM weaves with their own id; past this, methods share {@link #UNKNOWN}. */
    public static final int MAX_METHODS = 16384;
    /** The id of a method woven after {@link #MAX_METHODS}: its spans name only the task. */
    public static final int UNKNOWN = 0;

    /** The table's first length; it doubles as methods are registered, up to {@link #MAX_METHODS}. */
    static final int INITIAL = 64;

    /** One registered method; immutable, so publishing the reference publishes its fields. */
    private static final class Entry {
        final String className;
        final String methodName;
        // Weak: the table must not keep a worker's discarded class loader (and its classes) alive.
        final WeakReference<ClassLoader> loader;

        Entry(String className, String methodName, ClassLoader loader) {
            this.className = className;
            this.methodName = methodName;
            this.loader = loader == null ? null : new WeakReference<>(loader);
        }
    }

    /** By method id; replaced by a longer copy when full (under the class's lock), never shrunk. */
    private static volatile AtomicReferenceArray<Entry> entries = new AtomicReferenceArray<>(INITIAL);
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
        AtomicReferenceArray<Entry> table = entries;
        if (id == table.length()) {
            AtomicReferenceArray<Entry> longer = new AtomicReferenceArray<>(Math.min(MAX_METHODS, table.length() * 2));
            for (int i = 0; i < id; i++) {
                longer.set(i, table.get(i));
            }
            entries = longer; // volatile store: a reader sees the copied entries with it
            table = longer;
        }
        IDS.put(key, id);
        table.set(id, new Entry(className, methodName, loader)); // volatile store publishes the entry
        return id;
    }

    /** Whether this method has an id already (its class is being woven again). */
    public static synchronized boolean isRegistered(String className, String methodName, String descriptor,
            ClassLoader loader) {
        Integer known = IDS.get(key(className, methodName, descriptor, loader));
        return known != null && loader(known) == loader;
    }

    /** The loader by identity hash only, so the map holds no loader; a collision is checked against the entry's loader. */
    private static String key(String className, String methodName, String descriptor, ClassLoader loader) {
        return className + '#' + methodName + descriptor + '@' + System.identityHashCode(loader);
    }

    /** The declaring class's name, or null for {@link #UNKNOWN}; for agent threads. */
    public static String className(int methodId) {
        Entry entry = entry(methodId);
        return entry == null ? null : entry.className;
    }

    /** The method's name, or null for {@link #UNKNOWN}; for agent threads. */
    public static String methodName(int methodId) {
        Entry entry = entry(methodId);
        return entry == null ? null : entry.methodName;
    }

    /** The defining class loader, or null when it is the bootstrap loader, unknown or collected. */
    static ClassLoader loader(int methodId) {
        Entry entry = entry(methodId);
        return entry == null || entry.loader == null ? null : entry.loader.get();
    }

    /**
     * The entry of a registered id, or null ({@link #UNKNOWN}, or an id not handed out yet); an id
     * at or past {@link #MAX_METHODS} throws, as it would from a table of that length.
     */
    private static Entry entry(int methodId) {
        if (methodId < 0 || methodId >= MAX_METHODS) {
            throw new IndexOutOfBoundsException("method id " + methodId);
        }
        AtomicReferenceArray<Entry> table = entries;
        return methodId < table.length() ? table.get(methodId) : null;
    }

    /** The table's length now; for tests. */
    static int capacity() {
        return entries.length();
    }
}

package io.agentmon.agent.matching;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Predicate;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * The supertypes of a class about to load, read from class files as the class loader serves
 * them, with no class loaded: what {@code Task+#run} needs to know, decided without Byte Buddy.
 * Each supertype's class file is read once per class loader and remembered by name (its own
 * superclass and interfaces), so a worker's classes that share a base pay for it once.
 *
 * <p>A supertype whose class file its loader does not serve (a generated class, or an interface
 * another agent added) is described from the class already loaded under that name, as Byte
 * Buddy's pool does here ({@code instrument.LoadedTypeFallback}); one that is neither is taken to
 * have no supertypes of its own.
 *
 * <p><b>Threads.</b> Asked from any thread that loads a class; the memory is one lock's worth of
 * maps, and class files are read outside it.
 */
public final class Supertypes {

    /** No supertype: {@code java/lang/Object}'s, or a type nothing describes. */
    private static final String[] NONE = new String[0];

    /**
     * A type's superclass (null for an interface's) then its interfaces, as internal names: by
     * class loader (weakly: a loader that goes takes its entries along), then by internal name.
     */
    private final Map<ClassLoader, Map<String, String[]>> byLoader = new WeakHashMap<>();
    /** The bootstrap loader's, which a WeakHashMap cannot key. */
    private final Map<String, String[]> bootstrap = new HashMap<>();

    /**
     * Whether the class, or any class or interface it extends or implements however far up,
     * has a binary name (dots, nested classes with {@code $}) the test accepts. The class itself
     * is given by what its class file says, since it is not loaded yet.
     */
    public boolean any(String internalName, String superName, String[] interfaces, ClassLoader loader, Predicate<String> test) {
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        seen.add(internalName);
        if (test.test(binaryName(internalName))) {
            return true;
        }
        enqueue(join(superName, interfaces), seen, pending);
        while (!pending.isEmpty()) {
            String type = pending.poll();
            if (test.test(binaryName(type))) {
                return true;
            }
            enqueue(direct(type, loader), seen, pending);
        }
        return false;
    }

    private static void enqueue(String[] types, Set<String> seen, Deque<String> pending) {
        for (String type : types) {
            if (type != null && seen.add(type)) {
                pending.add(type);
            }
        }
    }

    /** The direct supertypes of a type, the superclass first (null for an interface's or Object's). */
    private String[] direct(String internalName, ClassLoader loader) {
        if (internalName.equals("java/lang/Object")) {
            return NONE;
        }
        synchronized (this) {
            String[] known = cache(loader).get(internalName);
            if (known != null) {
                return known;
            }
        }
        String[] read = read(internalName, loader);
        synchronized (this) {
            cache(loader).put(internalName, read);
        }
        return read;
    }

    private Map<String, String[]> cache(ClassLoader loader) {
        return loader == null ? bootstrap : byLoader.computeIfAbsent(loader, l -> new HashMap<>());
    }

    private static String[] read(String internalName, ClassLoader loader) {
        ClassLoader from = loader != null ? loader : ClassLoader.getSystemClassLoader();
        try (InputStream in = from.getResourceAsStream(internalName + ".class")) {
            if (in != null) {
                ClassReader header = new ClassReader(in);
                return join(header.getSuperName(), header.getInterfaces());
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable class file: described from the loaded class, if there is one
        }
        return loaded(internalName, loader);
    }

    /** From the class already loaded (or loadable, without initialising it) under that name. */
    private static String[] loaded(String internalName, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(binaryName(internalName), false, loader);
            Class<?>[] implemented = type.getInterfaces();
            String[] names = new String[implemented.length];
            for (int i = 0; i < implemented.length; i++) {
                names[i] = internalName(implemented[i]);
            }
            return join(type.getSuperclass() == null ? null : internalName(type.getSuperclass()), names);
        } catch (ClassNotFoundException | LinkageError e) {
            return NONE;
        }
    }

    /** The superclass (or null) first, then the interfaces; {@link #NONE} for neither. */
    private static String[] join(String superName, String[] interfaces) {
        if (superName == null && interfaces.length == 0) {
            return NONE;
        }
        String[] all = new String[interfaces.length + 1];
        all[0] = superName;
        System.arraycopy(interfaces, 0, all, 1, interfaces.length);
        return all;
    }

    private static String binaryName(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    /** How many types are remembered, for the tests. */
    synchronized int remembered() {
        int count = bootstrap.size();
        for (Map<String, String[]> names : byLoader.values()) {
            count += names.size();
        }
        return count;
    }
}

package io.agentmon.agent.instrument;

import java.io.IOException;
import java.io.InputStream;

/** Defines one class from the given bytes, child first; everything else from its parent. */
final class DefiningLoader extends ClassLoader {

    /** The class file {@code type} was loaded from. */
    static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private final String name;
    private final byte[] classFile;

    DefiningLoader(ClassLoader parent, String name, byte[] classFile) {
        super(parent);
        this.name = name;
        this.classFile = classFile;
    }

    DefiningLoader(ClassLoader parent, Class<?> type, byte[] classFile) {
        this(parent, type.getName(), classFile);
    }

    Class<?> load() {
        try {
            return loadClass(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(className)) {
            if (className.equals(name)) {
                Class<?> loaded = findLoadedClass(className);
                return loaded != null ? loaded : defineClass(className, classFile, 0, classFile.length);
            }
            return super.loadClass(className, resolve);
        }
    }
}

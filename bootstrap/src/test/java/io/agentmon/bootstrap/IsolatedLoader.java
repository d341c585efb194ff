package io.agentmon.bootstrap;

import java.io.IOException;
import java.io.InputStream;

/**
 * Defines its own copies of the classes whose names start with a prefix (the bootstrap's statics
 * fresh, unshared with the rest of the suite); everything else comes from the parent.
 */
final class IsolatedLoader extends ClassLoader {

    private final String prefix;

    IsolatedLoader(String prefix) {
        super(IsolatedLoader.class.getClassLoader());
        this.prefix = prefix;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(prefix)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    loaded = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }
}

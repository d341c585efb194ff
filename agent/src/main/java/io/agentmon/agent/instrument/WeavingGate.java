package io.agentmon.agent.instrument;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.matching.ByName;
import io.agentmon.agent.matching.Lineage;
import io.agentmon.agent.matching.MethodMatcher;
import io.agentmon.agent.matching.MethodMatchers;
import io.agentmon.agent.matching.Supertypes;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * The one class file transformer agentmon registers. Each loading class is routed by name
 * ({@link WeavingRoutes}): most are left alone at the cost of a few string tests, task classes
 * named by {@code Class#method}, or below a {@code Type+#method} matcher's type as their class files
 * say, are woven by {@link TaskWeaver}, the methods the other lists name by {@link CallHooks} (when
 * each value is an argument or the return value), the JDK's pools and futures by
 * {@link JdkHookWeaver}, and the rest go to Byte Buddy's
 * transformer, built the first time a class needs it. Building it loads over a thousand classes
 * and takes most of a second, which a worker that never needs it (a hello world with one task,
 * say) no longer pays before its {@code main}.
 */
final class WeavingGate implements ClassFileTransformer {

    private final Instrumentation instrumentation;
    private final WeavingRoutes routes;
    private final TaskRegistration registration;
    private final CallHooks callHooks;
    private final InstrumentationStats stats;
    private final ClassLoadActivity activity;
    /** What {@code Type+} matchers learn of the worker's class hierarchies, kept for the classes still to load. */
    private final Supertypes supertypes = new Supertypes();
    private final Supplier<ClassFileTransformer> byteBuddyFactory;
    private volatile ClassFileTransformer byteBuddy;
    private volatile boolean byteBuddyFailed;
    /** The thread building Byte Buddy's transformer, while it does. */
    private Thread building;
    /** Classes for Byte Buddy that loaded on the building thread while it built: retransformed once it is there. */
    private final Set<String> loadedWhileBuilding = ConcurrentHashMap.newKeySet();

    WeavingGate(Instrumentation instrumentation, WeavingRoutes routes, TaskRegistration registration, CallHooks callHooks,
            InstrumentationStats stats, ClassLoadActivity activity, Supplier<ClassFileTransformer> byteBuddyFactory) {
        this.callHooks = callHooks;
        this.activity = activity;
        this.instrumentation = instrumentation;
        this.routes = routes;
        this.registration = registration;
        this.stats = stats;
        this.byteBuddyFactory = byteBuddyFactory;
    }

    /**
     * Registers the gate and weaves what was loaded before it and is to be woven; returns those
     * classes, so that the caller need not walk every loaded class again.
     */
    List<Class<?>> install() {
        instrumentation.addTransformer(this, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (routes.route(type.getName(), type.getClassLoader()) != WeavingRoutes.Route.NONE
                    && instrumentation.isModifiableClass(type)) {
                loaded.add(type);
            }
        }
        retransform(loaded);
        return loaded;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (internalName == null) {
            return null;
        }
        String name = internalName.replace('/', '.');
        activity.loaded(name);
        try {
            WeavingRoutes.Route route = routes.route(name, loader);
            if (route == WeavingRoutes.Route.JDK_HOOKS) {
                return weaveJdkHooks(name, classFile);
            }
            if (route == WeavingRoutes.Route.OWN_WEAVERS) {
                try {
                    return weaveOwn(name, loader, classFile);
                } catch (RuntimeException e) {
                    // A class file this ASM cannot read (a newer version, say), or a value only Byte Buddy's reader
                    // can resolve (CallHooks.NeedsByteBuddy): Byte Buddy weaves the whole class, tasks included.
                    route = WeavingRoutes.Route.BYTE_BUDDY;
                }
            }
            if (route == WeavingRoutes.Route.BYTE_BUDDY) {
                ClassFileTransformer transformer = byteBuddy(name);
                return transformer == null ? null
                        : transformer.transform(module, loader, internalName, classBeingRedefined, protectionDomain, classFile);
            }
            return null;
        } catch (Throwable e) {
            stats.error(name, e); // the class loads as it was
            return null;
        }
    }

    /** A JDK pool or future; a hook its JDK lacks is reported as lost, and the others are woven. */
    private byte[] weaveJdkHooks(String name, byte[] classFile) {
        List<String> missing = new ArrayList<>();
        byte[] woven = JdkHookWeaver.weave(name, classFile, missing);
        if (missing.isEmpty()) {
            stats.transformed(name);
        } else {
            stats.error(name, new NoSuchMethodException("this JDK's " + name + " has no " + String.join(", ", missing)));
        }
        return woven;
    }

    /** The tasks by {@link TaskWeaver}, then the other lists' calls by {@link CallHooks}, on what it wove. */
    private byte[] weaveOwn(String className, ClassLoader loader, byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        Lineage lineage = new Lineage(supertypes, reader.getClassName(), reader.getSuperName(), reader.getInterfaces(), loader);
        // Most classes of a worker with a Type+ matcher are neither: only their supertypes were read.
        byte[] tasks = routes.tasks().mayName(className, loader, lineage) ? weaveTasks(className, loader, reader, lineage) : null;
        byte[] calls = routes.othersName(className, loader)
                ? callHooks.weave(className, lineage, tasks != null ? tasks : classFile) : null;
        return calls != null ? calls : tasks;
    }

    private byte[] weaveTasks(String className, ClassLoader loader, ClassReader reader, Lineage lineage) {
        ByName tasks = routes.tasks();
        return TaskWeaver.weave(reader, new TaskWeaver.Selector() {
            @Override
            public boolean selects(String methodName, int access) {
                return tasks.select(className, lineage, methodName, access) != null;
            }

            @Override
            public int[] register(String methodName, int access, String descriptor) {
                MethodMatcher matcher = tasks.select(className, lineage, methodName, access);
                return registration.register(className, methodName, descriptor, loader, matcher,
                        MethodMatchers.label(matcher, className, methodName));
            }
        });
    }

    /** Byte Buddy's transformer, built on first use; null if it could not be built, or while this thread builds it. */
    private ClassFileTransformer byteBuddy(String className) {
        ClassFileTransformer built = byteBuddy;
        if (built != null || byteBuddyFailed) {
            return built;
        }
        synchronized (this) {
            if (byteBuddy != null || byteBuddyFailed) {
                return byteBuddy;
            }
            if (building == Thread.currentThread()) {
                loadedWhileBuilding.add(className); // loaded by the build itself: woven after it
                return null;
            }
            building = Thread.currentThread();
            try {
                byteBuddy = byteBuddyFactory.get();
            } catch (Throwable e) {
                byteBuddyFailed = true;
                AgentLog.warn("could not set up Byte Buddy: " + e + "; only tasks named Class#method are timed");
            } finally {
                building = null;
            }
        }
        if (!loadedWhileBuilding.isEmpty()) {
            retransformLater();
        }
        return byteBuddy;
    }

    /** Off this thread: a retransformation from inside a transformation of this thread's would not run. */
    private void retransformLater() {
        Thread thread = new Thread(() -> {
            List<Class<?>> missed = new ArrayList<>();
            for (Class<?> type : instrumentation.getAllLoadedClasses()) {
                if (loadedWhileBuilding.remove(type.getName()) && instrumentation.isModifiableClass(type)) {
                    missed.add(type);
                }
            }
            retransform(missed);
        }, "agentmon-retransform");
        thread.setDaemon(true);
        thread.start();
    }

    private void retransform(List<Class<?>> types) {
        if (types.isEmpty()) {
            return;
        }
        try {
            instrumentation.retransformClasses(types.toArray(new Class<?>[0]));
        } catch (Throwable all) {
            for (Class<?> type : types) { // one at a time, so that one class's failure costs only it
                try {
                    instrumentation.retransformClasses(type);
                } catch (Throwable e) {
                    stats.error(type.getName(), e);
                }
            }
        }
    }
}

package io.agentmon.agent.matching;

import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isParentOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.util.Arrays;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The classes a matcher list ({@code agentmon.tasks}, {@code agentmon.timeouts},
 * {@code agentmon.docker}, {@code agentmon.events.*}) may weave: the worker's own, never the
 * code the probes and recorders run on. Woven code that reaches a probe from inside a probe
 * recurses until the stack or the CPU gives out ({@code TaskProbes.enter -> InFlight.claim ->
 * Thread.getId -> TaskProbes.enter}), so this exclusion is what keeps any matcher, however
 * broad, from hanging the worker.
 *
 * <p>Two rules, both needed:
 * <ul>
 *   <li>By class loader: nothing the bootstrap or platform class loader defined. That is the
 *   whole JDK the probes can reach ({@code java.*}, {@code jdk.internal.*}, {@code sun.*}, the
 *   JDK's {@code javax.*} and {@code com.sun.*}, the {@code Thread}, atomics, method handles
 *   and {@code ThreadLocal} the probes use), agentmon's bootstrap classes and another agent's
 *   bootstrap classes, whatever their package. Libraries the worker ships in {@code javax.*}
 *   or {@code com.sun.*} (servlet, Jersey, JavaMail) come from its own class loaders and stay
 *   weavable.</li>
 *   <li>By name ({@link #EXCLUDED}): agentmon's own and relocated classes and Byte Buddy; the
 *   worker's copy of the OpenTelemetry API and context, which {@code WorkerOtel} calls from
 *   inside the probe; the OpenTelemetry Java agent's own classes; and {@code java.}, {@code jdk.},
 *   {@code sun.}, which only the JDK defines, so that a matcher naming only those is refused
 *   when it is read rather than silently weaving nothing.</li>
 * </ul>
 * The agent's own fixed JDK instrumentation (pools, futures) is not a matcher list and is not
 * subject to this: its advice calls only probes that touch no woven code.
 */
public final class WorkerClasses {

    /** Name prefixes never woven by a matcher list. */
    static final List<String> EXCLUDED = Arrays.asList(
            "java.", "jdk.", "sun.",
            "io.agentmon.agent.", "io.agentmon.bootstrap.", "io.agentmon.shaded.", "net.bytebuddy.",
            "io.opentelemetry.api.", "io.opentelemetry.context.", "io.opentelemetry.javaagent.");

    /**
     * Prefixes the JDK shares with libraries: never woven when the JDK defined them (the class
     * loader rule), woven when the worker ships them. A matcher reaching into them is narrowed.
     */
    static final List<String> SHARED = Arrays.asList("javax.", "com.sun.", "org.w3c.", "org.xml.", "org.ietf.");

    /** What a matcher can reach. */
    public enum Coverage {
        /** Only classes a matcher may weave. */
        WORKER,
        /** Both: only the worker's classes among them are woven. */
        NARROWED,
        /** Only classes no matcher weaves: the matcher would do nothing. */
        EXCLUDED
    }

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private WorkerClasses() {
    }

    /** Class loaders whose classes a matcher may weave: not the JDK's (bootstrap, platform). */
    public static ElementMatcher.Junction<ClassLoader> loaders() {
        return not(isBootstrapClassLoader()).and(not(isParentOf(PLATFORM)));
    }

    /** {@link #loaders()} as a plain test, for what is decided before Byte Buddy is asked. */
    public static boolean isWorkerLoader(ClassLoader loader) {
        return loader != null && loader != PLATFORM;
    }

    /** Types a matcher may weave, by name. */
    public static ElementMatcher.Junction<TypeDescription> types() {
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                return !excludedName(type.getName());
            }
        };
    }

    static boolean excludedName(String name) {
        for (String prefix : EXCLUDED) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** What {@code matcher} can reach, decided from its text alone. */
    public static Coverage coverage(MethodMatcher matcher) {
        switch (matcher.kind()) {
            case SUBTYPE:
                // Only the JDK (and agentmon) can subtype a JDK type and a worker type alike.
                return ofNames(matcher.typeName()) == Coverage.WORKER ? Coverage.WORKER : Coverage.NARROWED;
            case ANNOTATION:
                // The JDK's own methods may carry a JDK annotation: they are left out.
                return ofNames(matcher.typeName()) == Coverage.WORKER ? Coverage.WORKER : Coverage.NARROWED;
            default:
                return ofNames(matcher.typeName());
        }
    }

    /**
     * What a class-name glob can reach. Every name it matches starts with its literal part up to
     * the first {@code *}: when that part lies inside an excluded prefix, so does every match;
     * when an excluded (or shared) prefix starts with that part and a {@code *} follows, some
     * match lies inside it.
     */
    static Coverage ofNames(String glob) {
        return excludedPrefix(glob) != null ? Coverage.EXCLUDED : reachesExcluded(glob) ? Coverage.NARROWED : Coverage.WORKER;
    }

    /** The excluded prefix every name {@code matcher} selects starts with, or null; for messages. */
    public static String excludedPrefix(MethodMatcher matcher) {
        return matcher.kind() == MethodMatcher.Kind.METHOD ? excludedPrefix(matcher.typeName()) : null;
    }

    private static String excludedPrefix(String glob) {
        String literal = literal(glob);
        for (String prefix : EXCLUDED) {
            if (literal.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    private static String literal(String glob) {
        int star = glob.indexOf('*');
        return star < 0 ? glob : glob.substring(0, star);
    }

    private static boolean reachesExcluded(String glob) {
        String literal = literal(glob);
        for (String prefix : SHARED) {
            if (literal.startsWith(prefix)) {
                return true;
            }
        }
        if (literal.length() < glob.length()) {
            for (List<String> prefixes : Arrays.asList(EXCLUDED, SHARED)) {
                for (String prefix : prefixes) {
                    if (prefix.startsWith(literal)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

package io.agentmon.agent.instrument;

import java.io.IOException;
import java.io.InputStream;

/**
 * Loads, in premain, the classes through which Byte Buddy reads class files: a JDK class file
 * comes through a {@code jrt:} URL connection, a class path one through a {@code jar:} one.
 *
 * <p>Why: if the first such read happens once another agent's transformer is registered (the
 * OpenTelemetry agent's, loaded after us), loading {@code JavaRuntimeURLConnection} runs that
 * transformer, which reads the class file of {@code JavaRuntimeURLConnection} itself through the
 * same handler: a {@link ClassCircularityError}. The JVM records a failed resolution for good
 * (JVMS 5.4.3), so from then on every {@code jrt:} read fails, and Byte Buddy can describe no JDK
 * type: every class it is to weave fails. Until the JDK's pools and futures moved to
 * {@link JdkHookWeaver}, our Byte Buddy was often built for them on the agent's start thread while
 * the next agent's premain ran, and their weaving failed in about one run in six (/health/ready
 * said DEGRADED, the future timeouts read 0); it is still built on first need, on any thread. Reading one class file of each kind here, before
 * any later agent starts, costs a few classes.
 */
final class ClassFileReads {

    private ClassFileReads() {
    }

    static void prepare() {
        read(ClassLoader.getSystemClassLoader(), "java/lang/Object.class"); // jrt:
        read(ClassFileReads.class.getClassLoader(), ClassFileReads.class.getName().replace('.', '/') + ".class"); // jar:
    }

    private static void read(ClassLoader loader, String resource) {
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(resource)) {
            if (in != null) {
                in.read();
            }
        } catch (IOException | RuntimeException e) {
            // Only a warm-up: Byte Buddy reports any read that fails later, class by class.
        }
    }
}

package io.agentmon.agent.startup;

/**
 * Recognises short-lived tool JVMs. With the agent in {@code JAVA_TOOL_OPTIONS}, every JVM on
 * the machine loads it: javac, jps, jshell, the Maven and Gradle launchers and their test
 * JVMs. Those must run undisturbed (no output, no transformer) and must not take the worker's
 * port. Only applied when the agent came from such a variable.
 */
final class Launchers {

    /** Main classes (or prefixes) of build tools' launchers. */
    private static final String[] BUILD_TOOL_MAINS = {
        "org.codehaus.plexus.classworlds.launcher.Launcher", // mvn
        "org.apache.maven.wrapper.MavenWrapperMain",          // mvnw
        "org.gradle.",                                        // gradle, its wrapper and daemons
        "worker.org.gradle.",                                 // gradle's test workers
        "sun.tools.",                                         // jps, jstat, ... run from the classpath
        "com.sun.tools.",                                     // javac, javadoc, ... run from the classpath
        "jdk.jshell.",
    };

    /** The single-file source launcher's package, in javac's module (Main on 11-21, SourceLauncher on 22+). */
    private static final String SOURCE_LAUNCHER = "com.sun.tools.javac.launcher.";

    private Launchers() {
    }

    /**
     * Whether {@code command} (the JVM's {@code sun.java.command}) starts a tool rather than a
     * worker. A JDK tool runs its main class from a JDK module: {@code jdk.compiler/com.sun.tools.javac.Main}.
     */
    static boolean isTool(String command) {
        if (command == null || command.trim().isEmpty()) {
            return false;
        }
        String main = command.trim().split("\\s+", 2)[0];
        if (main.contains(SOURCE_LAUNCHER)) {
            return false; // java Worker.java: the program is the source file, not javac
        }
        String jarName = main.substring(Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1);
        if (main.endsWith(".jar") && jarName.startsWith("surefirebooter")) {
            return true; // Maven Surefire's and Failsafe's forked test JVMs
        }
        int slash = main.indexOf('/');
        if (slash > 0 && !main.endsWith(".jar")) {
            String module = main.substring(0, slash);
            if (module.startsWith("jdk.") || module.startsWith("java.")) {
                return true;
            }
            main = main.substring(slash + 1);
        }
        for (String tool : BUILD_TOOL_MAINS) {
            if (main.startsWith(tool)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the agent probably came from an environment variable that every JVM reads
     * ({@code JAVA_TOOL_OPTIONS}, or {@code JDK_JAVA_OPTIONS} for the java launcher) rather
     * than from a command line someone wrote for this JVM.
     */
    static boolean loadedImplicitly(String javaToolOptions, String jdkJavaOptions) {
        return namesAgentmon(javaToolOptions) || namesAgentmon(jdkJavaOptions);
    }

    private static boolean namesAgentmon(String options) {
        return options != null && options.contains("-javaagent:") && options.contains("agentmon");
    }

    /**
     * Whether the JVM runs no program at all: the standard {@code java} launcher (its
     * {@code sun.java.launcher} is {@code SUN_STANDARD}) sets {@code sun.java.command} to the
     * main class or jar it is about to run, and leaves it unset for {@code java -version},
     * {@code --list-modules}, {@code -XshowSettings} and the like, which print and exit. A JVM
     * created by other native code has no command either, but may well be a worker: it does not
     * match.
     */
    static boolean runsNoMainClass(String command, String launcher) {
        return (command == null || command.trim().isEmpty()) && "SUN_STANDARD".equals(launcher);
    }
}

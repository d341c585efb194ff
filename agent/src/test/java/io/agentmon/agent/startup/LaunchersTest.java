package io.agentmon.agent.startup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Launchers} against the forms {@code sun.java.command} takes: {@code module/main args},
 * {@code path.jar args}, {@code main.Class args}, and nothing at all. The JDK tools' commands
 * are the ones their launchers really set (ToolJvmTest checks them against live tools).
 */
class LaunchersTest {

    @Test
    void jdkToolsRunFromTheirModulesAreTools() {
        assertTrue(Launchers.isTool("jdk.compiler/com.sun.tools.javac.Main -version"));
        assertTrue(Launchers.isTool("jdk.compiler/com.sun.tools.javac.Main -d out Hello.java"));
        assertTrue(Launchers.isTool("jdk.jcmd/sun.tools.jps.Jps -lm"));
        assertTrue(Launchers.isTool("jdk.jcmd/sun.tools.jcmd.JCmd -l"));
        assertTrue(Launchers.isTool("jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider"));
        assertTrue(Launchers.isTool("jdk.javadoc/jdk.javadoc.internal.tool.Main -d docs Hello.java"));
        assertTrue(Launchers.isTool("java.rmi/sun.rmi.registry.RegistryImpl 1099"));
    }

    @Test
    void applicationModulesAreNotTools() {
        assertFalse(Launchers.isTool("com.acme.worker/com.acme.worker.Main --jobs 3"));
        assertFalse(Launchers.isTool("jdkstuff/com.acme.Main"), "only modules named jdk.* or java.* are the JDK's");
        assertFalse(Launchers.isTool("javafx.graphics/com.acme.Main"));
    }

    @Test
    void jarsAreNotTools() {
        assertFalse(Launchers.isTool("/opt/worker/worker.jar --threads 4"));
        assertFalse(Launchers.isTool("worker.jar"));
        assertFalse(Launchers.isTool("jdk.apps/worker.jar --threads 4"), "a relative jar path is not module/main");
        assertFalse(Launchers.isTool("java.d/lib/worker.jar"));
        assertFalse(Launchers.isTool("C:\\apps\\worker.jar --threads 4"));
    }

    @Test
    void classpathMainsAreToolsOnlyForBuildToolsAndJdkTools() {
        assertFalse(Launchers.isTool("com.acme.worker.SampleWorker --jobs 400"));
        assertFalse(Launchers.isTool("Main"));
        assertTrue(Launchers.isTool("org.codehaus.plexus.classworlds.launcher.Launcher -q -B verify"));
        assertTrue(Launchers.isTool("org.apache.maven.wrapper.MavenWrapperMain verify"));
        assertTrue(Launchers.isTool("org.gradle.wrapper.GradleWrapperMain build"));
        assertTrue(Launchers.isTool("org.gradle.launcher.daemon.bootstrap.GradleDaemon 8.10"));
        assertTrue(Launchers.isTool("org.gradle.launcher.GradleMain build"));
        assertTrue(Launchers.isTool("sun.tools.jps.Jps -l"));
        assertTrue(Launchers.isTool("com.sun.tools.javac.Main -version"));
        assertTrue(Launchers.isTool("worker.org.gradle.process.internal.worker.GradleWorkerMain 'Gradle Test Executor 1'"));
        assertTrue(Launchers.isTool("/work/x/target/surefire/surefirebooter-20261125_1.jar /work/x/target/surefire 2026"));
    }

    @Test
    void onlyAnAgentFromAnEnvironmentVariableIsImplicit() {
        assertTrue(Launchers.loadedImplicitly("-javaagent:/opt/agentmon.jar -Dagentmon.port=9300", null));
        assertTrue(Launchers.loadedImplicitly(null, "-javaagent:/opt/agentmon/agentmon.jar"));
        assertFalse(Launchers.loadedImplicitly(null, null));
        assertFalse(Launchers.loadedImplicitly("-Xmx1g", "-javaagent:/opt/other-agent.jar"));
    }

    @Test
    void sourceFileProgramsAreNotTools() {
        assertFalse(Launchers.isTool("jdk.compiler/com.sun.tools.javac.launcher.Main Worker.java"), "Java 11-21");
        assertFalse(Launchers.isTool("jdk.compiler/com.sun.tools.javac.launcher.SourceLauncher Worker.java"), "Java 22+");
        assertTrue(Launchers.isTool("jdk.jshell.execution.RemoteExecutionControl 40123"));
    }

    @Test
    void surroundingWhitespaceDoesNotMatter() {
        assertTrue(Launchers.isTool("  jdk.jcmd/sun.tools.jps.Jps  "));
        assertFalse(Launchers.isTool("  com.acme.Main  "));
    }

    @Test
    void noCommandIsNotATool() {
        // A JVM that native code created through JNI has no command; it may well be a worker.
        assertFalse(Launchers.isTool(null));
        assertFalse(Launchers.isTool(""));
        assertFalse(Launchers.isTool("   "));
    }

    @Test
    void theStandardLauncherWithoutAMainClassRunsNothing() {
        // java -version, java --list-modules, java -XshowSettings: the launcher sets no command.
        assertTrue(Launchers.runsNoMainClass(null, "SUN_STANDARD"));
        assertTrue(Launchers.runsNoMainClass("", "SUN_STANDARD"));
        assertFalse(Launchers.runsNoMainClass("com.acme.Main", "SUN_STANDARD"));
        assertFalse(Launchers.runsNoMainClass("/opt/worker/worker.jar", "SUN_STANDARD"));
        // No command, but not the java launcher: an embedding application's JVM, possibly a worker.
        assertFalse(Launchers.runsNoMainClass(null, null));
        assertFalse(Launchers.runsNoMainClass(null, "procrun"));
    }
}

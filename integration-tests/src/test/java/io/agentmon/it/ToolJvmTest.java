package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With the agent in {@code JAVA_TOOL_OPTIONS}, every JVM on the machine loads it, the JDK's own
 * tools included. javac and jps must run exactly as without it; so must {@code java -version},
 * which runs no program at all. "Exactly": exit code 0, the same stdout, and the same stderr but
 * for the JVM's own "Picked up JAVA_TOOL_OPTIONS" line; so no {@code agentmon:} line and no JVM
 * warning caused by an active agent (appending its bootstrap jar makes the JVM warn that class
 * data sharing is now limited; on JDK 25 its Byte Buddy makes the JVM warn about sun.misc.Unsafe).
 *
 * <p>Each tool runs twice under the agent: with the options a user would set, and with
 * {@code agentmon.strict=true} too. Strict mode makes an active agent's premain wait until its
 * endpoint serves, so its "serving" line would certainly be printed before the tool's main ran:
 * without strict mode a short-lived JVM can exit before the agent's background thread prints it,
 * and only the warnings would tell.
 */
class ToolJvmTest {

    private static final Pattern PICKED_UP = Pattern.compile("Picked up JAVA_TOOL_OPTIONS: .*");
    private static final Pattern PROPERTY = Pattern.compile("^\\s*(sun\\.java\\.(?:command|launcher)) = (.*)$", Pattern.MULTILINE);

    static List<Path> jdks() {
        return Jdks.all();
    }

    private static List<String> agentOptions() {
        String user = "-javaagent:" + WorkerProcess.AGENT_JAR.toAbsolutePath()
                + " -Dagentmon.port=0 -Dagentmon.host=127.0.0.1 -Dagentmon.tasks=com.acme.X#y";
        return Arrays.asList(user, user + " -Dagentmon.strict=true");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void javacVersionIsLeftAlone(Path java) throws Exception {
        Path javac = java.resolveSibling("javac");
        Run plain = Run.of(null, javac, "-version");
        assertEquals(0, plain.exit, plain.toString());
        assertTrue(plain.stdout.startsWith("javac "), plain.toString());
        for (String options : agentOptions()) {
            assertUndisturbed(plain, Run.of(options, javac, "-version"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void javacCompilesAsWithoutTheAgent(Path java) throws Exception {
        Path javac = java.resolveSibling("javac");
        Path dir = Files.createTempDirectory("agentmon-javac-");
        Path source = Files.write(dir.resolve("Hello.java"),
                "class Hello { public static void main(String[] args) { System.out.println(42); } }\n"
                        .getBytes(StandardCharsets.UTF_8));
        Run plain = Run.of(null, javac, "-d", dir.resolve("plain").toString(), source.toString());
        assertEquals(0, plain.exit, plain.toString());
        int variant = 0;
        for (String options : agentOptions()) {
            Path out = dir.resolve("agent" + variant++);
            assertUndisturbed(plain, Run.of(options, javac, "-d", out.toString(), source.toString()));
            assertTrue(Files.isRegularFile(out.resolve("Hello.class")), "javac wrote Hello.class under the agent");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void jpsIsLeftAlone(Path java) throws Exception {
        Path jps = java.resolveSibling("jps");
        Run plain = Run.of(null, jps, "-lm");
        assertEquals(0, plain.exit, plain.toString());
        for (String options : agentOptions()) {
            Run run = Run.of(options, jps, "-lm");
            // The list of JVMs differs from run to run; jps's own line, with its real command, does not.
            assertEquals(0, run.exit, run.toString());
            assertTrue(Pattern.compile("(?m)^\\d+ jdk\\.jcmd/sun\\.tools\\.jps\\.Jps -lm$").matcher(run.stdout).find(),
                    "jps lists itself as jdk.jcmd/sun.tools.jps.Jps -lm\n" + run);
            assertEquals(plain.stderr, withoutPickedUp(run), "jps's stderr under the agent\n" + run);
            assertNoAgentLine(run);
        }
    }

    /** {@code java -version} starts a JVM, and so the agent, but runs no main class: not a worker. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void javaVersionIsLeftAlone(Path java) throws Exception {
        Run plain = Run.of(null, java, "-version");
        assertEquals(0, plain.exit, plain.toString());
        assertTrue(plain.stderr.contains(" version \""), plain.toString());
        for (String options : agentOptions()) {
            assertUndisturbed(plain, Run.of(options, java, "-version"));
        }
    }

    /**
     * The commands the tools' launchers really set, read from the tools themselves with
     * -XshowSettings:properties, are the ones {@code Launchers} in agentmon.jar recognises.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void launchersRecognisesTheToolsRealCommands(Path java) throws Exception {
        String javacCommand = property(Run.of(null, java.resolveSibling("javac"), "-J-XshowSettings:properties", "-version"),
                "sun.java.command");
        String jpsCommand = property(Run.of(null, java.resolveSibling("jps"), "-J-XshowSettings:properties", "-q"),
                "sun.java.command");
        Run javaVersion = Run.of(null, java, "-XshowSettings:properties", "-version");
        assertEquals("jdk.compiler/com.sun.tools.javac.Main -version", javacCommand);
        assertEquals("jdk.jcmd/sun.tools.jps.Jps -q", jpsCommand);
        assertEquals(null, property(javaVersion, "sun.java.command"), "java -version sets no command");
        assertEquals("SUN_STANDARD", property(javaVersion, "sun.java.launcher"));

        try (URLClassLoader agent = new URLClassLoader(new URL[] {WorkerProcess.AGENT_JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> launchers = Class.forName("io.agentmon.agent.startup.Launchers", true, agent);
            Method isTool = launchers.getDeclaredMethod("isTool", String.class);
            Method runsNoMainClass = launchers.getDeclaredMethod("runsNoMainClass", String.class, String.class);
            isTool.setAccessible(true);
            runsNoMainClass.setAccessible(true);
            assertEquals(true, isTool.invoke(null, javacCommand), javacCommand);
            assertEquals(true, isTool.invoke(null, jpsCommand), jpsCommand);
            assertEquals(false, isTool.invoke(null, (Object) null), "java -version is no tool");
            assertEquals(true, runsNoMainClass.invoke(null, null, "SUN_STANDARD"), "but runs no main class");
        }
    }

    private static void assertUndisturbed(Run plain, Run underAgent) {
        assertEquals(plain.exit, underAgent.exit, "exit code under the agent\n" + underAgent);
        assertEquals(plain.stdout, underAgent.stdout, "stdout under the agent\n" + underAgent);
        assertEquals(plain.stderr, withoutPickedUp(underAgent), "stderr under the agent\n" + underAgent);
        assertNoAgentLine(underAgent);
    }

    private static void assertNoAgentLine(Run run) {
        for (String line : (run.stdout + run.stderr).split("\n")) {
            assertFalse(line.contains("agentmon:"), "an agentmon line: the agent was active\n" + run);
        }
    }

    /** stderr without the one line the JVM itself prints for JAVA_TOOL_OPTIONS (which must be there). */
    private static String withoutPickedUp(Run run) {
        List<String> lines = new ArrayList<>(Arrays.asList(run.stderr.split("\n", -1)));
        assertTrue(PICKED_UP.matcher(lines.get(0)).matches(), "the JVM picked up JAVA_TOOL_OPTIONS\n" + run);
        return lines.subList(1, lines.size()).stream().collect(Collectors.joining("\n"));
    }

    private static String property(Run run, String name) {
        assertEquals(0, run.exit, run.toString());
        Matcher matcher = PROPERTY.matcher(run.stderr);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2).trim();
            }
        }
        return null;
    }

    /** One finished run of a JDK tool, with or without JAVA_TOOL_OPTIONS. */
    private static final class Run {
        final List<String> command;
        final String toolOptions;
        final int exit;
        final String stdout;
        final String stderr;

        private Run(List<String> command, String toolOptions, int exit, String stdout, String stderr) {
            this.command = command;
            this.toolOptions = toolOptions;
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static Run of(String toolOptions, Path tool, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(tool.toString());
            command.addAll(Arrays.asList(args));
            Path dir = Files.createTempDirectory("agentmon-tool-");
            Path out = dir.resolve("stdout.txt");
            Path err = dir.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("AGENTMON_")
                    || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
            if (toolOptions != null) {
                builder.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
            }
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " with JAVA_TOOL_OPTIONS=" + toolOptions + " still running after 60s\n"
                        + new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
            }
            return new Run(command, toolOptions, process.exitValue(),
                    new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\nJAVA_TOOL_OPTIONS=" + toolOptions + "\nexit " + exit
                    + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}

package io.agentmon.agent.startup;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.config.ConfigException;
import io.agentmon.agent.config.ConfigLoader;
import io.agentmon.agent.config.OtelConfig;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.dynamic.loading.ClassInjector;
import java.util.HashMap;
import java.util.Map;

/**
 * Entry point named in agentmon.jar's manifest, for {@code -javaagent} (premain) and for a
 * later attach (agentmain).
 *
 * <p>premain does only what must happen before the worker's classes load: read the
 * configuration, put the bootstrap classes in place and install the transformer. The port,
 * the meter registry and its binders start on a daemon thread. Nothing here throws into the
 * JVM: any failure is one line on stderr and the worker runs on unmonitored, or, with
 * {@code agentmon.strict=true} at launch, the JVM exits with status 1 before the worker's main.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void premain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation, true);
    }

    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        if (BootstrapJar.isOnBootstrap()) {
            // Started before in this JVM (at launch or by an earlier attach): weaving twice would count twice.
            AgentLog.warn("already running in this JVM; this attach changes nothing");
            return;
        }
        start(agentArgs, instrumentation, false);
    }

    /** {@code atLaunch}: from premain, where strict mode may stop the JVM; an attach never stops a running worker. */
    private static void start(String agentArgs, Instrumentation instrumentation, boolean atLaunch) {
        String command = System.getProperty("sun.java.command");
        boolean implicit = Launchers.loadedImplicitly(System.getenv("JAVA_TOOL_OPTIONS"), System.getenv("JDK_JAVA_OPTIONS"));
        if (implicit && (Launchers.isTool(command)
                || Launchers.runsNoMainClass(command, System.getProperty("sun.java.launcher")))) {
            // javac, jps, mvn ... or java -version, given the agent by JAVA_TOOL_OPTIONS: stay silent
            // and out of the way (not even the bootstrap jar, whose appending makes the JVM warn
            // about CDS). An agent named on a command line is always taken at its word.
            return;
        }
        Map<String, String> properties = systemProperties();
        Map<String, String> environment = System.getenv();
        boolean strict = ConfigLoader.strictRequested(agentArgs, properties, environment);
        try {
            AgentConfig config = ConfigLoader.load(agentArgs, properties, environment);
            // Once the configuration is read, it decides: the agent's start thread stays silent
            // when strict, trusting premain to wait and report, so the two must agree.
            strict = config.strict();
            if (!config.enabled()) {
                return;
            }
            // Keep our (relocated) Byte Buddy off sun.misc.Unsafe: we inject no classes, and on
            // Java 24+ its first use prints four warning lines into the worker's stderr.
            if (System.getProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY) == null) {
                System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
            }
            Agent agent = Agent.install(config, otel(properties, environment, strict), instrumentation);
            agent.startInBackground();
            if (strict) {
                agent.awaitStarted(); // strict mode: a taken port must stop the JVM, so wait to know
            }
        } catch (ConfigException e) {
            fail("configuration error: " + e.getMessage(), strict && atLaunch);
        } catch (Throwable e) {
            fail("could not start: " + e, strict && atLaunch);
        }
    }

    /**
     * The otel.* settings. A bad one switches tracing (and metrics push) off, not the agent:
     * OTEL_* variables are often set for some other tool in the same container.
     */
    private static OtelConfig otel(Map<String, String> properties, Map<String, String> environment, boolean strict)
            throws ConfigException {
        try {
            return OtelConfig.read(properties, environment);
        } catch (ConfigException e) {
            if (strict) {
                throw e;
            }
            AgentLog.warn("configuration error: " + e.getMessage() + "; tracing is off, metrics are recorded");
            return null;
        }
    }

    /**
     * One line on stderr. In strict mode at launch the JVM then ends with exit status 1, before the
     * worker's main: not by throwing out of premain, which the JVM reports as an
     * {@code InvocationTargetException} stack and a fatal error in native code.
     */
    private static void fail(String message, boolean stopTheJvm) {
        if (stopTheJvm) {
            AgentLog.warn(message + " (agentmon.strict=true: refusing to start)");
            System.exit(STRICT_EXIT_STATUS);
        }
        AgentLog.warn(message + "; the worker runs on unmonitored");
    }

    /** The exit status of a JVM that strict mode stopped. */
    static final int STRICT_EXIT_STATUS = 1;

    private static Map<String, String> systemProperties() {
        Map<String, String> copy = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            copy.put(name, System.getProperty(name));
        }
        return copy;
    }
}

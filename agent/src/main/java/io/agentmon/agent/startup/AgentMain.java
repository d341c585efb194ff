package io.agentmon.agent.startup;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.config.ConfigException;
import io.agentmon.agent.config.ConfigLoader;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;

/**
 * Entry point named in agentmon.jar's manifest, for {@code -javaagent} (premain) and for a
 * later attach (agentmain).
 *
 * <p>premain does only what must happen before the worker's classes load: read the
 * configuration, put the bootstrap classes in place and install the transformer. The port,
 * the meter registry and its binders start on a daemon thread. Nothing here throws into the
 * JVM unless {@code agentmon.strict=true}: otherwise any failure is one line on stderr and the
 * worker runs on unmonitored.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void premain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation);
    }

    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        start(agentArgs, instrumentation);
    }

    private static void start(String agentArgs, Instrumentation instrumentation) {
        if (Launchers.isTool(System.getProperty("sun.java.command"))) {
            return; // javac, jps, mvn ... under JAVA_TOOL_OPTIONS: stay silent and out of the way
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
            Agent agent = Agent.install(config, instrumentation);
            agent.startInBackground();
            if (strict) {
                agent.awaitStarted(); // strict mode: a taken port must stop the JVM, so wait to know
            }
        } catch (ConfigException e) {
            fail("configuration error: " + e.getMessage(), strict, e);
        } catch (Throwable e) {
            fail("could not start: " + e, strict, e);
        }
    }

    private static void fail(String message, boolean strict, Throwable cause) {
        if (strict) {
            throw new IllegalStateException("agentmon: " + message + " (agentmon.strict=true: refusing to start)", cause);
        }
        AgentLog.warn(message + "; the worker runs on unmonitored");
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> copy = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            copy.put(name, System.getProperty(name));
        }
        return copy;
    }
}

package io.agentmon.agent.metrics;

import io.agentmon.agent.AgentLog;
import io.micrometer.common.util.internal.logging.InternalLogger;
import io.micrometer.common.util.internal.logging.InternalLoggerFactory;
import java.lang.reflect.Proxy;

/**
 * Points Micrometer's internal logging at {@link AgentLog}. Left alone, Micrometer would pick
 * the worker's SLF4J, or else java.util.logging, and initialise either before the worker does.
 * Warnings and errors are printed; debug, trace and info are dropped.
 */
final class MicrometerLogging {

    private MicrometerLogging() {
    }

    static void install() {
        InternalLoggerFactory.setDefaultFactory(new InternalLoggerFactory() {
            @Override
            protected InternalLogger newInstance(String name) {
                return logger(name);
            }
        });
    }

    private static InternalLogger logger(String name) {
        // InternalLogger has some forty methods; one handler serves them all.
        return (InternalLogger) Proxy.newProxyInstance(MicrometerLogging.class.getClassLoader(),
                new Class<?>[] {InternalLogger.class}, (proxy, method, args) -> {
                    String level = method.getName();
                    switch (level) {
                        case "name":
                            return name;
                        case "isWarnEnabled":
                        case "isErrorEnabled":
                            return true;
                        case "warn":
                        case "error":
                            AgentLog.warn("micrometer " + level + ": " + format(args));
                            return null;
                        default:
                            return level.startsWith("is") ? false : null;
                    }
                });
    }

    /** Fills SLF4J-style {} placeholders; a trailing throwable is appended. */
    private static String format(Object[] args) {
        if (args == null || args.length == 0) {
            return "";
        }
        Object[] values = args.length == 2 && args[1] instanceof Object[] ? (Object[]) args[1]
                : java.util.Arrays.copyOfRange(args, 1, args.length);
        StringBuilder message = new StringBuilder(String.valueOf(args[0]));
        for (Object value : values) {
            int slot = message.indexOf("{}");
            if (slot < 0) {
                message.append(' ').append(value);
            } else {
                message.replace(slot, slot + 2, String.valueOf(value));
            }
        }
        return message.toString();
    }
}

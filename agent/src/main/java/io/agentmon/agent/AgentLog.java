package io.agentmon.agent;

import java.io.PrintStream;

/**
 * agentmon's only output: single lines on stderr, each starting with {@code agentmon:}.
 *
 * <p>Deliberately not java.util.logging, System.Logger or any logging library: touching those
 * from an agent would fix the worker's logging choices (its LogManager, its SLF4J binding)
 * before its own main method gets to make them.
 */
public final class AgentLog {

    private static final String PREFIX = "agentmon: ";

    private AgentLog() {
    }

    public static void info(String message) {
        print(message);
    }

    public static void warn(String message) {
        print(message);
    }

    private static void print(String message) {
        PrintStream err = System.err;
        err.println(PREFIX + Echo.line(message)); // one line: control characters escaped, length bounded
    }
}

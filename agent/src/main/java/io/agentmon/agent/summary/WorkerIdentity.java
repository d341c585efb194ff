package io.agentmon.agent.summary;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/**
 * Which worker a summary is about: its service, host, process id, the agent's version, the JVM's
 * version and when the JVM started (the start time {@code process_start_time_seconds} reports).
 * The host name is looked up once, on the first request that needs it (an agent thread), not at
 * start-up: the lookup may ask a name server. The process id and the start time likewise: the
 * first use of {@code ProcessHandle} or of the JVM's management beans costs tens of milliseconds
 * of class loading each, which the endpoint's start need not spend beside the worker's.
 */
final class WorkerIdentity {

    final String service;
    final String version;
    final String javaVersion = System.getProperty("java.version", "");
    private volatile String host;

    WorkerIdentity(String service, String version) {
        this.service = service;
        this.version = version;
    }

    long pid() {
        return ThisProcess.PID;
    }

    /** When the JVM started, in milliseconds since the epoch. */
    long startMillis() {
        return ThisProcess.START_MILLIS;
    }

    /** The host's name as the JVM resolves it ({@code InetAddress.getLocalHost()}), else its address, else "unknown". */
    String host() {
        String known = host;
        if (known == null) {
            try {
                known = InetAddress.getLocalHost().getHostName();
            } catch (Exception | LinkageError e) {
                known = "unknown";
            }
            host = known;
        }
        return known;
    }

    /** Read when first asked for: the JVM initialises a class on its first use, once, for every thread. */
    private static final class ThisProcess {
        static final long PID = ProcessHandle.current().pid();
        static final long START_MILLIS = ManagementFactory.getRuntimeMXBean().getStartTime();

        private ThisProcess() {
        }
    }
}

package io.agentmon.agent.summary;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/**
 * Which worker a summary is about: its service, host, process id, the agent's version, the JVM's
 * version and when the JVM started (the start time {@code process_start_time_seconds} reports).
 * The host name is looked up once, on the first request that needs it (an agent thread), not at
 * start-up: the lookup may ask a name server.
 */
final class WorkerIdentity {

    final String service;
    final String version;
    final String javaVersion = System.getProperty("java.version", "");
    final long pid = ProcessHandle.current().pid();
    final long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private volatile String host;

    WorkerIdentity(String service, String version) {
        this.service = service;
        this.version = version;
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
}

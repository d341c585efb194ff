package io.agentmon.agent.startup;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** What the start-up line says about where the endpoint is. */
final class StartLine {

    private StartLine() {
    }

    /**
     * A host one can open: the loopback address when the endpoint listens on every interface
     * (0.0.0.0 or ::, which no browser opens), else the configured host (IPv6 in brackets).
     */
    static String openableHost(InetSocketAddress bound, String configuredHost) {
        if (bound.getAddress() != null && bound.getAddress().isAnyLocalAddress()) {
            return bound.getAddress() instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        }
        return configuredHost.contains(":") ? "[" + configuredHost + "]" : configuredHost;
    }

    /** Said when the endpoint listens on every interface, with a warning when anyone there can read it. */
    static String listening(InetSocketAddress bound, String configuredHost, boolean authenticated) {
        if (bound.getAddress() == null || !bound.getAddress().isAnyLocalAddress()) {
            return "";
        }
        return " (listening on every interface, " + configuredHost
                + (authenticated ? ")" : ", with no authentication: set agentmon.host or agentmon.http.token)");
    }
}

package io.agentmon.agent.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The start-up line names an address one can open (issue 13: it printed http://0.0.0.0:9200/metrics). */
class StartLineTest {

    @Test
    void everyInterfaceIsOpenedOnLoopbackAndSaidSo() {
        InetSocketAddress any = new InetSocketAddress("0.0.0.0", 9200);
        assertEquals("127.0.0.1", StartLine.openableHost(any, "0.0.0.0"));
        assertEquals(" (listening on every interface, 0.0.0.0, with no authentication: set agentmon.host or agentmon.http.token)",
                StartLine.listening(any, "0.0.0.0", false));
        assertEquals(" (listening on every interface, 0.0.0.0)", StartLine.listening(any, "0.0.0.0", true));
        InetSocketAddress anyV6 = new InetSocketAddress("::", 9200);
        assertEquals("[::1]", StartLine.openableHost(anyV6, "::"));
    }

    @Test
    void aConfiguredHostIsShownAsIs() {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 9200);
        assertEquals("127.0.0.1", StartLine.openableHost(loopback, "127.0.0.1"));
        assertEquals("", StartLine.listening(loopback, "127.0.0.1", false));
        assertEquals("[::1]", StartLine.openableHost(new InetSocketAddress("::1", 9200), "::1"));
    }
}

package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint's settings (agentmon.http.*): defaults, values, and each combination that can't work, named. */
class HttpConfigTest {

    private static HttpConfig http(String... namesAndValues) throws ConfigException {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            properties.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return ConfigLoader.load(null, properties, Collections.emptyMap()).http();
    }

    private static String error(String... namesAndValues) {
        return assertThrows(ConfigException.class, () -> http(namesAndValues)).getMessage();
    }

    @Test
    void withNothingSetTheEndpointIsOpenWithItsDefaultLimits() throws Exception {
        HttpConfig http = http();
        assertEquals(32, http.connections());
        assertEquals(TimeUnit.SECONDS.toNanos(10), http.requestTimeoutNanos());
        assertEquals(TimeUnit.SECONDS.toNanos(30), http.responseTimeoutNanos());
        assertEquals(TimeUnit.SECONDS.toNanos(30), http.idleTimeoutNanos());
        assertNull(http.token());
        assertNull(http.tokenFile());
        assertNull(http.basicUser());
        assertNull(http.keystore());
        assertNull(http.clientTruststore());
        assertEquals(true, http.events());
        assertEquals(true, http.tasks());
    }

    @Test
    void valuesAreReadTrimmed() throws Exception {
        HttpConfig http = http("agentmon.http.connections", " 4096 ", "agentmon.http.request.timeout", "500ms",
                "agentmon.http.token", " s3cret ", "agentmon.http.basic.user", "prometheus",
                "agentmon.http.basic.password.hash", "pbkdf2-sha256:210000:c2FsdA:aGFzaA",
                "agentmon.http.tls.keystore", "/etc/agentmon/server.p12", "agentmon.http.tls.client.truststore", "/etc/agentmon/clients.p12",
                "agentmon.http.events", "false", "agentmon.http.tasks", "FALSE");
        assertEquals(4096, http.connections());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), http.requestTimeoutNanos());
        assertEquals("s3cret", http.token());
        assertEquals("prometheus", http.basicUser());
        assertEquals("pbkdf2-sha256:210000:c2FsdA:aGFzaA", http.basicPasswordHash());
        assertEquals("/etc/agentmon/clients.p12", http.clientTruststore());
        assertFalse(http.events());
        assertFalse(http.tasks());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "4097", "9999", "10000", "-1", "abc", "", "+5", "1.5", "\u0663"})
    void connectionsOutsideOneTo4096AreRefused(String connections) {
        assertEquals("agentmon.http.connections=" + Echo.quote(connections) + " (system property): expected a number of"
                + " connections from 1 to 4096", error("agentmon.http.connections", connections));
    }

    @Test
    void aBadTimeoutIsNamedWithItsKey() {
        String message = error("agentmon.http.idle.timeout", "soon");
        assertEquals("agentmon.http.idle.timeout='soon' (system property): ", message.substring(0, message.indexOf(": ") + 2));
    }

    @Test
    void aTokenComesFromTheValueOrAFileNotBoth() {
        assertEquals("agentmon.http.token.file='/run/secrets/t' (system property): set either agentmon.http.token or"
                + " agentmon.http.token.file, not both",
                error("agentmon.http.token", "abc", "agentmon.http.token.file", "/run/secrets/t"));
    }

    @Test
    void aTokenSetToNothingIsRefusedRatherThanLeavingTheEndpointOpen() {
        assertEquals("agentmon.http.token='' (system property): the token is empty", error("agentmon.http.token", "  "));
    }

    @Test
    void basicAuthenticationNeedsUserAndHashTogether() {
        String both = "basic authentication needs both agentmon.http.basic.user and agentmon.http.basic.password.hash";
        assertEquals("agentmon.http.basic.password.hash (default): " + both, error("agentmon.http.basic.user", "prometheus"));
        assertEquals("agentmon.http.basic.user (default): " + both, error("agentmon.http.basic.password.hash", "pbkdf2-sha256:1:a:b"));
        assertEquals("agentmon.http.basic.user='a:b' (system property): a basic-auth user name may not contain ':'",
                error("agentmon.http.basic.user", "a:b", "agentmon.http.basic.password.hash", "pbkdf2-sha256:1:a:b"));
    }

    @Test
    void clientCertificatesNeedTls() {
        assertEquals("agentmon.http.tls.client.truststore='/etc/c.p12' (system property): client certificates need TLS:"
                + " set agentmon.http.tls.keystore too", error("agentmon.http.tls.client.truststore", "/etc/c.p12"));
    }
}

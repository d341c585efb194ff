package io.agentmon.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.http.server.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing and protection, through requests made in memory (no sockets). */
class RoutesTest {

    private static final String TOKEN = "t0ken-with-enough-entropy";
    private static final PasswordHash HASH = PasswordHash.parse(PasswordHash.create("pa:ss word".toCharArray()));

    private static Routes routes(Credentials credentials) {
        return new Routes(credentials)
                .add("/metrics", request -> Response.text(200, "metrics\n"))
                .add("/health", request -> Response.json(200, "{\"status\":\"UP\"}"))
                .add("/health/ready", request -> Response.json(200, "{}"))
                .off("/events", "agentmon.http.events");
    }

    private static Response get(Routes routes, String path, Map<String, String> headers) throws Exception {
        return routes.handle(Request.of("GET", path, headers));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void openByDefault() throws Exception {
        Routes routes = routes(Credentials.OPEN);
        assertEquals(200, get(routes, "/metrics", Map.of()).status());
        Response missing = get(routes, "/nope", Map.of());
        assertEquals(404, missing.status());
        assertEquals("not found; try /metrics, /tasks, /health or /health/ready\n", missing.bodyText());
        Response post = routes.handle(Request.of("POST", "/metrics", Map.of()));
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("Allow"));
        assertEquals(404, routes.handle(Request.of("POST", "/nope", Map.of())).status(), "404 before 405, as before");
    }

    @Test
    void aSwitchedOffPathSaysWhichKey() throws Exception {
        Response off = get(routes(Credentials.OPEN), "/events", Map.of());
        assertEquals(403, off.status());
        assertTrue(off.bodyText().contains("agentmon.http.events=false"), off.bodyText());
    }

    @Test
    void aTokenIsRequiredExceptOnTheHealthPaths() throws Exception {
        Routes routes = routes(new Credentials(TOKEN, null, null));
        Response missing = get(routes, "/metrics", Map.of());
        assertEquals(401, missing.status());
        assertTrue(missing.header("WWW-Authenticate").startsWith("Bearer"), missing.headers().toString());
        assertEquals(401, get(routes, "/metrics", Map.of("Authorization", "Bearer " + TOKEN + "x")).status());
        assertEquals(401, get(routes, "/metrics", Map.of("Authorization", "Bearer " + TOKEN.substring(1))).status());
        assertEquals(401, get(routes, "/metrics", Map.of("Authorization", TOKEN)).status());
        assertEquals(401, get(routes, "/nope", Map.of()).status(), "no path is revealed without credentials");
        assertEquals(200, get(routes, "/metrics", Map.of("Authorization", "Bearer " + TOKEN)).status());
        assertEquals(200, get(routes, "/health", Map.of()).status());
        assertEquals(200, get(routes, "/health/ready", Map.of()).status());
    }

    @Test
    void basicAuthAgainstTheHash() throws Exception {
        Routes routes = routes(new Credentials(null, "prometheus", HASH));
        Response missing = get(routes, "/metrics", Map.of());
        assertEquals(401, missing.status());
        assertTrue(missing.header("WWW-Authenticate").startsWith("Basic realm="), missing.headers().toString());
        assertEquals(401, get(routes, "/metrics", Map.of("Authorization", basic("prometheus", "pa:ss wor"))).status());
        assertEquals(401, get(routes, "/metrics", Map.of("Authorization", basic("prometheu", "pa:ss word"))).status());
        assertEquals(401, get(routes, "/metrics", Map.of("Authorization", "Basic !!!notbase64")).status());
        assertEquals(200, get(routes, "/metrics", Map.of("Authorization", basic("prometheus", "pa:ss word"))).status());
        assertEquals(200, get(routes, "/metrics", Map.of("Authorization", basic("prometheus", "pa:ss word"))).status(), "again, remembered");
        assertEquals(401, get(routes, "/metrics", Map.of("Authorization", "Bearer " + TOKEN)).status());
    }

    @Test
    void tokenAndBasicTogetherEitherSuffices() throws Exception {
        Routes routes = routes(new Credentials(TOKEN, "prometheus", HASH));
        assertEquals(200, get(routes, "/metrics", Map.of("Authorization", "Bearer " + TOKEN)).status());
        assertEquals(200, get(routes, "/metrics", Map.of("Authorization", basic("prometheus", "pa:ss word"))).status());
        assertEquals(401, get(routes, "/metrics", Map.of("Authorization", basic("prometheus", TOKEN))).status());
    }
}

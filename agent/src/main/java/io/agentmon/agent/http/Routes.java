package io.agentmon.agent.http;

import io.agentmon.agent.http.server.Handler;
import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.http.server.Response;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The endpoint's paths, and who may read them: the health paths are open to everyone (probes
 * cannot easily carry a secret, and they reveal only a status), every other path needs the
 * credentials when any are configured. Then unknown paths get 404, other methods than GET and
 * HEAD 405, switched-off paths 403 naming their key.
 */
final class Routes implements Handler {

    private static final Set<String> OPEN_PATHS = Set.of("/health", "/health/ready");

    private final Map<String, Handler> handlers = new HashMap<>();
    private final Map<String, String> switchedOff = new HashMap<>();
    private final Credentials credentials;

    Routes(Credentials credentials) {
        this.credentials = credentials;
    }

    Routes add(String path, Handler handler) {
        handlers.put(path, handler);
        return this;
    }

    /** A path that exists but is switched off by {@code key=false}. */
    Routes off(String path, String key) {
        switchedOff.put(path, key);
        return this;
    }

    @Override
    public Response handle(Request request) throws IOException {
        String path = request.path();
        if (!OPEN_PATHS.contains(path) && !credentials.allows(request)) {
            return Response.text(401, "unauthorized\n").header("WWW-Authenticate", credentials.challenge());
        }
        Handler handler = handlers.get(path);
        String offKey = switchedOff.get(path);
        if (handler == null && offKey == null) {
            return Response.text(404, "not found; try /metrics, /tasks, /health or /health/ready\n");
        }
        if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
            return Response.text(405, "method not allowed\n").header("Allow", "GET, HEAD");
        }
        if (handler == null) {
            return Response.text(403, path + " is switched off (" + offKey + "=false)\n");
        }
        return handler.handle(request);
    }
}

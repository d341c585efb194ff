package io.agentmon.agent.http;

import io.agentmon.agent.http.server.Handler;
import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.http.server.Response;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /}: the agent's own page, one self-contained HTML file (inline CSS and JavaScript,
 * nothing fetched from elsewhere) that polls {@code /metrics/summary} and draws its charts.
 */
final class PageHandler implements Handler {

    private static final String RESOURCE = "/agentmon/page.html";

    private final byte[] page;

    PageHandler() {
        try (InputStream in = PageHandler.class.getResourceAsStream(RESOURCE)) {
            page = in == null ? "<!doctype html><title>agentmon</title>page missing".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public Response handle(Request request) {
        return Response.bytes(200, "text/html; charset=utf-8", page).header("Cache-Control", "no-cache");
    }
}

package io.agentmon.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /}: the agent's own page, one self-contained HTML file (inline CSS and JavaScript,
 * nothing fetched from elsewhere) that polls {@code /metrics/summary} and draws its charts.
 */
final class PageHandler implements HttpHandler {

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
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        Responses.send(exchange, 200, page);
    }
}

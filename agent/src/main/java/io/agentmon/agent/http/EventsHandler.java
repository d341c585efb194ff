package io.agentmon.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.agentmon.agent.events.EventClient;
import io.agentmon.agent.events.EventFanout;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /events[?task=<label>]}: a live stream of task and container events as Server-Sent
 * Events. The handler only registers the client and starts the response; the connection is then
 * written by the client's own daemon thread, and this handler thread returns at once, so open
 * streams never occupy the endpoint's two handler threads. At most
 * {@link EventFanout#MAX_CLIENTS} streams at a time; one more gets {@code 503}.
 */
final class EventsHandler implements HttpHandler {

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        EventClient client = new EventClient(taskFilter(exchange.getRequestURI().getRawQuery()), EventFanout.get());
        if (!client.register()) {
            exchange.getResponseHeaders().set("Retry-After", "5");
            Responses.text(exchange, 503, "too many event streams: at most " + EventFanout.MAX_CLIENTS + "\n");
            return;
        }
        try {
            exchange.sendResponseHeaders(200, 0); // chunked, for as long as the client stays
        } catch (IOException | RuntimeException e) {
            client.unregister();
            throw e;
        }
        client.start(exchange.getResponseBody(), exchange::close);
    }

    /** The value of {@code task=} in the query, or null. */
    static String taskFilter(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("task=") && pair.length() > 5) {
                return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}

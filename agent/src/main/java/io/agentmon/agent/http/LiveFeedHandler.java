package io.agentmon.agent.http;

import io.agentmon.agent.live.FeedClient;
import io.agentmon.agent.live.FeedFanout;
import io.agentmon.agent.http.server.Handler;
import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.http.server.Response;
import io.agentmon.agent.http.server.StreamBody;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /events[?task=<label>]}: a live stream of task and container events as Server-Sent
 * Events. The handler only registers the client and starts the response; the connection is then
 * written by the client's own daemon thread, each write under the server's stream write deadline.
 * At most {@link FeedFanout#MAX_CLIENTS} streams at a time; when all are taken, a new client
 * takes the place of a stalled one, and gets {@code 503} only when all are reading.
 */
final class LiveFeedHandler implements Handler {

    private static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    @Override
    public Response handle(Request request) {
        if (request.isHead()) {
            return Response.bytes(200, CONTENT_TYPE, new byte[0]).header("Cache-Control", "no-cache");
        }
        FeedClient client = new FeedClient(taskFilter(request.rawQuery()), FeedFanout.get());
        if (!client.register()) {
            return Response.text(503, "too many event streams: at most " + FeedFanout.MAX_CLIENTS + "\n")
                    .header("Retry-After", "5");
        }
        return Response.stream(200, CONTENT_TYPE, new StreamBody() {
            @Override
            public void start(OutputStream out, Runnable close) {
                client.start(out, close);
            }

            @Override
            public void cancel() {
                client.unregister();
            }
        }).header("Cache-Control", "no-cache");
    }

    /** The value of {@code task=} in the query, or null. */
    static String taskFilter(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("task=") && pair.length() > 5) {
                try {
                    return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return pair.substring(5); // a malformed escape: the label as sent
                }
            }
        }
        return null;
    }
}

package io.agentmon.agent.http.server;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Handler} answers: a status, headers, and either a whole body or a
 * {@link StreamBody} written after the head by a thread of the handler's own. HEAD requests get
 * the same head without the body; the server adds {@code Content-Length}, {@code Date} and
 * {@code Connection}.
 */
public final class Response {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;
    private final StreamBody stream;
    private boolean close;

    private Response(int status, byte[] body, StreamBody stream) {
        this.status = status;
        this.body = body;
        this.stream = stream;
    }

    public static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, body, null).header("Content-Type", contentType);
    }

    public static Response text(int status, String text) {
        return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response json(int status, String json) {
        return bytes(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A body of unknown length, sent chunked for as long as the stream lasts. */
    public static Response stream(int status, String contentType, StreamBody stream) {
        return new Response(status, new byte[0], stream).header("Content-Type", contentType);
    }

    /** Sets a header (names are written as given; one value each). */
    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Closes the connection after this response. */
    public Response close() {
        close = true;
        return this;
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The streaming body, or null for a whole one. */
    public StreamBody stream() {
        return stream;
    }

    public boolean closes() {
        return close;
    }
}

package io.agentmon.agent.http.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    /** How many bytes of {@link #body}, from its start, are the body. */
    private final int length;
    private final StreamBody stream;
    private boolean close;

    private Response(int status, byte[] body, int length, StreamBody stream) {
        this.status = status;
        this.body = body;
        this.length = length;
        this.stream = stream;
    }

    public static Response bytes(int status, String contentType, byte[] body) {
        return bytes(status, contentType, body, body.length);
    }

    /**
     * The first {@code length} bytes of {@code body}, sent from that array as it is (no copy):
     * a scrape rendered into a buffer larger than itself hands the buffer over. The caller
     * must not change the array afterwards.
     */
    public static Response bytes(int status, String contentType, byte[] body, int length) {
        if (length < 0 || length > body.length) {
            throw new IllegalArgumentException("length " + length + " of a " + body.length + "-byte array");
        }
        return new Response(status, body, length, null).header("Content-Type", contentType);
    }

    public static Response text(int status, String text) {
        return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response json(int status, String json) {
        return bytes(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A body of unknown length, sent chunked for as long as the stream lasts. */
    public static Response stream(int status, String contentType, StreamBody stream) {
        return new Response(status, new byte[0], 0, stream).header("Content-Type", contentType);
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

    /** The body's bytes (a copy when the body is part of a larger array). */
    public byte[] body() {
        return length == body.length ? body : Arrays.copyOf(body, length);
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return length;
    }

    /** Writes the body, without copying it. */
    void writeBody(OutputStream out) throws IOException {
        out.write(body, 0, length);
    }

    public String bodyText() {
        return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    /** The streaming body, or null for a whole one. */
    public StreamBody stream() {
        return stream;
    }

    public boolean closes() {
        return close;
    }
}

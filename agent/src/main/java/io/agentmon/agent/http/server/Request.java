package io.agentmon.agent.http.server;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One parsed request head: what a {@link Handler} sees. There is never a body. */
public final class Request {

    private final String method;
    private final String path;
    private final String rawQuery;
    private final String version;
    private final Map<String, List<String>> headers;

    /**
     * @param path the decoded path, e.g. {@code /metrics}
     * @param rawQuery the query as sent, without {@code ?}, or null
     * @param headers by case-insensitive name
     */
    public Request(String method, String path, String rawQuery, String version, Map<String, List<String>> headers) {
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.version = version;
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        this.headers = Collections.unmodifiableMap(copy);
    }

    /** A request with no headers, for tests and internal use. */
    public static Request of(String method, String pathAndQuery, Map<String, String> headers) {
        int question = pathAndQuery.indexOf('?');
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        return new Request(method, question < 0 ? pathAndQuery : pathAndQuery.substring(0, question),
                question < 0 ? null : pathAndQuery.substring(question + 1), "HTTP/1.1", all);
    }

    public String method() {
        return method;
    }

    public boolean isHead() {
        return "HEAD".equals(method);
    }

    public String path() {
        return path;
    }

    /** The query as sent (not decoded), or null. */
    public String rawQuery() {
        return rawQuery;
    }

    public String version() {
        return version;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 only when asked. */
    public boolean keepAlive() {
        String connection = header("Connection");
        String tokens = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        if ("HTTP/1.0".equals(version)) {
            return tokens.contains("keep-alive");
        }
        return !tokens.contains("close");
    }

    @Override
    public String toString() {
        return method + " " + path + (rawQuery == null ? "" : "?" + rawQuery);
    }
}

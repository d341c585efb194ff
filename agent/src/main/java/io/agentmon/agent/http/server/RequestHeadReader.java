package io.agentmon.agent.http.server;

import io.agentmon.agent.NameSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one request head (request line and header fields) with size limits, strictly enough
 * that junk is refused at its first byte: a method must be a token, so random bytes or a TLS
 * ClientHello on the plain port get {@code 400} at once instead of holding the connection until
 * its deadline. Bodies are refused ({@code 413}), since no path takes one.
 */
public final class RequestHeadReader {

    /** Longest request line (method, target, version). */
    public static final int MAX_LINE = 8 * 1024;
    /** Most header fields, and most bytes of all of them together. */
    public static final int MAX_HEADERS = 64;
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_METHOD = 32;
    private static final int MAX_BLANK_LINES = 4;

    private RequestHeadReader() {
    }

    /** The next request, or null when the stream ends before its first byte. */
    public static Request read(InputStream in) throws IOException, HttpError {
        int blank = 0;
        String line;
        while (true) {
            line = requestLine(in);
            if (line == null) {
                return null;
            }
            if (!line.isEmpty()) {
                break;
            }
            if (++blank > MAX_BLANK_LINES) { // a few empty lines before a request are tolerated (RFC 9112 2.2)
                throw new HttpError(400, "empty request line");
            }
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3) {
            throw new HttpError(400, "malformed request line");
        }
        String method = parts[0];
        String version = parts[2];
        if (!version.startsWith("HTTP/")) {
            throw new HttpError(400, "malformed request line");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpError(505, "only HTTP/1.0 and HTTP/1.1 are served");
        }
        URI uri = target(parts[1]);
        Map<String, List<String>> headers = headers(in);
        if ("HTTP/1.1".equals(version) && !headers.containsKey("Host")) {
            headers.put("Host", List.of("")); // lenient: scrapers and probes always send it, curl too
        }
        refuseBody(headers);
        return new Request(method, uri.getPath(), uri.getRawQuery(), version, headers);
    }

    private static URI target(String target) throws HttpError {
        if (target.isEmpty()) {
            throw new HttpError(400, "empty request target");
        }
        try {
            URI uri = new URI(target);
            if (target.startsWith("/") && uri.getRawAuthority() == null && uri.getScheme() == null) {
                return uri;
            }
            // absolute-form, as proxies send it: only its path and query matter
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getRawAuthority() != null) {
                String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                return new URI(path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            }
        } catch (URISyntaxException e) {
            throw new HttpError(400, "malformed request target");
        }
        throw new HttpError(400, "the request target must be a path");
    }

    private static void refuseBody(Map<String, List<String>> headers) throws HttpError {
        if (headers.containsKey("Transfer-Encoding")) {
            throw new HttpError(413, "request bodies are not accepted");
        }
        List<String> lengths = headers.get("Content-Length");
        if (lengths == null) {
            return;
        }
        for (String length : lengths) {
            for (String value : length.split(",", -1)) {
                String trimmed = value.trim();
                if (!NameSyntax.asciiDigits(trimmed, 18)) {
                    throw new HttpError(400, "malformed Content-Length");
                }
                if (Long.parseLong(trimmed) > 0) {
                    throw new HttpError(413, "request bodies are not accepted");
                }
            }
        }
    }

    private static Map<String, List<String>> headers(InputStream in) throws IOException, HttpError {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int count = 0;
        int bytes = 0;
        while (true) {
            String line = line(in, Math.min(MAX_LINE, MAX_HEADER_BYTES - bytes), 431, "header fields too large");
            if (line == null) {
                throw new HttpError(400, "the request ended inside its head");
            }
            if (line.isEmpty()) {
                return headers;
            }
            bytes += line.length() + 2;
            if (++count > MAX_HEADERS) {
                throw new HttpError(431, "more than " + MAX_HEADERS + " header fields");
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new HttpError(400, "folded header lines are not accepted");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HttpError(400, "malformed header field");
            }
            String name = line.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                if (!isTokenChar(name.charAt(i))) {
                    throw new HttpError(400, "malformed header field name");
                }
            }
            String value = line.substring(colon + 1).trim();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new HttpError(400, "control character in a header field");
                }
            }
            headers.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
        }
    }

    /** The request line, checking the method's characters as they arrive. */
    private static String requestLine(InputStream in) throws IOException, HttpError {
        StringBuilder line = new StringBuilder(64);
        boolean inMethod = true;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.length() == 0) {
                    return null;
                }
                throw new HttpError(400, "the request ended inside its request line");
            }
            if (b == '\n') {
                return stripCr(line);
            }
            if (inMethod) {
                if (b == ' ') {
                    if (line.length() == 0) {
                        throw new HttpError(400, "malformed request line");
                    }
                    inMethod = false;
                } else if (b == '\r') {
                    // end of an empty line, or a bare CR: decided at the LF
                } else if (!isTokenChar((char) b)) {
                    throw new HttpError(400, "malformed request line");
                } else if (line.length() >= MAX_METHOD) {
                    throw new HttpError(400, "method too long");
                }
            } else if (b < 0x20 && b != '\r' || b == 0x7f) {
                throw new HttpError(400, "control character in the request line");
            }
            if (line.length() >= MAX_LINE) {
                throw new HttpError(414, "request line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    private static String line(InputStream in, int limit, int status, String tooLong) throws IOException, HttpError {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                return stripCr(line);
            }
            if (line.length() >= limit) {
                throw new HttpError(status, tooLong);
            }
            line.append((char) b); // ISO-8859-1, as header bytes are defined
        }
    }

    private static String stripCr(StringBuilder line) throws HttpError {
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
        }
        if (line.indexOf("\r") >= 0) {
            throw new HttpError(400, "bare CR in the request head");
        }
        return line.toString();
    }

    /** RFC 9110 tchar. */
    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}

package io.agentmon.agent.http.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Writes a response head and a whole body. */
final class ResponseWriter {

    /** The last Date header's value and its second: formatting one took 3 % of a small scrape's CPU (JFR, issue 12). */
    private static volatile DateValue date = new DateValue(Long.MIN_VALUE, "");

    private ResponseWriter() {
    }

    /** The whole response; a HEAD request gets the head only, with the length the body has. */
    static void write(OutputStream out, Request request, Response response, boolean keepAlive) throws IOException {
        StringBuilder head = head(response, keepAlive, "HTTP/1.0".equals(version(request)));
        head.append("Content-Length: ").append(response.bodyLength()).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (request == null || !request.isHead()) {
            response.writeBody(out);
        }
        out.flush();
    }

    /** The head of a streamed response: chunked on HTTP/1.1, until the connection closes on 1.0. */
    static void writeStreamHead(OutputStream out, Request request, Response response) throws IOException {
        boolean chunked = !"HTTP/1.0".equals(request.version());
        StringBuilder head = head(response, chunked, !chunked);
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static StringBuilder head(Response response, boolean keepAlive, boolean http10) {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n");
        head.append("Date: ").append(date(System.currentTimeMillis())).append("\r\n");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        } else if (http10) {
            head.append("Connection: keep-alive\r\n");
        }
        return head;
    }

    /** The Date header's value for {@code millis} (RFC 1123, whole seconds), formatted once a second. */
    static String date(long millis) {
        long second = Math.floorDiv(millis, 1000L);
        DateValue last = date;
        if (last.second != second) {
            last = new DateValue(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    Instant.ofEpochSecond(second).atZone(ZoneOffset.UTC)));
            date = last; // racing threads format the same second alike
        }
        return last.text;
    }

    private static final class DateValue {
        final long second;
        final String text;

        DateValue(long second, String text) {
            this.second = second;
            this.text = text;
        }
    }

    private static String version(Request request) {
        return request == null ? "HTTP/1.1" : request.version();
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 503: return "Service Unavailable";
            case 505: return "HTTP Version Not Supported";
            default: return "Status";
        }
    }
}

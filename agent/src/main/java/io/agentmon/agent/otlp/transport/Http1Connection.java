package io.agentmon.agent.otlp.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection to a collector, kept alive from one export to the next while the
 * server allows: a request written whole (its length known), the answer read to its end
 * (by Content-Length, chunks, or the connection closing). Driven by the thread that sends;
 * nobody reads between requests.
 */
final class Http1Connection implements Collector.Connection {

    /** The most of an answer's body kept; the rest is read and dropped. */
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 200;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String peer;
    private boolean reusable = true;
    /** Answers read to their end on this connection: after one, it is a kept-alive connection. */
    private int answered;
    /** Whether any byte of the current request's answer came: if none did, the server never took it. */
    private boolean heard;

    private Http1Connection(Socket socket, String peer) throws IOException {
        this.socket = socket;
        this.peer = peer;
        this.in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    static Http1Connection open(String host, int port, SSLSocketFactory tls, int connectTimeoutMillis) throws IOException {
        return new Http1Connection(Sockets.connect(host, port, tls, null, connectTimeoutMillis), host + ":" + port);
    }

    /** False once the server said it closes the connection, or an answer ended with it. */
    @Override
    public boolean usable() {
        return reusable && !socket.isClosed();
    }

    /**
     * Sends {@code head} (the request line and headers, each line ending in CRLF, without the
     * blank line) and {@code body}, and reads the answer, all by {@code deadlineNanos}.
     */
    Answer exchange(String head, byte[] body, long deadlineNanos) throws IOException {
        heard = false;
        try {
            Answer answer = send(head, body, deadlineNanos);
            answered++;
            return answer;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (answered > 0 && !heard) {
                throw new Unprocessed("the kept-alive connection to " + peer + " failed before any answer", e);
            }
            throw e;
        }
    }

    private Answer send(String head, byte[] body, long deadlineNanos) throws IOException {
        arm(deadlineNanos);
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write('\r');
        out.write('\n');
        out.write(body);
        out.flush();
        Answer answer;
        String statusLine;
        do { // a 1xx answer (100 Continue, say) comes before the real one
            statusLine = line(deadlineNanos);
            answer = new Answer(statusLine);
            answer.readHeaders(this, deadlineNanos);
        } while (answer.status >= 100 && answer.status < 200);
        if (!statusLine.startsWith("HTTP/1.1") && !"keep-alive".equals(answer.connection)) {
            reusable = false; // HTTP/1.0 closes unless it says otherwise
        }
        if ("close".equals(answer.connection)) {
            reusable = false;
        }
        answer.readBody(this, deadlineNanos);
        return answer;
    }

    /** Gives a blocking read the time left until the deadline, or says that none is. */
    private void arm(long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no answer from " + peer + " in time");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L)));
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the server at " + peer + " closed the connection");
        }
        heard = true;
        return b;
    }

    /** One line, without its CRLF (or bare LF). */
    private String line(long deadlineNanos) throws IOException {
        arm(deadlineNanos);
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = read();
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("a line of over " + MAX_LINE + " bytes in the answer from " + peer);
            }
            line.append((char) b);
        }
    }

    /** Reads {@code length} bytes of body into {@code body} (as much as it keeps). */
    private void body(long length, ByteArrayOutputStream body, long deadlineNanos) throws IOException {
        byte[] buffer = new byte[8 * 1024];
        long left = length;
        while (left > 0) {
            arm(deadlineNanos);
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("the server at " + peer + " closed the connection in the middle of an answer");
            }
            keep(body, buffer, n);
            left -= n;
        }
    }

    private void bodyToEnd(ByteArrayOutputStream body, long deadlineNanos) throws IOException {
        byte[] buffer = new byte[8 * 1024];
        while (true) {
            arm(deadlineNanos);
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            keep(body, buffer, n);
        }
    }

    private static void keep(ByteArrayOutputStream body, byte[] buffer, int n) {
        int kept = Math.min(n, MAX_BODY - body.size());
        if (kept > 0) {
            body.write(buffer, 0, kept);
        }
    }

    @Override
    public void close() {
        Sockets.closeQuietly(socket);
    }

    /** The server's answer: status, reason, and the body (at most {@link #MAX_BODY} of it). */
    static final class Answer {
        final int status;
        final String reason;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private long contentLength = -1;
        private boolean chunked;
        private String connection;

        private Answer(String statusLine) throws IOException {
            // HTTP/1.1 200 OK
            int first = statusLine.indexOf(' ');
            if (!statusLine.startsWith("HTTP/1.") || first < 0 || statusLine.length() < first + 4) {
                throw new IOException("not an HTTP/1 answer: " + printable(statusLine));
            }
            try {
                status = Integer.parseInt(statusLine.substring(first + 1, first + 4));
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP/1 status: " + printable(statusLine));
            }
            reason = statusLine.length() > first + 5 ? statusLine.substring(first + 5) : "";
        }

        private void readHeaders(Http1Connection connection, long deadlineNanos) throws IOException {
            for (int count = 0; ; count++) {
                String line = connection.line(deadlineNanos);
                if (line.isEmpty()) {
                    return;
                }
                if (count >= MAX_HEADERS) {
                    throw new IOException("over " + MAX_HEADERS + " headers in the answer from " + connection.peer);
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("a Content-Length that is no number: " + printable(value));
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equals("connection")) {
                    this.connection = value.toLowerCase(Locale.ROOT);
                }
            }
        }

        private void readBody(Http1Connection connection, long deadlineNanos) throws IOException {
            if (status == 204 || status == 304) {
                return;
            }
            if (chunked) {
                while (true) {
                    String size = connection.line(deadlineNanos);
                    int extension = size.indexOf(';');
                    long length;
                    try {
                        length = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                    } catch (NumberFormatException e) {
                        throw new IOException("a chunk size that is no number: " + printable(size));
                    }
                    if (length == 0) {
                        while (!connection.line(deadlineNanos).isEmpty()) {
                            // trailers: nothing of them is needed
                        }
                        return;
                    }
                    connection.body(length, body, deadlineNanos);
                    connection.line(deadlineNanos); // the CRLF after the chunk
                }
            } else if (contentLength >= 0) {
                connection.body(contentLength, body, deadlineNanos);
            } else {
                connection.bodyToEnd(body, deadlineNanos);
                connection.reusable = false;
            }
        }

        byte[] body() {
            return body.toByteArray();
        }

        private static String printable(String text) {
            String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
            return cut.replaceAll("[^\\x20-\\x7E]", "?");
        }
    }
}

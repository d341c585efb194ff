package io.agentmon.agent.otlp.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/2 connection (RFC 9113) to a gRPC server, carrying one request at a time: what a
 * unary OTLP export needs. Cleartext connections start with the preface at once ("prior
 * knowledge", as gRPC servers expect on a plain port); TLS ones agree on {@code h2} by ALPN.
 *
 * <p>It is driven by the thread that sends: writing a request body waits for the server's
 * flow-control window by reading frames, and the answer is read frame by frame until the
 * stream ends. Between requests nobody reads; what the server sent meanwhile (settings, pings,
 * a GOAWAY) is handled before the next answer, in order. No thread of its own.
 */
final class Http2Connection implements Collector.Connection {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PUSH_PROMISE = 0x5;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int CONTINUATION = 0x9;

    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    private static final int SETTINGS_ENABLE_PUSH = 0x2;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    private static final int SETTINGS_MAX_FRAME_SIZE = 0x5;

    private static final int REFUSED_STREAM = 0x7;
    private static final int CANCEL = 0x8;
    /** Every window starts at this (RFC 9113, 6.9.2), and a frame may carry this much until the server says more. */
    private static final int DEFAULT_WINDOW = 65_535;
    private static final int DEFAULT_MAX_FRAME = 16_384;
    /** The largest DATA frame sent, whatever the server allows: a larger one buys nothing here. */
    private static final int MAX_SENT_FRAME = 64 * 1024;
    /** The most of an answer's body kept: an OTLP export answer is a few bytes (a partial-success message). */
    private static final int MAX_BODY = 64 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Hpack hpack = new Hpack();
    private final byte[] frameHeader = new byte[9];
    private byte[] payload = new byte[DEFAULT_MAX_FRAME];

    private int nextStream = 1;
    private long connectionWindow = DEFAULT_WINDOW;
    private int initialStreamWindow = DEFAULT_WINDOW;
    private int maxFrame = DEFAULT_MAX_FRAME;
    /** The last stream a GOAWAY said the server will finish, or -1 while none came. */
    private int goAwayLastStream = -1;
    /** Whether the server's first SETTINGS frame, which must open what it sends, came. */
    private boolean serverSettings;
    private final String peer;

    // The request in flight.
    private int stream;
    private long streamWindow;
    private Answer answer;

    private Http2Connection(Socket socket, String peer) throws IOException {
        this.socket = socket;
        this.peer = peer;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /**
     * Connects to {@code host:port}, over TLS when {@code tls} is not null, sends the preface and
     * agentmon's settings (no server push), and waits for the server's settings: so a request is
     * sent within the server's windows from the start, and a server that does not speak HTTP/2
     * (an OTLP/HTTP port, say) is told apart at once.
     */
    static Http2Connection open(String host, int port, SSLSocketFactory tls, int connectTimeoutMillis) throws IOException {
        long deadline = System.nanoTime() + Math.max(1, connectTimeoutMillis) * 1_000_000L;
        // gRPC needs HTTP/2, so over TLS the server must agree to h2.
        Socket socket = Sockets.connect(host, port, tls, "h2", connectTimeoutMillis);
        try {
            Http2Connection connection = new Http2Connection(socket, host + ":" + port);
            connection.out.write(PREFACE);
            byte[] settings = new byte[6];
            setting(settings, 0, SETTINGS_ENABLE_PUSH, 0);
            connection.writeFrame(SETTINGS, 0, 0, settings, 0, settings.length);
            connection.out.flush();
            while (!connection.serverSettings) {
                connection.readFrame(deadline);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(socket);
            throw e;
        }
    }

    /** False once the server said it will take no new stream, or closed. */
    @Override
    public boolean usable() {
        return goAwayLastStream < 0 && !socket.isClosed();
    }

    /**
     * Sends one request ({@code headers}, then {@code body} as DATA) and reads its answer, all
     * before {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @throws Unprocessed when the server refused the stream or said, before answering, that it
     *     would not process it (GOAWAY): safe to send again on another connection
     */
    Answer exchange(List<String[]> headers, byte[] body, long deadlineNanos) throws IOException {
        stream = nextStream;
        nextStream += 2;
        streamWindow = initialStreamWindow;
        answer = new Answer();
        try {
            ByteArrayOutputStream block = new ByteArrayOutputStream(256);
            for (String[] header : headers) {
                Hpack.writeLiteral(block, header[0], header[1]);
            }
            // One HEADERS frame: agentmon's few headers fit in the 16 KiB every server takes.
            if (block.size() > DEFAULT_MAX_FRAME) {
                throw new IOException("request headers of " + block.size() + " bytes, over the " + DEFAULT_MAX_FRAME + " sent");
            }
            writeFrame(HEADERS, END_HEADERS | (body.length == 0 ? END_STREAM : 0), stream, block.toByteArray(), 0, block.size());
            int sent = 0;
            while (sent < body.length && !answer.ended) {
                long room = Math.min(Math.min(connectionWindow, streamWindow), Math.min(maxFrame, MAX_SENT_FRAME));
                if (room <= 0) {
                    out.flush();
                    readFrame(deadlineNanos);
                    continue;
                }
                int chunk = (int) Math.min(body.length - sent, room);
                writeFrame(DATA, sent + chunk == body.length ? END_STREAM : 0, stream, body, sent, chunk);
                sent += chunk;
                connectionWindow -= chunk;
                streamWindow -= chunk;
            }
            if (sent < body.length) {
                // Answered before the whole request was sent (an error, as a rule): close the
                // stream from this side too, or the server keeps it open for a body not coming.
                byte[] code = new byte[4];
                putInt(code, 0, CANCEL);
                writeFrame(RST_STREAM, 0, stream, code, 0, 4);
            }
            out.flush();
            while (!answer.ended) {
                readFrame(deadlineNanos);
            }
            return answer;
        } finally {
            answer = null;
            stream = 0;
        }
    }

    /** Reads and handles one frame, waiting for it until the deadline at most. */
    private void readFrame(long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no answer from the server in time");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L)));
        try {
            in.readFully(frameHeader);
        } catch (EOFException e) {
            throw new EOFException("the server closed the connection");
        }
        int length = ((frameHeader[0] & 0xFF) << 16) | ((frameHeader[1] & 0xFF) << 8) | (frameHeader[2] & 0xFF);
        int type = frameHeader[3] & 0xFF;
        int flags = frameHeader[4] & 0xFF;
        int streamId = readInt(frameHeader, 5) & 0x7FFF_FFFF;
        if (!serverSettings) {
            if (type != SETTINGS || (flags & ACK) != 0) {
                throw new IOException("the server at " + peer + " did not answer as an HTTP/2 server, which gRPC needs"
                        + " (is it an OTLP/HTTP port?)");
            }
            serverSettings = true;
        }
        if (length > DEFAULT_MAX_FRAME) {
            throw new IOException("HTTP/2: a frame of " + length + " bytes, over the " + DEFAULT_MAX_FRAME + " agentmon allows");
        }
        in.readFully(payload, 0, length);
        switch (type) {
            case DATA:
                onData(streamId, flags, length);
                break;
            case HEADERS:
                onHeaders(streamId, flags, length, deadlineNanos);
                break;
            case RST_STREAM:
                if (stream != 0 && streamId == stream && length >= 4) {
                    int code = readInt(payload, 0);
                    if (code == REFUSED_STREAM && !answer.heard) {
                        throw new Unprocessed("the server refused the stream");
                    }
                    throw new IOException("HTTP/2: the server reset the stream (error code " + code + ")");
                }
                break;
            case SETTINGS:
                if ((flags & ACK) == 0) {
                    onSettings(length);
                }
                break;
            case PING:
                if ((flags & ACK) == 0 && length == 8) {
                    writeFrame(PING, ACK, 0, payload, 0, 8);
                    out.flush();
                }
                break;
            case GOAWAY:
                onGoAway(length);
                break;
            case WINDOW_UPDATE:
                if (length >= 4) {
                    int increment = readInt(payload, 0) & 0x7FFF_FFFF;
                    if (streamId == 0) {
                        connectionWindow += increment;
                    } else if (stream != 0 && streamId == stream) {
                        streamWindow += increment;
                    }
                }
                break;
            case PUSH_PROMISE:
                throw new IOException("HTTP/2: a server push, which agentmon's settings turned off");
            default:
                break; // PRIORITY, and types this does not know, are ignored (RFC 9113, 4.1)
        }
    }

    private void onData(int streamId, int flags, int length) throws IOException {
        int start = 0;
        int size = length;
        if ((flags & PADDED) != 0) {
            int pad = length > 0 ? payload[0] & 0xFF : 0;
            start = 1;
            size = length - 1 - pad;
            if (size < 0) {
                throw new IOException("HTTP/2: DATA padding longer than its frame");
            }
        }
        boolean ours = stream != 0 && streamId == stream;
        if (length > 0) { // give back what was read, so a long answer never stalls
            writeWindowUpdate(0, length);
            if (ours && (flags & END_STREAM) == 0) {
                writeWindowUpdate(stream, length);
            }
            out.flush();
        }
        if (ours) {
            answer.heard = true;
            answer.addBody(payload, start, size);
            if ((flags & END_STREAM) != 0) {
                answer.ended = true;
            }
        }
    }

    private void onHeaders(int streamId, int flags, int length, long deadlineNanos) throws IOException {
        int start = 0;
        int end = length;
        if ((flags & PADDED) != 0) {
            int pad = length > 0 ? payload[0] & 0xFF : 0;
            start = 1;
            end = length - pad;
        }
        if ((flags & PRIORITY) != 0) {
            start += 5;
        }
        if (start > end) {
            throw new IOException("HTTP/2: a HEADERS frame shorter than its padding and priority");
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream(end - start);
        block.write(payload, start, end - start);
        int headerFlags = flags;
        while ((headerFlags & END_HEADERS) == 0) { // CONTINUATION frames follow, nothing else may come between
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no answer from the server in time");
            }
            in.readFully(frameHeader);
            int continued = ((frameHeader[0] & 0xFF) << 16) | ((frameHeader[1] & 0xFF) << 8) | (frameHeader[2] & 0xFF);
            if ((frameHeader[3] & 0xFF) != CONTINUATION || continued > DEFAULT_MAX_FRAME
                    || block.size() + continued > Hpack.MAX_HEADER_LIST) {
                throw new IOException("HTTP/2: a header block not continued as it must be, or too large");
            }
            headerFlags = frameHeader[4] & 0xFF;
            in.readFully(payload, 0, continued);
            block.write(payload, 0, continued);
        }
        // Every block is decoded, whichever stream it is on: each changes the table the next one reads.
        List<String[]> fields = hpack.decode(block.toByteArray(), 0, block.size());
        if (stream != 0 && streamId == stream) {
            answer.heard = true;
            answer.addHeaders(fields);
            if ((flags & END_STREAM) != 0) {
                answer.ended = true;
            }
        }
    }

    private void onSettings(int length) throws IOException {
        for (int i = 0; i + 6 <= length; i += 6) {
            int id = ((payload[i] & 0xFF) << 8) | (payload[i + 1] & 0xFF);
            int value = readInt(payload, i + 2);
            if (id == SETTINGS_INITIAL_WINDOW_SIZE) {
                if (value < 0) {
                    throw new IOException("HTTP/2: an initial window over 2^31-1");
                }
                streamWindow += (long) value - initialStreamWindow;
                initialStreamWindow = value;
            } else if (id == SETTINGS_MAX_FRAME_SIZE) {
                maxFrame = Math.max(DEFAULT_MAX_FRAME, value);
            }
            // HEADER_TABLE_SIZE bounds a table agentmon never adds to; MAX_CONCURRENT_STREAMS,
            // at least 1 in practice, is more than one request at a time needs.
        }
        writeFrame(SETTINGS, ACK, 0, payload, 0, 0);
        out.flush();
    }

    private void onGoAway(int length) throws IOException {
        int lastStream = length >= 4 ? readInt(payload, 0) & 0x7FFF_FFFF : 0;
        goAwayLastStream = lastStream;
        if (stream > lastStream && answer != null && !answer.heard) {
            throw new Unprocessed("the server is going away and will not process the request");
        }
    }

    private void writeWindowUpdate(int streamId, int increment) throws IOException {
        byte[] value = new byte[4];
        putInt(value, 0, increment);
        writeFrame(WINDOW_UPDATE, 0, streamId, value, 0, 4);
    }

    private void writeFrame(int type, int flags, int streamId, byte[] bytes, int offset, int length) throws IOException {
        byte[] header = new byte[9];
        header[0] = (byte) (length >>> 16);
        header[1] = (byte) (length >>> 8);
        header[2] = (byte) length;
        header[3] = (byte) type;
        header[4] = (byte) flags;
        putInt(header, 5, streamId);
        out.write(header);
        out.write(bytes, offset, length);
    }

    private static void setting(byte[] settings, int offset, int id, int value) {
        settings[offset] = (byte) (id >>> 8);
        settings[offset + 1] = (byte) id;
        putInt(settings, offset + 2, value);
    }

    private static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    @Override
    public void close() {
        Sockets.closeQuietly(socket);
    }

    /** The server's answer to one request: the first header block, the trailers and the body. */
    static final class Answer {
        final Map<String, String> headers = new HashMap<>();
        final Map<String, String> trailers = new HashMap<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private boolean headersSeen;
        boolean heard;
        boolean ended;

        private void addHeaders(List<String[]> fields) {
            Map<String, String> into = headersSeen ? trailers : headers;
            headersSeen = true;
            for (String[] field : fields) {
                into.putIfAbsent(field[0], field[1]);
            }
        }

        private void addBody(byte[] bytes, int offset, int length) {
            int kept = Math.min(length, MAX_BODY - body.size());
            if (kept > 0) {
                body.write(bytes, offset, kept);
            }
        }

        /** The HTTP status, or -1 when the answer had none. */
        int status() {
            try {
                return Integer.parseInt(headers.getOrDefault(":status", "-1"));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** A header of the answer's headers or, failing that, of its trailers. */
        String header(String name) {
            String value = headers.get(name);
            return value != null ? value : trailers.get(name);
        }

        byte[] body() {
            return body.toByteArray();
        }
    }
}

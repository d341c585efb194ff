package io.agentmon.agent.otlp.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The server side of an HTTP/2 connection on loopback, frame by frame, for the tests to script. */
final class Http2Peer implements AutoCloseable {

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;

    static final class Frame {
        final int type;
        final int flags;
        final int stream;
        final byte[] payload;

        Frame(int type, int flags, int stream, byte[] payload) {
            this.type = type;
            this.flags = flags;
            this.stream = stream;
            this.payload = payload;
        }
    }

    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;

    Http2Peer() throws IOException {
        server.setSoTimeout(10_000);
    }

    int port() {
        return server.getLocalPort();
    }

    void accept() throws IOException {
        accept(new byte[0]);
    }

    /** Takes the connection, reads the client's preface and settings, and sends its own settings. */
    void accept(byte[] settings) throws IOException {
        socket = server.accept();
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] preface = new byte[24];
        in.readFully(preface);
        assertEquals("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", new String(preface, StandardCharsets.US_ASCII));
        Frame first = read();
        assertEquals(SETTINGS, first.type, "the client's settings follow its preface");
        assertArrayEquals(setting(2, 0), first.payload, "server push off");
        write(SETTINGS, 0, 0, settings);
    }

    Frame read() throws IOException {
        byte[] header = new byte[9];
        in.readFully(header);
        int length = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        byte[] payload = new byte[length];
        in.readFully(payload);
        int stream = ((header[5] & 0x7F) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8) | (header[8] & 0xFF);
        return new Frame(header[3] & 0xFF, header[4] & 0xFF, stream, payload);
    }

    /** The next frame of {@code type}, past the client's settings ACKs and window updates. */
    Frame until(int type) throws IOException {
        for (int i = 0; i < 100; i++) {
            Frame frame = read();
            if (frame.type == type) {
                return frame;
            }
        }
        throw new AssertionError("no frame of type " + type);
    }

    void write(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = new byte[9];
        header[0] = (byte) (payload.length >>> 16);
        header[1] = (byte) (payload.length >>> 8);
        header[2] = (byte) payload.length;
        header[3] = (byte) type;
        header[4] = (byte) flags;
        System.arraycopy(intBytes(stream), 0, header, 5, 4);
        out.write(header);
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        server.close();
    }

    /** A thread for the client side, which blocks while the test plays the server. */
    static ExecutorService clientThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "http2-client");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Literal header fields, as a header block. */
    static byte[] block(String... namesAndValues) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Hpack.writeLiteral(block, namesAndValues[i], namesAndValues[i + 1]);
        }
        return block.toByteArray();
    }

    static byte[] setting(int id, int value) {
        byte[] setting = new byte[6];
        setting[1] = (byte) id;
        System.arraycopy(intBytes(value), 0, setting, 2, 4);
        return setting;
    }

    static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}

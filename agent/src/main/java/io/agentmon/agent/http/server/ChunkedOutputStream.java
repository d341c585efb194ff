package io.agentmon.agent.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 chunked transfer coding: what is written until a flush (or 8 KiB) becomes one chunk. */
final class ChunkedOutputStream extends OutputStream {

    private static final int MAX_CHUNK = 8 * 1024;

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);

    ChunkedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        pending.write(b);
        if (pending.size() >= MAX_CHUNK) {
            chunk();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        pending.write(bytes, offset, length);
        if (pending.size() >= MAX_CHUNK) {
            chunk(); // bounded: a writer that never flushes still sends
        }
    }

    @Override
    public void flush() throws IOException {
        chunk();
        out.flush();
    }

    private void chunk() throws IOException {
        if (pending.size() > 0) {
            out.write((Integer.toHexString(pending.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            pending.writeTo(out);
            out.write('\r');
            out.write('\n');
            pending.reset();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}

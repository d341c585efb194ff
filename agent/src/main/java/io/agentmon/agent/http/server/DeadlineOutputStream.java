package io.agentmon.agent.http.server;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A stream body's socket output: each write and flush must finish within the write timeout. */
final class DeadlineOutputStream extends FilterOutputStream {

    private final Connection connection;
    private final long timeoutNanos;

    DeadlineOutputStream(OutputStream out, Connection connection, long timeoutNanos) {
        super(out);
        this.connection = connection;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        connection.writeDeadline(timeoutNanos);
        try {
            out.write(bytes, offset, length);
        } finally {
            connection.writeDeadline(Connection.NONE);
        }
    }

    @Override
    public void flush() throws IOException {
        connection.writeDeadline(timeoutNanos);
        try {
            out.flush();
        } finally {
            connection.writeDeadline(Connection.NONE);
        }
    }
}

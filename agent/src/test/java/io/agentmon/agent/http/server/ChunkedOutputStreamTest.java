package io.agentmon.agent.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedOutputStreamTest {

    @Test
    void eachFlushIsAChunkAndCloseEndsTheBody() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ChunkedOutputStream out = new ChunkedOutputStream(wire);
        out.write("hello ".getBytes(StandardCharsets.US_ASCII));
        out.write("world".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        out.flush(); // nothing pending: no empty chunk, which would end the body
        out.close();
        assertEquals("b\r\nhello world\r\n0\r\n\r\n", wire.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aWriterThatNeverFlushesStillSendsInBoundedChunks() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ChunkedOutputStream out = new ChunkedOutputStream(wire);
        for (int i = 0; i < 100; i++) {
            out.write(new byte[1000]);
        }
        assertEquals(true, wire.size() >= 96_000, "sent without a flush: " + wire.size());
    }
}

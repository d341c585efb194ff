package io.agentmon.agent.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadReaderTest {

    private static Request read(String head) throws Exception {
        return RequestHeadReader.read(new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static int status(String head) {
        return assertThrows(HttpError.class, () -> read(head), head).status();
    }

    @Test
    void aPlainGet() throws Exception {
        Request request = read("GET /events?task=a%20b HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\naccept-encoding: gzip\r\n\r\n");
        assertEquals("GET", request.method());
        assertEquals("/events", request.path());
        assertEquals("task=a%20b", request.rawQuery());
        assertEquals("text/plain", request.header("accept"));
        assertEquals("gzip", request.header("Accept-Encoding"));
        assertTrue(request.keepAlive());
    }

    @Test
    void bareLineFeedsAndLeadingEmptyLinesAreTolerated() throws Exception {
        Request request = read("\r\n\nGET /metrics HTTP/1.0\nConnection: keep-alive\n\n");
        assertEquals("/metrics", request.path());
        assertTrue(request.keepAlive());
        assertFalse(read("GET / HTTP/1.0\r\n\r\n").keepAlive(), "HTTP/1.0 closes unless asked");
        assertFalse(read("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepAlive());
    }

    @Test
    void anAbsoluteTargetIsReducedToItsPath() throws Exception {
        Request request = read("GET http://host:9200/metrics?x=1 HTTP/1.1\r\n\r\n");
        assertEquals("/metrics", request.path());
        assertEquals("x=1", request.rawQuery());
        assertEquals("/", read("GET http://host HTTP/1.1\r\n\r\n").path());
    }

    @Test
    void percentEscapesInThePathAreDecoded() throws Exception {
        assertEquals("/metrics", read("GET /%6detrics HTTP/1.1\r\n\r\n").path());
    }

    @Test
    void anEmptyStreamIsNoRequest() throws Exception {
        assertNull(read(""));
    }

    @Test
    void malformedHeadsAre4xx() {
        assertEquals(400, status("GET /\r\n\r\n"));
        assertEquals(400, status("GET  / HTTP/1.1\r\n\r\n"));
        assertEquals(400, status(" GET / HTTP/1.1\r\n\r\n"));
        assertEquals(400, status("GET / FTP/1.1\r\n\r\n"));
        assertEquals(505, status("GET / HTTP/2.0\r\n\r\n"));
        assertEquals(400, status("GET * HTTP/1.1\r\n\r\n"));
        assertEquals(400, status("GET /a b HTTP/1.1\r\n\r\n"));
        assertEquals(400, status("GET /%zz HTTP/1.1\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nno colon\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nA: b\u0001c\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: x\r\n"), "ends inside the head");
        assertEquals(400, status("GET / HTT"), "ends inside the request line");
        assertEquals(400, status("\r\n\r\n\r\n\r\n\r\n\r\n"));
    }

    @Test
    void junkIsRefusedAtItsFirstByte() throws Exception {
        // A TLS ClientHello: 0x16 is not a token character, so nothing after it is waited for.
        InputStream hello = new InputStream() {
            private int position;

            @Override
            public int read() {
                if (position++ == 0) {
                    return 0x16;
                }
                throw new AssertionError("read past the first byte");
            }
        };
        assertEquals(400, assertThrows(HttpError.class, () -> RequestHeadReader.read(hello)).status());
    }

    @Test
    void limits() {
        assertEquals(414, status("GET /" + "a".repeat(RequestHeadReader.MAX_LINE) + " HTTP/1.1\r\n\r\n"));
        assertEquals(400, status("A".repeat(40) + " / HTTP/1.1\r\n\r\n"));
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i <= RequestHeadReader.MAX_HEADERS; i++) {
            many.append("X-").append(i).append(": 1\r\n");
        }
        assertEquals(431, status(many.append("\r\n").toString()));
        String big = "X: " + "b".repeat(7000) + "\r\n";
        assertEquals(431, status("GET / HTTP/1.1\r\n" + big + big + big + "\r\n"), "more than 16 KiB of headers");
        assertEquals(431, status("GET / HTTP/1.1\r\nX: " + "b".repeat(RequestHeadReader.MAX_LINE) + "\r\n\r\n"));
    }

    @Test
    void bodiesAreRefused() throws Exception {
        assertEquals(413, status("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"));
        assertEquals(413, status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertEquals(400, status("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"));
        assertEquals(400, status("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"));
        assertEquals("POST", read("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").method());
    }
}

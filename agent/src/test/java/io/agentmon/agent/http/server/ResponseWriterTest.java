package io.agentmon.agent.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The Date header, formatted once a second, reads as formatting it afresh would. */
class ResponseWriterTest {

    private static String fresh(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
    }

    @Test
    void theDateIsTheSecondsRfc1123Text() {
        long[] instants = {0L, 999L, 1_000L, 1_764_619_199_999L, 1_764_619_200_000L, 1_764_619_200_001L, 4_102_444_800_000L};
        for (long millis : instants) {
            assertEquals(fresh(millis), ResponseWriter.date(millis), "at " + millis);
        }
        assertEquals("Mon, 1 Dec 2025 20:00:00 GMT", ResponseWriter.date(1_764_619_200_000L));
        long now = System.currentTimeMillis() / 1000 * 1000;
        assertSame(ResponseWriter.date(now), ResponseWriter.date(now + 999), "one text per second");
        assertEquals(fresh(now + 1000), ResponseWriter.date(now + 1000));
    }
}

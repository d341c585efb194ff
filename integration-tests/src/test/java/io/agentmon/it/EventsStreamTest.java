package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.sse.EventsStreamFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Json;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /events} against a fixture that works only when told to, so the stream's client is
 * connected before the first event and every count can be exact: the stream's events per task
 * and outcome equal the fixture's own tally and the agent's {@code /metrics} deltas. Then clients
 * that read nothing: they lose events (counted), the worker does not slow down or lose counts,
 * {@code /metrics} still answers, and a fifth stream is refused.
 */
class EventsStreamTest {

    private static final String FIXTURE = EventsStreamFixture.class.getName();
    private static final String T = "EventsStreamFixture.";
    private static final Pattern HEARTBEAT = Pattern.compile(": heartbeat (\\d+) dropped=(\\d+)");
    private static final int ROUNDS = 100;

    @Test
    void aConnectedClientSeesExactlyWhatTheWorkerDidAndAFilterOnlyItsTask() throws Exception {
        try (WorkerProcess fixture = start()) {
            int port = fixture.agentPort();
            fixture.waitFor(30, "the fixture's 'ready' line", () -> fixture.stdout().contains("ready"));
            Scrape before = WorkerProcess.Http.scrape(port);
            try (Stream all = Stream.open(port, "/events"); Stream fails = Stream.open(port, "/events?task=" + T + "fails")) {
                fixture.writeLine("run " + ROUNDS);
                fixture.waitFor(60, "'ran " + ROUNDS + "'", () -> fixture.stdout().contains("ran " + ROUNDS));

                // Every event up to the marker's finish, which the fixture records last.
                List<Frame> events = new ArrayList<>();
                Frame markerFinish = null;
                while (markerFinish == null) {
                    Frame frame = all.next();
                    if (frame.event == null) {
                        continue; // a comment: the greeting or a heartbeat
                    }
                    events.add(frame);
                    if (frame.event.equals("task-finish") && (T + "marker").equals(frame.json.get("task"))) {
                        markerFinish = frame;
                    }
                }
                Scrape after = WorkerProcess.Http.scrape(port);

                Map<String, Integer> seen = tally(events);
                Map<String, Integer> expected = new TreeMap<>();
                for (String task : new String[] {"quick", "fails", "timesOut"}) {
                    expected.put("task-start " + T + task, ROUNDS);
                }
                expected.put("task-finish " + T + "quick success", ROUNDS);
                expected.put("task-finish " + T + "fails failure", ROUNDS);
                expected.put("task-finish " + T + "timesOut timeout", ROUNDS);
                expected.put("timeout " + T + "timesOut exception", ROUNDS);
                expected.put("container-allocated success", ROUNDS);
                expected.put("container-released", ROUNDS);
                expected.put("task-start " + T + "marker", 1);
                expected.put("task-finish " + T + "marker success", 1);
                assertEquals(expected, seen, "every event of the run, nothing else");

                // The same numbers as the agent's own counters moved by.
                for (String[] taskOutcome : new String[][] {{"quick", "success"}, {"fails", "failure"},
                        {"timesOut", "timeout"}, {"marker", "success"}}) {
                    String[] labels = {"task", T + taskOutcome[0], "outcome", taskOutcome[1]};
                    double delta = after.valueOrZero("agentmon_task_duration_seconds_count", labels)
                            - before.valueOrZero("agentmon_task_duration_seconds_count", labels);
                    assertEquals(delta, seen.getOrDefault("task-finish " + T + taskOutcome[0] + " " + taskOutcome[1], 0).doubleValue(),
                            "finish events of " + taskOutcome[0] + " = /metrics delta");
                }
                String[] timeoutLabels = {"task", T + "timesOut", "reason", "exception"};
                assertEquals(after.valueOrZero("agentmon_task_timeouts_total", timeoutLabels)
                        - before.valueOrZero("agentmon_task_timeouts_total", timeoutLabels),
                        seen.getOrDefault("timeout " + T + "timesOut exception", 0).doubleValue());
                assertEquals(after.valueOrZero("agentmon_docker_allocations_total", "outcome", "success")
                        - before.valueOrZero("agentmon_docker_allocations_total", "outcome", "success"),
                        seen.getOrDefault("container-allocated success", 0).doubleValue());
                assertEquals(0, after.value("agentmon_dropped_total", "what", "events")
                        - before.value("agentmon_dropped_total", "what", "events"), "nothing lost");

                // Sequences increase without gaps (nothing dropped); each run's finish follows its start.
                for (int i = 1; i < events.size(); i++) {
                    assertEquals(events.get(i - 1).id + 1, events.get(i).id, "consecutive ids at " + i);
                    assertEquals((double) events.get(i).id, events.get(i).json.get("seq"));
                }
                for (int i = 0; i < events.size(); i++) {
                    Frame frame = events.get(i);
                    if (frame.event.equals("task-finish")) {
                        Frame start = events.get(i - 1);
                        assertEquals("task-start", start.event, "a finish follows its start: " + frame);
                        assertEquals(frame.json.get("task"), start.json.get("task"));
                        assertEquals(frame.json.get("thread"), start.json.get("thread"));
                        assertTrue((Double) frame.json.get("durationSeconds") >= 0, frame.toString());
                    }
                    if (frame.event.equals("container-allocated")) {
                        assertEquals(0.5, frame.json.get("cpus"), frame.toString());
                        assertEquals((double) (1L << 20), frame.json.get("memoryBytes"), frame.toString());
                        assertTrue(frame.json.containsKey("container"), frame.toString());
                    }
                    assertTrue(((String) frame.json.get("time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), frame.toString());
                }

                // The filtered stream, read up to a heartbeat sent after the drainer passed the marker.
                List<Frame> failEvents = new ArrayList<>();
                while (true) {
                    Frame frame = fails.next();
                    if (frame.event != null) {
                        failEvents.add(frame);
                        continue;
                    }
                    Matcher heartbeat = HEARTBEAT.matcher(frame.comment);
                    if (heartbeat.matches() && Long.parseLong(heartbeat.group(1)) > markerFinish.id) {
                        assertEquals("0", heartbeat.group(2), "the filtered client lost nothing");
                        break;
                    }
                }
                Map<String, Integer> failsExpected = new TreeMap<>();
                failsExpected.put("task-start " + T + "fails", ROUNDS);
                failsExpected.put("task-finish " + T + "fails failure", ROUNDS);
                assertEquals(failsExpected, tally(failEvents), "?task= shows that task only");
            }
        }
    }

    @Test
    void clientsThatReadNothingLoseCountedEventsAndHoldBackNeitherWorkerNorMetrics() throws Exception {
        try (WorkerProcess fixture = start()) {
            int port = fixture.agentPort();
            fixture.waitFor(30, "the fixture's 'ready' line", () -> fixture.stdout().contains("ready"));
            List<Socket> stuck = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    stuck.add(stuckClient(port));
                }
                // A fifth stream is refused; scrapes are still served, by the endpoint's own threads.
                HttpURLConnection fifth = connect(port, "/events");
                assertEquals(503, fifth.getResponseCode());
                assertNotNull(fifth.getHeaderField("Retry-After"));
                fifth.disconnect();
                assertEquals(200, WorkerProcess.Http.get(port, "/health", null).status);
                Scrape before = WorkerProcess.Http.scrape(port);

                int each = 200_000;
                fixture.writeLine("flood " + each);
                fixture.waitFor(120, "'flooded'", () -> fixture.stdout().contains("flooded"));
                Matcher flooded = Pattern.compile("flooded (\\d+)").matcher(fixture.stdout());
                assertTrue(flooded.find());
                assertEquals(2L * each, Long.parseLong(flooded.group(1)));

                Scrape after = WorkerProcess.Http.scrape(port);
                String[] quick = {"task", T + "quick", "outcome", "success"};
                assertEquals(2.0 * each, after.value("agentmon_task_duration_seconds_count", quick)
                        - before.valueOrZero("agentmon_task_duration_seconds_count", quick), "every run counted");
                double dropped = after.value("agentmon_dropped_total", "what", "events")
                        - before.value("agentmon_dropped_total", "what", "events");
                // 800,000 events, none read: each is dropped at the ring (counted once) or reaches the
                // four clients, each of which can hold only its queue and its socket buffers (well
                // under 50,000 frames) and loses (counts) the rest.
                assertTrue(dropped >= 2.0 * 2 * each - 4 * 50_000, "dropped " + dropped);
            } finally {
                for (Socket socket : stuck) {
                    socket.close();
                }
            }

            // The stuck clients are gone once their writers notice; then a new stream is served and works.
            Stream again = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (again == null) {
                HttpURLConnection connection = connect(port, "/events?task=" + T + "marker");
                if (connection.getResponseCode() == 200) {
                    again = new Stream(connection);
                } else {
                    assertEquals(503, connection.getResponseCode());
                    connection.disconnect();
                    assertTrue(System.nanoTime() < deadline, "the closed clients were never removed");
                    Thread.sleep(200);
                }
            }
            try (Stream stream = again) {
                fixture.writeLine("run 1");
                Frame frame;
                do {
                    frame = stream.next();
                } while (frame.event == null);
                assertEquals("task-start", frame.event, frame.toString());
                assertEquals(T + "marker", frame.json.get("task"));
            }
        }
    }

    // ------------------------------------------------------------ helpers

    private static WorkerProcess start() throws IOException {
        return WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", FIXTURE + "#quick," + FIXTURE + "#fails," + FIXTURE + "#timesOut,"
                        + FIXTURE + "#marker")
                .property("agentmon.docker", FIXTURE + "#allocate")
                .property("agentmon.docker.cpu", "arg0")
                .property("agentmon.docker.memory", "arg1")
                .property("agentmon.docker.release", FIXTURE + "#release")
                .fixture(EventsStreamFixture.class, Collections.emptyList())
                .start();
    }

    /** "event task outcome-or-reason" for every event, counted. */
    private static Map<String, Integer> tally(List<Frame> events) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Frame frame : events) {
            StringBuilder key = new StringBuilder(frame.event);
            if (frame.json.get("task") != null) {
                key.append(' ').append(frame.json.get("task"));
            }
            Object detail = frame.json.containsKey("reason") ? frame.json.get("reason") : frame.json.get("outcome");
            if (detail != null) {
                key.append(' ').append(detail);
            }
            counts.merge(key.toString(), 1, Integer::sum);
        }
        return counts;
    }

    private static HttpURLConnection connect(int port, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(15_000); // longer than a heartbeat: a silent stream is a failure
        return connection;
    }

    /**
     * A client that sends its request, reads the response head (so it is surely registered),
     * then reads nothing more, with a small receive buffer so the server's writes back up soon.
     */
    private static Socket stuckClient(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "response head: " + head);
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
        assertTrue(head.toString().toLowerCase().contains("content-type: text/event-stream"), head.toString());
        return socket;
    }

    /** One SSE frame: an event (id, name, JSON data) or a comment line. */
    private static final class Frame {
        long id = -1;
        String event;
        Map<String, Object> json;
        String comment;

        @Override
        public String toString() {
            return event == null ? comment : "id " + id + " " + event + " " + json;
        }
    }

    /** A {@code GET /events} response read frame by frame. */
    private static final class Stream implements AutoCloseable {
        private final HttpURLConnection connection;
        private final BufferedReader reader;

        Stream(HttpURLConnection connection) throws IOException {
            this.connection = connection;
            assertEquals(200, connection.getResponseCode());
            assertTrue(connection.getContentType().startsWith("text/event-stream"), connection.getContentType());
            assertEquals("no-cache", connection.getHeaderField("Cache-Control"));
            this.reader = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
        }

        static Stream open(int port, String path) throws IOException {
            return new Stream(connect(port, path));
        }

        @SuppressWarnings("unchecked")
        Frame next() throws IOException {
            Frame frame = new Frame();
            String data = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (frame.event == null && frame.comment == null) {
                        continue;
                    }
                    if (frame.event != null) {
                        assertNotNull(data, "an event has data: " + frame);
                        frame.json = (Map<String, Object>) Json.parse(data);
                    }
                    return frame;
                } else if (line.startsWith(":")) {
                    frame.comment = line;
                } else if (line.startsWith("id: ")) {
                    frame.id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    frame.event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    assertNull(data, "one data line per event");
                    data = line.substring(6);
                } else {
                    throw new AssertionError("not an SSE line: " + line);
                }
            }
            throw new AssertionError("the stream ended");
        }

        @Override
        public void close() {
            connection.disconnect();
        }
    }
}

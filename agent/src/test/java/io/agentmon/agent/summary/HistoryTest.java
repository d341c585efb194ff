package io.agentmon.agent.summary;

import static io.agentmon.agent.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.metrics.PoolNames;
import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The summary's rings and its JSON, from readings of real recorders whose clock is set by the
 * test: rates and windows are exact, whatever the machine's speed.
 */
class HistoryTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = 1_000_000L;
    private static final PoolNames NO_OVERRIDES = new PoolNames(Map.of());

    /** A reading of everything now, stamped {@code seconds} after {@code base}. */
    private static Reading at(long base, int seconds) {
        Reading reading = Reading.take(NO_OVERRIDES, false);
        reading.nanos = base + seconds * SECOND;
        reading.timeMillis = 1_000_000 + seconds * 1000L;
        return reading;
    }

    /** Samples at 0 and 5 s, with 10 successes, 2 failures and a timeout of {@code task} between them. */
    private static History twoSamples(String task, long base) {
        int id = TaskRecorders.registerTask(task, TaskRecorder.NO_DEADLINE);
        History history = new History();
        history.add(at(base, 0));
        run(id, 2 * MS, null, 10);
        run(id, 2 * MS, new IllegalStateException(), 2);
        run(id, 2 * MS, new TimeoutException(), 1);
        history.add(at(base, 5));
        return history;
    }

    @Test
    void ratesPerIntervalAndQuantilesGoIntoTheRings() {
        String task = "history.rates";
        History history = twoSamples(task, System.nanoTime());

        History.TaskSeries series = history.tasks.get(task);
        assertNotNull(series);
        int slot = History.slot(1);
        assertEquals(2.0f, series.runs[Outcome.SUCCESS][slot]);
        assertEquals(0.4f, series.runs[Outcome.FAILURE][slot]);
        assertEquals(0.2f, series.runs[Outcome.TIMEOUT][slot]);
        assertEquals(0.2f, series.timeouts[slot], "the TimeoutException is the one timeout");
        assertTrue(Float.isNaN(series.runs[Outcome.SUCCESS][History.slot(0)]), "no rate before a second sample");
        assertTrue(series.p50[slot] >= 0.002f, "p50 of 2 ms runs: " + series.p50[slot]);
        assertTrue(series.p50[slot] <= series.p95[slot] && series.p95[slot] <= series.p99[slot]);
        assertEquals(0f, series.inFlight[slot]);
    }

    @Test
    void theJsonHasTotalsMinuteRatesAndTheRings() {
        String task = "history.json";
        long base = System.nanoTime();
        History history = twoSamples(task, base);

        String json = SummaryJson.render(new WorkerIdentity("svc", "0-test"), at(base, 60), history);
        String mine = json.substring(json.indexOf("{\"task\":\"" + task + "\""));
        assertTrue(mine.startsWith("{\"task\":\"history.json\",\"total\":{\"success\":10,\"failure\":2,\"timeout\":1}"
                + ",\"windowSeconds\":60,\"runsPerSecond\":{\"success\":0.166667,\"failure\":0.0333333,\"timeout\":0.0166667}"
                + ",\"windowBeforeSeconds\":null,\"runsPerSecondBefore\":null,\"p50\":"), mine);
        assertTrue(mine.contains(",\"inFlight\":0,\"stuck\":0,\"timeoutsTotal\":1,\"timeoutsPerSecond\":0.0166667}"), mine);
        assertTrue(json.startsWith("{\"time\":1060000,\"intervalSeconds\":5,\"worker\":{\"service\":\"svc\",\"host\":"), json);
        assertTrue(json.contains(",\"pid\":" + ProcessHandle.current().pid() + ",\"version\":\"0-test\",\"javaVersion\":\""
                + System.getProperty("java.version") + "\",\"startTime\":"), json);
        assertTrue(json.contains("},\"tasks\":["), json);
        assertTrue(json.contains(",\"jvm\":{\"heapUsedBytes\":"), json);
        String rings = json.substring(json.indexOf("\"history\":"));
        assertTrue(rings.startsWith("\"history\":{\"intervalSeconds\":5,\"capacity\":180,\"times\":[1000000,1005000],"), rings);
        assertTrue(rings.contains("\"history.json\":{\"success\":[null,2],\"failure\":[null,0.4],\"timeout\":[null,0.2],\"p50\":[null,"),
                rings);
    }

    @Test
    void aTaskSeenOnlyLaterStartsItsRingsWithGaps() {
        History history = new History();
        long base = System.nanoTime();
        history.add(at(base, 0));
        String task = "history.later";
        int id = TaskRecorders.registerTask(task, TaskRecorder.NO_DEADLINE);
        run(id, MS, null, 4);
        history.add(at(base, 5));
        history.add(at(base, 10));
        History.TaskSeries series = history.tasks.get(task);
        assertTrue(Float.isNaN(series.runs[Outcome.SUCCESS][History.slot(0)]), "not there in the first sample");
        assertTrue(Float.isNaN(series.runs[Outcome.SUCCESS][History.slot(1)]), "first seen: no rate yet");
        assertEquals(0f, series.runs[Outcome.SUCCESS][History.slot(2)], "nothing ran since");
    }

    @Test
    void theRingsHoldFifteenMinutes() {
        History history = new History();
        long base = System.nanoTime();
        for (int n = 0; n < History.CAPACITY + 3; n++) {
            history.add(at(base, 5 * n));
        }
        String json = SummaryJson.render(new WorkerIdentity("svc", "0-test"), at(base, 5 * (History.CAPACITY + 3)), history);
        String times = json.substring(json.indexOf("\"times\":[") + 9, json.indexOf(']', json.indexOf("\"times\":[")));
        assertEquals(History.CAPACITY, times.split(",").length);
        assertTrue(times.startsWith("1015000,"), "the three oldest are gone: " + times.substring(0, 20));
    }

    @Test
    void numbersHaveSixSignificantDigitsAndNoNaN() {
        assertEquals("null", SummaryJson.number(Double.NaN));
        assertEquals("null", SummaryJson.number(Double.POSITIVE_INFINITY));
        assertEquals("3", SummaryJson.number(3.0));
        assertEquals("0.333333", SummaryJson.number(1 / 3.0));
        assertEquals("1234570", SummaryJson.number(1234567.4));
    }
}

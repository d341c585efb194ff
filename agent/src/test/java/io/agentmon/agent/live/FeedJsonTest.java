package io.agentmon.agent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.bootstrap.LiveFeed;
import io.agentmon.bootstrap.Outcome;
import org.junit.jupiter.api.Test;

/** Every event kind as the Server-Sent Events frame the README's endpoint table describes. */
class FeedJsonTest {

    /** 2024-05-01T12:00:00.250Z */
    private static final long MILLIS = 1_714_564_800_250L;
    private static final String HEAD = "\"time\":\"2024-05-01T12:00:00.250Z\",\"thread\":42";

    private static LiveFeed.Event event(long sequence, int kind, int outcome, long durationNanos) {
        LiveFeed.Event event = new LiveFeed.Event();
        event.sequence = sequence;
        event.kind = kind;
        event.outcome = outcome;
        event.durationNanos = durationNanos;
        event.threadId = 42;
        event.epochMillis = MILLIS;
        return event;
    }

    private static String frame(long sequence, String name, String data) {
        return "id: " + sequence + "\nevent: " + name + "\ndata: {\"seq\":" + sequence + "," + HEAD + data + "}\n\n";
    }

    @Test
    void taskStart() {
        assertEquals(frame(0, "task-start", ",\"task\":\"Ingest.run\""),
                FeedJson.frame(event(0, LiveFeed.TASK_START, Outcome.SUCCESS, 0), "Ingest.run"));
    }

    @Test
    void taskFinishForEachOutcome() {
        assertEquals(frame(1, "task-finish", ",\"task\":\"Ingest.run\",\"outcome\":\"success\",\"durationSeconds\":0.001500000"),
                FeedJson.frame(event(1, LiveFeed.TASK_FINISH, Outcome.SUCCESS, 1_500_000), "Ingest.run"));
        assertEquals(frame(2, "task-finish", ",\"task\":\"Ingest.run\",\"outcome\":\"failure\",\"durationSeconds\":2.000000001"),
                FeedJson.frame(event(2, LiveFeed.TASK_FINISH, Outcome.FAILURE, 2_000_000_001L), "Ingest.run"));
        assertEquals(frame(3, "task-finish", ",\"task\":\"Ingest.run\",\"outcome\":\"timeout\",\"durationSeconds\":0.000000007"),
                FeedJson.frame(event(3, LiveFeed.TASK_FINISH, Outcome.TIMEOUT, 7), "Ingest.run"));
    }

    @Test
    void timeoutsCarryADurationOnlyForAnExceptionOrAMissedDeadline() {
        assertEquals(frame(4, "timeout", ",\"task\":\"T\",\"reason\":\"exception\",\"durationSeconds\":1.000000000"),
                FeedJson.frame(event(4, LiveFeed.TIMEOUT, LiveFeed.REASON_EXCEPTION, 1_000_000_000), "T"));
        assertEquals(frame(5, "timeout", ",\"task\":\"T\",\"reason\":\"deadline\",\"durationSeconds\":0.045000000"),
                FeedJson.frame(event(5, LiveFeed.TIMEOUT, LiveFeed.REASON_DEADLINE, 45_000_000), "T"));
        assertEquals(frame(6, "timeout", ",\"task\":\"T\",\"reason\":\"handler\""),
                FeedJson.frame(event(6, LiveFeed.TIMEOUT, LiveFeed.REASON_HANDLER, 99), "T"));
        assertEquals(frame(7, "timeout", ",\"task\":\"T\",\"reason\":\"future\""),
                FeedJson.frame(event(7, LiveFeed.TIMEOUT, LiveFeed.REASON_FUTURE, 99), "T"));
    }

    @Test
    void containerAllocatedWithAndWithoutAnId() {
        LiveFeed.Event allocated = event(8, LiveFeed.CONTAINER_ALLOCATED, Outcome.SUCCESS, 250_000_000);
        allocated.cpus = 1.5;
        allocated.memoryBytes = 268_435_456;
        allocated.container = "3f2a9c";
        assertEquals(frame(8, "container-allocated",
                ",\"outcome\":\"success\",\"durationSeconds\":0.250000000,\"cpus\":1.5,\"memoryBytes\":268435456,\"container\":\"3f2a9c\""),
                FeedJson.frame(allocated, null));
        LiveFeed.Event failed = event(9, LiveFeed.CONTAINER_ALLOCATED, Outcome.FAILURE, 0);
        assertEquals(frame(9, "container-allocated",
                ",\"outcome\":\"failure\",\"durationSeconds\":0.000000000,\"cpus\":0.0,\"memoryBytes\":0,\"container\":null"),
                FeedJson.frame(failed, null), "an allocation method's own return value is no id: null");
    }

    @Test
    void containerLifecycleEventsCarryOnlyTheContainer() {
        int[] kinds = {LiveFeed.CONTAINER_STARTED, LiveFeed.CONTAINER_STOPPED, LiveFeed.CONTAINER_RELEASED};
        String[] names = {"container-started", "container-stopped", "container-released"};
        for (int i = 0; i < kinds.length; i++) {
            LiveFeed.Event event = event(10 + i, kinds[i], Outcome.SUCCESS, 5);
            event.container = "c-" + i;
            assertEquals(frame(10 + i, names[i], ",\"container\":\"c-" + i + "\""), FeedJson.frame(event, null));
        }
    }

    @Test
    void anUnknownKindIsNamedUnknownWithTheCommonFieldsOnly() {
        assertEquals(frame(20, "unknown", ""), FeedJson.frame(event(20, 99, Outcome.SUCCESS, 5), null));
    }

    /** A task label or container id is the worker's text: it must not end the data line or the JSON string. */
    @Test
    void textIsEscapedSoOneEventStaysOneDataLine() {
        assertEquals("\"a\\\"b\\\\c\"", FeedJson.string("a\"b\\c"));
        assertEquals("\"line\\u000anext\\u000dend\\u0000\"", FeedJson.string("line\nnext\rend\u0000"));
        assertEquals("\"\\u2028\\u2029\"", FeedJson.string("\u2028\u2029"), "JavaScript line terminators");
        assertEquals("\"é ünïcode ✓\"", FeedJson.string("é ünïcode ✓"), "other characters as they are");
        String frame = FeedJson.frame(event(21, LiveFeed.TASK_START, Outcome.SUCCESS, 0), "evil\n\ndata: {}");
        assertEquals(frame(21, "task-start", ",\"task\":\"evil\\u000a\\u000adata: {}\""), frame);
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.events.EventsFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Events counted per call, with values read from an argument, a getter chain, a field and a return value. */
class EventsTest {

    private static final String F = EventsFixture.class.getName();

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void eventsAndTheirValuesEqualTheFixturesOwnTotals(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("events").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.events.task_split", F + "#split")
                .property("agentmon.events.task_split.value", "arg1")
                .property("agentmon.events.chunk_merged", F + "#merge")
                .property("agentmon.events.chunk_merged.value", "arg0.size")
                .property("agentmon.events.duplicate_removed", F + "#removeDuplicates")
                .property("agentmon.events.duplicate_removed.value", "return")
                .property("agentmon.events.cores_requested", F + "#request")
                .property("agentmon.events.cores_requested.value", "arg0.spec.cores")
                .property("agentmon.events.described", F + "#describe")
                .property("agentmon.events.described.value", "arg0")
                .fixture(EventsFixture.class, Collections.emptyList(), tallyFile.toString())
                .start()) {
            int port = fixture.agentPort();
            Properties tally = fixture.awaitProperties(tallyFile, 60);
            Scrape scrape = WorkerProcess.Http.scrape(port);

            assertEvent(scrape, "task_split", count(tally, "split.calls"), count(tally, "split.calls"), count(tally, "split.parts"));
            assertEvent(scrape, "chunk_merged", count(tally, "merge.calls"), count(tally, "merge.calls"), count(tally, "merge.chunks"));
            assertEvent(scrape, "duplicate_removed", count(tally, "dedup.calls"), count(tally, "dedup.calls"), count(tally, "dedup.removed"));
            // A request without a spec is still counted; only its value is missing.
            assertEvent(scrape, "cores_requested", count(tally, "request.calls"), count(tally, "request.withSpec"),
                    count(tally, "request.cores"));
            assertEquals(count(tally, "describe.calls"), scrape.value("agentmon_events_total", "event", "described"));
            assertTrue(scrape.find("agentmon_event_value_count", "event", "described").isEmpty(), "a String is no value");
            assertTrue(fixture.stderr().contains("agentmon.events.described.value") && fixture.stderr().contains("not a number"),
                    "the bad value spec is reported: " + fixture.stderr());
            // The fixture's own totals, so a fixture that stopped calling things cannot pass.
            assertEquals(55, count(tally, "split.parts"));
            assertEquals(14, count(tally, "merge.chunks"));
            assertEquals(30, count(tally, "dedup.removed"));
            assertEquals(4, count(tally, "request.withSpec"));
            assertEquals(12, count(tally, "request.cores"));
        }
    }

    /**
     * Values read straight from an argument or the return value are agentmon's own weaver's: no
     * Byte Buddy is built, and the figures are the same. A value it cannot read (a String) sends
     * that class back to Byte Buddy, which counts it and says why the value is missing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void directValuesNeedNoByteBuddyAndAnUnreadableOneFallsBackToIt(Path java) throws Exception {
        for (boolean unreadable : new boolean[] {false, true}) {
            Path dir = Files.createTempDirectory("events");
            Path tallyFile = dir.resolve("tally.properties");
            Path classLog = dir.resolve("classes.log");
            WorkerProcess.Builder builder = WorkerProcess.builder(java)
                    .onLoopback()
                    .jvmArg("-Xlog:class+load:file=" + classLog)
                    .property("agentmon.events.task_split", F + "#split")
                    .property("agentmon.events.task_split.value", "arg1")
                    .property("agentmon.events.duplicate_removed", F + "#removeDuplicates")
                    .property("agentmon.events.duplicate_removed.value", "return");
            if (unreadable) {
                builder.property("agentmon.events.described", F + "#describe").property("agentmon.events.described.value", "arg0");
            }
            try (WorkerProcess fixture = builder.fixture(EventsFixture.class, Collections.emptyList(), tallyFile.toString()).start()) {
                int port = fixture.agentPort();
                Properties tally = fixture.awaitProperties(tallyFile, 60);
                Scrape scrape = WorkerProcess.Http.scrape(port);
                assertEvent(scrape, "task_split", count(tally, "split.calls"), count(tally, "split.calls"), count(tally, "split.parts"));
                assertEvent(scrape, "duplicate_removed", count(tally, "dedup.calls"), count(tally, "dedup.calls"),
                        count(tally, "dedup.removed"));
                assertEquals(55, count(tally, "split.parts"));
                assertEquals(30, count(tally, "dedup.removed"));
                boolean built = Files.readString(classLog).contains(WeaverChoiceTest.BYTE_BUDDY_BUILT);
                if (unreadable) {
                    assertTrue(built, "a String value is Byte Buddy's to refuse");
                    assertEquals(count(tally, "describe.calls"), scrape.value("agentmon_events_total", "event", "described"));
                    assertTrue(scrape.find("agentmon_event_value_count", "event", "described").isEmpty(), "a String is no value");
                    assertTrue(fixture.stderr().contains("agentmon.events.described.value") && fixture.stderr().contains("not a number"),
                            "the bad value spec is reported: " + fixture.stderr());
                } else {
                    assertFalse(built, "Byte Buddy was built for events whose values are an argument and a return");
                }
            }
        }
    }

    private static void assertEvent(Scrape scrape, String event, long calls, long values, long sum) {
        assertEquals(calls, scrape.value("agentmon_events_total", "event", event), event + " calls");
        assertEquals(values, scrape.value("agentmon_event_value_count", "event", event), event + " values");
        assertEquals(sum, scrape.value("agentmon_event_value_sum", "event", event), event + " sum");
    }

    private static long count(Properties tally, String key) {
        return Long.parseLong(tally.getProperty(key));
    }
}

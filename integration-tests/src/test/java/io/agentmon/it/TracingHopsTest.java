package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.agentmon.it.fixtures.hops.HopsWorker;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.OtlpReceiver.ReceivedSpan;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which hand-overs to another thread carry the parent, as the README's "Parents" says: a thread
 * pool's submit and execute, a scheduled pool's schedule and submit, CompletableFuture's async
 * tasks on the default executor and on a pool, a periodic task's first run; not a thread
 * started by hand, nor a periodic task's later runs.
 */
class TracingHopsTest {

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void eachHandOverCarriesItsParentOrNot(Path java) throws Exception {
        String worker = HopsWorker.class.getName();
        try (OtlpReceiver receiver = OtlpReceiver.start();
                WorkerProcess process = WorkerProcess.builder(java)
                        .onLoopback()
                        .property("agentmon.tasks", worker + "#parent," + worker + "#via*")
                        .property("otel.exporter.otlp.endpoint", receiver.grpcEndpoint())
                        .property("otel.exporter.otlp.protocol", "grpc")
                        .fixture(HopsWorker.class, Collections.emptyList())
                        .start()) {
            process.waitFor(60, "the worker's 'done' line", () -> process.stdout().contains("done"));
            List<ReceivedSpan> spans = receiver.awaitSpans(1 + 7 + 3, 30);
            WorkerProcess.Http.pause(300); // nothing more may come
            spans = receiver.spans();
            assertEquals(11, spans.size(), spans.toString());

            ReceivedSpan parent = TracingTest.named(spans, "HopsWorker.parent").get(0);
            assertEquals("", parent.parentSpanId());
            Map<String, List<String>> links = new TreeMap<>();
            for (ReceivedSpan span : spans) {
                if (span == parent) {
                    continue;
                }
                String link = span.parentSpanId().equals(parent.spanId()) ? "parent"
                        : span.parentSpanId().isEmpty() ? "root" : "other";
                if (link.equals("parent")) {
                    assertEquals(parent.traceId(), span.traceId());
                    assertNotEquals(parent.attributes().get("thread.name"), span.attributes().get("thread.name"),
                            "another thread: " + span);
                }
                links.computeIfAbsent(span.name().replace("HopsWorker.", ""), k -> new ArrayList<>()).add(link);
            }
            Map<String, List<String>> expected = new TreeMap<>();
            for (String way : new String[] {"viaPoolSubmit", "viaPoolExecute", "viaSchedule", "viaSchedulerSubmit",
                "viaAsyncDefault", "viaAsyncPool"}) {
                expected.put(way, List.of("parent"));
            }
            expected.put("viaThread", List.of("root"));
            expected.put("viaPeriodic", List.of("parent", "root", "root"));
            assertEquals(expected, links);
            process.writeLine("exit");
        }
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.otel.IncomingRequestWorker;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.LibraryJars;
import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.OtlpReceiver.ReceivedSpan;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A worker that already speaks W3C trace context through its own OpenTelemetry API: agentmon's
 * task spans continue the traces the worker made current, follow their sampled flag (the
 * default sampler is parent-based), and start their own trace where there is none.
 */
class TracingContinuationTest {

    private static final int REQUESTS = 30;

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void taskSpansContinueTheWorkersIncomingTraceparent(Path java) throws Exception {
        List<Path> classpath = Arrays.asList(LibraryJars.of("worker.otel.api.jar"), LibraryJars.of("worker.otel.context.jar"),
                LibraryJars.of("worker.otel.common.jar"));
        try (OtlpReceiver receiver = OtlpReceiver.start();
                WorkerProcess worker = WorkerProcess.builder(java)
                        .onLoopback()
                        .property("agentmon.tasks", IncomingRequestWorker.class.getName() + "#handle")
                        .property("otel.exporter.otlp.endpoint", receiver.httpEndpoint()) // implies otlp traces
                        .property("otel.exporter.otlp.compression", "gzip") // the receiver inflates it
                        .fixture(IncomingRequestWorker.class, classpath, String.valueOf(REQUESTS))
                        .start()) {
            worker.waitFor(60, "the worker to finish its requests", () -> worker.stdout().contains("done"));
            List<String[]> requests = new ArrayList<>();
            for (String line : worker.stdout().split("\n")) {
                if (line.startsWith("request ")) {
                    requests.add(line.trim().split(" "));
                }
            }
            assertEquals(REQUESTS, requests.size(), worker.stdout());
            long exported = requests.stream().filter(r -> !r[2].equals("unsampled")).count();
            List<ReceivedSpan> spans = receiver.awaitSpans((int) exported, 60);
            WorkerProcess.Http.pause(300); // nothing more may come: an unsampled span would fail below
            spans = receiver.spans();
            assertEquals(exported, spans.size(), "sampled and header-less requests only: " + spans);
            assertTrue(receiver.gzippedRequests() > 0, "otel.exporter.otlp.compression=gzip was honoured");

            Map<String, ReceivedSpan> byTrace = spans.stream().collect(Collectors.toMap(ReceivedSpan::traceId, s -> s));
            for (String[] request : requests) {
                if (request[2].equals("none")) {
                    continue;
                }
                String[] parts = request[3].split("-");
                ReceivedSpan span = byTrace.get(parts[1]);
                if (request[2].equals("unsampled")) {
                    assertEquals(null, span, "an unsampled incoming trace stays unsampled");
                    continue;
                }
                assertTrue(span != null, "a span in the incoming trace " + parts[1] + ": " + spans);
                assertEquals(parts[2], span.parentSpanId(), "its parent is the incoming span");
                assertTrue((span.proto().getFlags() & 0x300) == 0x300, "the parent is marked remote: " + span.proto().getFlags());
            }
            long roots = spans.stream().filter(s -> s.parentSpanId().isEmpty()).count();
            assertEquals(requests.stream().filter(r -> r[2].equals("none")).count(), roots,
                    "a request without a header starts its own trace");
            worker.writeLine("exit");
        }
    }
}

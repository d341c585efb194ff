package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The collector goes away in the middle of a run (its ports closed, or answering "unavailable")
 * and comes back: the worker's jobs keep their pace and its metrics stay exact, the spans that
 * could not be sent are counted as dropped, and spans flow again once the collector is back.
 * Every span is accounted for: exported + dropped = runs.
 */
class TracingOutageTest {

    private static final int JOBS = 4000;
    private static final String RATE = "150";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"grpc, closed", "http/protobuf, refusing"})
    void aDeadCollectorCostsSpansNotWork(String protocol, String outage) throws Exception {
        Path tallyFile = dir.resolve("tally.properties");
        try (OtlpReceiver receiver = OtlpReceiver.start();
                WorkerProcess worker = TracingTest.tracedWorker(Jdks.current(), receiver, protocol)
                        // Both outages fail fast (refused connection, 503), so the timeout only has to
                        // outlast a slow answer: with 1 s, a batch the receiver took but answered late on a
                        // loaded machine counted as dropped, and the accepted/exported check failed.
                        .property("otel.exporter.otlp.timeout", "10000")
                        .sampleWorker("--jobs", String.valueOf(JOBS), "--rate", RATE, "--threads", "4",
                                "--tally", tallyFile.toString(), "--hold-seconds", "60")
                        .start()) {
            int port = worker.agentPort();
            receiver.awaitSpans(200, 60);

            long before = jobsFinished(port);
            long outageStart = System.nanoTime();
            if (outage.equals("closed")) {
                receiver.stop();
            } else {
                receiver.setAvailable(false);
            }
            worker.waitFor(60, "spans counted as dropped", () -> scrape(port).value("agentmon_dropped_total", "what", "spans") > 0);
            WorkerProcess.Http.pause(3000); // a few more seconds of outage
            double outageSeconds = (System.nanoTime() - outageStart) / 1e9;
            long duringOutage = jobsFinished(port) - before;
            int receivedBefore = receiver.spans().size();
            if (outage.equals("closed")) {
                receiver.restart();
            } else {
                receiver.setAvailable(true);
            }
            worker.waitFor(60, "spans flowing again", () -> receiver.spans().size() > receivedBefore + 100);

            Properties tally = worker.awaitProperties(tallyFile, 180);
            // The worker's own numbers, unaffected: every job counted exactly.
            Scrape scrape = scrape(port);
            long spansOffered = 0;
            for (String kind : TracingTest.KINDS) {
                for (String outcome : TracingTest.OUTCOMES) {
                    long expected = TracingTest.count(tally, kind + "." + outcome + ".count");
                    assertEquals(expected, scrape.value("agentmon_task_duration_seconds_count",
                            "task", kind + ".execute", "outcome", outcome), kind + " " + outcome);
                    spansOffered += expected;
                }
            }
            spansOffered += scrape.sum("agentmon_task_duration_seconds_count", "task", "checksum")
                    + scrape.sum("agentmon_task_duration_seconds_count", "task", "answer")
                    + TracingTest.count(tally, "containers.allocated") + TracingTest.count(tally, "containers.failed");
            assertEquals(JOBS, Long.parseLong(tally.getProperty("total.count")));
            // ... at their pace: the producer's rate held while the collector was away.
            double rate = Double.parseDouble(RATE);
            assertTrue(duringOutage >= 0.5 * rate * outageSeconds, duringOutage + " jobs in " + outageSeconds
                    + " s of outage, at " + RATE + "/s asked");

            // Every span accounted for, once the exporter has caught up.
            long offered = spansOffered;
            worker.waitFor(60, "exported + dropped = runs", () -> {
                Scrape now = scrape(port);
                return now.value("agentmon_spans_exported_total") + now.value("agentmon_dropped_total", "what", "spans") == offered;
            });
            Scrape end = scrape(port);
            assertEquals(receiver.spans().size(), end.value("agentmon_spans_exported_total"),
                    "what the collector accepted is what the agent counts as exported");
            assertTrue(worker.stderr().contains("agentmon: span export to "), "the failure is reported: " + worker.stderr());
            assertTrue(worker.stderr().contains("works again"), worker.stderr());
            System.out.println("TracingOutageTest " + protocol + " " + outage + ": " + (long) end.value("agentmon_spans_exported_total")
                    + " spans exported, " + (long) end.value("agentmon_dropped_total", "what", "spans") + " dropped, "
                    + duringOutage + " jobs in " + String.format("%.1f", outageSeconds) + " s of outage");
        }
    }

    private static long jobsFinished(int port) {
        Scrape scrape = scrape(port);
        long finished = 0;
        for (String kind : TracingTest.KINDS) {
            finished += (long) scrape.sum("agentmon_task_duration_seconds_count", "task", kind + ".execute");
        }
        return finished;
    }

    private static Scrape scrape(int port) {
        try {
            return WorkerProcess.Http.scrape(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

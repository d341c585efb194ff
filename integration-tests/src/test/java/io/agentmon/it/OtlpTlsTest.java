package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.TestCertificates;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OTLP to a collector on TLS ({@code https://} endpoints): agentmon's HTTP/2 client agrees on h2
 * by ALPN with grpc-java's server, its HTTP/1.1 client talks to the JDK's HTTPS server, both
 * check the certificate against the JVM's trust store, as the SDK's OkHttp sender did, and
 * gzip each request when asked. A worker that does not trust the collector loses its
 * spans, says why, and keeps every count.
 */
class OtlpTlsTest {

    private static final int JOBS = 60;

    @TempDir
    Path dir;

    /** Each JDK, over gRPC (HTTP/2, ALPN h2) and over HTTP/protobuf (HTTP/1.1). */
    static Stream<Arguments> cases() {
        return Jdks.all().stream().flatMap(jdk -> Stream.of(Arguments.of(jdk, "grpc"), Arguments.of(jdk, "http/protobuf")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void spansReachACollectorOnTlsGzipped(Path java, String protocol) throws Exception {
        TestCertificates certificates = TestCertificates.create();
        Path tallyFile = dir.resolve("tally.properties");
        try (OtlpReceiver receiver = OtlpReceiver.startTls(certificates);
                WorkerProcess worker = TracingTest.tracedWorker(java, receiver, protocol)
                        .jvmArg("-Djavax.net.ssl.trustStore=" + certificates.serverTruststore)
                        .jvmArg("-Djavax.net.ssl.trustStorePassword=" + TestCertificates.PASSWORD)
                        .property("otel.exporter.otlp.compression", "gzip")
                        .sampleWorker("--jobs", String.valueOf(JOBS), "--threads", "2", "--tally", tallyFile.toString(),
                                "--hold-seconds", "60")
                        .start()) {
            assertTrue(receiver.grpcEndpoint().startsWith("https://") && receiver.httpEndpoint().startsWith("https://"));
            OtlpReceiver.Protocol used = protocol.equals("grpc") ? OtlpReceiver.Protocol.GRPC : OtlpReceiver.Protocol.HTTP;
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 120);
            long runs = runs(tally);
            // The agent counts a batch once the collector answered: the two agree once the export is idle.
            worker.waitFor(60, "every run's span exported, as many as the collector took", () -> {
                double exported = scrape(port).value("agentmon_spans_exported_total");
                return exported >= runs && exported == receiver.spans().size();
            });
            Scrape scrape = scrape(port);
            assertEquals(0, scrape.value("agentmon_dropped_total", "what", "spans"));
            assertTrue(receiver.requests(used) > 0);
            assertEquals(receiver.requests(used), receiver.gzippedRequests(), "every request gzipped");
        }
    }

    @Test
    void aCollectorTheWorkerDoesNotTrustGetsNothingAndTheWorkerSaysWhy() throws Exception {
        TestCertificates certificates = TestCertificates.create();
        Path tallyFile = dir.resolve("tally.properties");
        try (OtlpReceiver receiver = OtlpReceiver.startTls(certificates);
                WorkerProcess worker = TracingTest.tracedWorker(Jdks.current(), receiver, "grpc")
                        .sampleWorker("--jobs", String.valueOf(JOBS), "--threads", "2", "--tally", tallyFile.toString(),
                                "--hold-seconds", "60")
                        .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 120);
            worker.waitFor(60, "spans counted as dropped", () -> scrape(port).value("agentmon_dropped_total", "what", "spans") > 0);
            Scrape scrape = scrape(port);
            assertEquals(0, receiver.spans().size());
            assertEquals(0, scrape.value("agentmon_spans_exported_total"));
            for (String kind : TracingTest.KINDS) {
                for (String outcome : TracingTest.OUTCOMES) {
                    assertEquals(TracingTest.count(tally, kind + "." + outcome + ".count"),
                            scrape.value("agentmon_task_duration_seconds_count", "task", kind + ".execute", "outcome", outcome),
                            kind + " " + outcome);
                }
            }
            worker.waitFor(30, "the failure reported", () -> worker.stderr().contains("agentmon: span export to "));
            String reported = worker.stderr().lines().filter(line -> line.contains("agentmon: span export to ")).findFirst().orElse("");
            System.out.println("OtlpTlsTest untrusted: " + reported);
            assertTrue(reported.contains("SSLHandshakeException"), "the line says it is the certificate: " + reported);
        }
    }

    private static Scrape scrape(int port) {
        try {
            return WorkerProcess.Http.scrape(port);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long runs(Properties tally) {
        long runs = 0;
        for (String kind : TracingTest.KINDS) {
            for (String outcome : TracingTest.OUTCOMES) {
                runs += TracingTest.count(tally, kind + "." + outcome + ".count");
            }
        }
        return runs;
    }
}

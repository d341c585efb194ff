package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.OtlpReceiver.Protocol;
import io.agentmon.it.support.OtlpReceiver.ReceivedMetrics;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metrics pushed over OTLP ({@code otel.metrics.exporter=otlp}) by the sample worker under the
 * agent, into a real OTLP receiver: the task histogram's counts per task and outcome equal the
 * worker's own tally exactly, and every pushed number of agentmon's task metrics equals what
 * {@code /metrics} says at the same time. By default ({@code agentmon.histograms=both}) the task
 * histogram goes out as an exponential histogram whose buckets are the native buckets of a
 * protobuf scrape, bucket for bucket; with {@code agentmon.histograms=classic} it goes out with
 * the classic buckets of the text scrape. A taken port does not stop the push. Without
 * {@code otel.metrics.exporter=otlp} nothing is pushed and nothing is said about it.
 */
class OtlpMetricsPushTest {

    private static final String[] KINDS = {"IngestJob", "TransformJob", "FetchJob", "BuildJob"};
    private static final String[] OUTCOMES = {"success", "failure", "timeout"};
    private static final String HISTOGRAM = "agentmon_task_duration_seconds";
    private static final int JOBS = 200;
    private static final String PROTOBUF_ACCEPT =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    /**
     * Both protocols with {@code agentmon.histograms} unset (the default, both: native buckets beside
     * the classic ones, an exponential push), and one with {@code agentmon.histograms=classic} (an
     * explicit-bucket push).
     */
    static Stream<Arguments> pushes() {
        return Stream.of(
                Arguments.of(Protocol.GRPC, "default"),
                Arguments.of(Protocol.HTTP, "default"),
                Arguments.of(Protocol.HTTP, "classic"));
    }

    @ParameterizedTest(name = "{0}, agentmon.histograms={1}")
    @MethodSource("pushes")
    void pushedTaskHistogramsEqualTheWorkersTallyAndTheScrape(Protocol protocol, String histograms) throws Exception {
        Path tallyFile = Files.createTempDirectory("push").resolve("tally.properties");
        WorkerProcess.Builder builder = worker();
        if (!histograms.equals("default")) { // the default is left unset, as a user leaves it
            builder.property("agentmon.histograms", histograms);
        }
        try (OtlpReceiver receiver = OtlpReceiver.start();
             WorkerProcess worker = builder
                     .property("otel.metrics.exporter", "otlp")
                     .property("otel.exporter.otlp.protocol", protocol == Protocol.GRPC ? "grpc" : "http/protobuf")
                     .property("otel.exporter.otlp.endpoint",
                             protocol == Protocol.GRPC ? receiver.grpcEndpoint() : receiver.httpEndpoint())
                     .property("otel.metric.export.interval", "500")
                     // The general endpoint alone would switch tracing on too (the SDK's rule); metrics only here.
                     .property("otel.traces.exporter", "none")
                     .sampleWorker("--jobs", String.valueOf(JOBS), "--threads", "4",
                             "--tally", tallyFile.toString(), "--hold-seconds", "60")
                     .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 120);
            Map<String, Long> expected = new TreeMap<>();
            for (String kind : KINDS) {
                for (String outcome : OUTCOMES) {
                    long count = Long.parseLong(tally.getProperty(kind + "." + outcome + ".count", "0"));
                    if (count > 0) {
                        expected.put(kind + ".execute " + outcome, count);
                    }
                }
            }
            assertEquals(JOBS, expected.values().stream().mapToLong(Long::longValue).sum(), "tally adds up");

            // The worker is idle from here on (it holds), so the next push and the scrapes see the same totals.
            ReceivedMetrics push = receiver.awaitMetrics(p -> expected.equals(taskCounts(p)), 30);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            Map<String, Metrics.Metric> protobuf = protobufSeries(port, HISTOGRAM);

            assertEquals(protocol, push.protocol());
            assertEquals(0, receiver.metricRequests(other(protocol)), "nothing over the other protocol");
            assertEquals(0, receiver.requests(protocol), "no trace export: tracing is off");
            Map<String, Object> resource = push.resourceAttributes().get(0);
            assertEquals("sample-worker", resource.get("service.name"), "resource " + resource);
            assertEquals("agentmon", resource.get("telemetry.distro.name"));

            Metric histogram = push.metric(HISTOGRAM);
            if (histograms.equals("classic")) {
                assertHistogramEqualsScrape(histogram, scrape);
                for (Map.Entry<String, Metrics.Metric> series : protobuf.entrySet()) {
                    Metrics.Histogram scraped = series.getValue().getHistogram();
                    assertTrue(scraped.getPositiveSpanCount() == 0 && scraped.getZeroThreshold() == 0
                            && scraped.getBucketCount() > 0, series.getKey() + ": classic buckets only in protobuf too: " + scraped);
                }
            } else {
                assertExponentialHistogramEqualsScrapes(histogram, scrape, protobuf);
            }
            assertCounterEqualsScrape(push.metric("agentmon_task_failures"), scrape, "agentmon_task_failures_total");
            assertCounterEqualsScrape(push.metric("agentmon_task_timeouts"), scrape, "agentmon_task_timeouts_total");
            Metric active = push.metric("agentmon_tasks_active");
            assertTrue(active.hasGauge(), "a gauge stays a gauge");
            for (NumberDataPoint point : active.getGauge().getDataPointsList()) {
                assertEquals(scrape.value("agentmon_tasks_active", "task", label(point, "task")), point.getAsDouble());
            }
            Metric info = push.metric("agentmon_info");
            assertNotNull(info, "info metric pushed as a gauge: " + push.metricNames());
            assertEquals(1, info.getGauge().getDataPoints(0).getAsDouble());
            assertFalse(push.metrics("jvm_memory_used_bytes").isEmpty(), "Micrometer's JVM meters are pushed too");

            // Cumulative from one start: every push after the first carries the same start time, and
            // the same kind of histogram. The push starts once the worker's start-up has settled, so
            // the wanted push may be the first: wait for the next (one interval, 0.5 s).
            worker.waitFor(30, "a second metrics push", () -> receiver.metricExports().size() >= 2);
            List<ReceivedMetrics> pushes = receiver.metricExports();
            assertTrue(pushes.size() >= 2, "pushed every interval: " + pushes.size());
            long start = startTimes(histogram).get(0);
            for (ReceivedMetrics earlier : pushes) {
                Metric pushed = earlier.metric(HISTOGRAM);
                if (pushed != null && !startTimes(pushed).isEmpty()) {
                    assertEquals(histogram.getDataCase(), pushed.getDataCase(), "the histogram's kind");
                    for (long pointStart : startTimes(pushed)) {
                        assertEquals(start, pointStart);
                    }
                }
            }

            // Pushing adds one start-up line to the worker's stderr, and no warning.
            long pushLines = 0;
            for (String line : worker.stderr().split("\n")) {
                if (line.startsWith("agentmon: metrics: pushed every 500 ms to " + (protocol == Protocol.GRPC ? "grpc " : "http/protobuf "))) {
                    pushLines++;
                } else if (line.startsWith("agentmon: ")) {
                    assertTrue(line.contains(" serving http://"), "unexpected: " + line);
                }
            }
            assertEquals(1, pushLines, worker.stderr());
        }
    }

    /** A taken port stops the endpoint, not the push: the registry is built before the port binds. */
    @Test
    void aTakenPortStillPushes() throws Exception {
        Path tallyFile = Files.createTempDirectory("taken").resolve("tally.properties");
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            String takenPort = receiver.httpEndpoint().substring(receiver.httpEndpoint().lastIndexOf(':') + 1);
            try (WorkerProcess worker = worker()
                    .property("agentmon.port", takenPort) // the receiver's own HTTP port: taken
                    .property("otel.metrics.exporter", "otlp")
                    .property("otel.traces.exporter", "none")
                    .property("otel.exporter.otlp.protocol", "grpc")
                    .property("otel.exporter.otlp.endpoint", receiver.grpcEndpoint())
                    .property("otel.metric.export.interval", "300")
                    .sampleWorker("--jobs", "40", "--threads", "4", "--tally", tallyFile.toString(), "--hold-seconds", "60")
                    .start()) {
                worker.awaitProperties(tallyFile, 120);
                receiver.awaitMetrics(p -> taskCounts(p).values().stream().mapToLong(Long::longValue).sum() == 40, 30);
                assertTrue(worker.stderr().contains("; metrics are pushed over OTLP only"), worker.stderr());
            }
        }
    }

    /**
     * {@code otel.metrics.exporter} unset (only a metrics endpoint, which alone switches nothing on)
     * or set to {@code prometheus}: no push arrives, and the agent says nothing about metrics.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "prometheus"})
    void withoutOtlpAsTheMetricsExporterNothingIsPushed(String exporter) throws Exception {
        Path tallyFile = Files.createTempDirectory("nopush").resolve("tally.properties");
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            WorkerProcess.Builder builder = worker()
                    .property("otel.exporter.otlp.metrics.endpoint", receiver.httpMetricsUrl())
                    .property("otel.metric.export.interval", "200");
            if (!exporter.isEmpty()) {
                builder.property("otel.metrics.exporter", exporter);
            }
            try (WorkerProcess worker = builder.sampleWorker("--jobs", "40", "--threads", "4",
                    "--tally", tallyFile.toString(), "--hold-seconds", "60").start()) {
                int port = worker.agentPort();
                worker.awaitProperties(tallyFile, 120);
                WorkerProcess.Http.pause(2_000); // ten intervals
                assertEquals(40, WorkerProcess.Http.scrape(port).sum(HISTOGRAM + "_count"), "the worker was monitored");
                assertEquals(0, receiver.metricExports().size(), "no metrics push");
                for (Protocol protocol : Protocol.values()) {
                    assertEquals(0, receiver.metricRequests(protocol) + receiver.requests(protocol), "no export over " + protocol);
                }
                for (String line : worker.stderr().split("\n")) {
                    assertFalse(line.startsWith("agentmon: ") && line.toLowerCase().contains("metric")
                            && !line.contains(" serving http://"), "unexpected: " + line);
                }
            }
        }
    }

    /** The sample worker's jobs as tasks, service {@code sample-worker}, no deadline (so outcomes are the worker's own). */
    private static WorkerProcess.Builder worker() {
        return WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.service", "sample-worker")
                .property("agentmon.tasks", "com.acme.worker.jobs.Job+#execute");
    }

    /**
     * Pushed task histogram counts by "task outcome", zero counts left out (as in the expectation),
     * whichever kind of histogram was pushed.
     */
    private static Map<String, Long> taskCounts(ReceivedMetrics push) {
        Map<String, Long> counts = new TreeMap<>();
        Metric histogram = push.metric(HISTOGRAM);
        if (histogram == null) {
            return counts;
        }
        for (HistogramDataPoint point : histogram.getHistogram().getDataPointsList()) {
            if (point.getCount() > 0) {
                counts.put(label(point.getAttributesList(), "task") + " " + label(point.getAttributesList(), "outcome"),
                        point.getCount());
            }
        }
        for (ExponentialHistogramDataPoint point : histogram.getExponentialHistogram().getDataPointsList()) {
            if (point.getCount() > 0) {
                counts.put(label(point.getAttributesList(), "task") + " " + label(point.getAttributesList(), "outcome"),
                        point.getCount());
            }
        }
        return counts;
    }

    /** The start time of every point of a pushed histogram, of either kind. */
    private static List<Long> startTimes(Metric histogram) {
        List<Long> starts = new ArrayList<>();
        histogram.getHistogram().getDataPointsList().forEach(p -> starts.add(p.getStartTimeUnixNano()));
        histogram.getExponentialHistogram().getDataPointsList().forEach(p -> starts.add(p.getStartTimeUnixNano()));
        return starts;
    }

    /**
     * Every point of the pushed exponential histogram against both scrapes: scale 3, count and sum
     * equal to the text scrape's; scale, count, sum, zero count and every bucket equal to the
     * native histogram of the protobuf scrape (OTLP bucket {@code k}, {@code (base^k, base^(k+1)]},
     * is Prometheus's native bucket {@code k + 1}, {@code (base^k, base^(k+1)]} too); and the
     * buckets bracket every classic bucket of the text scrape: what lies wholly at or below a bound
     * is at most the cumulative count there, what starts below the bound at least.
     */
    private static void assertExponentialHistogramEqualsScrapes(Metric metric, Scrape scrape,
            Map<String, Metrics.Metric> protobuf) {
        assertTrue(metric.hasExponentialHistogram(), "native buckets are pushed as an exponential histogram: " + metric.getDataCase());
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                metric.getExponentialHistogram().getAggregationTemporality());
        assertEquals("s", metric.getUnit());
        List<ExponentialHistogramDataPoint> points = metric.getExponentialHistogram().getDataPointsList();
        assertEquals(scrape.find(HISTOGRAM + "_count").size(), points.size(), "one point per scraped series");
        assertEquals(protobuf.size(), points.size(), "one point per series of the protobuf scrape: " + protobuf.keySet());
        for (ExponentialHistogramDataPoint point : points) {
            String task = label(point.getAttributesList(), "task");
            String outcome = label(point.getAttributesList(), "outcome");
            String[] labels = {"service", "sample-worker", "task", task, "outcome", outcome};
            String what = task + " " + outcome;
            assertEquals(3, point.getScale(), what + " scale");
            assertEquals(scrape.value(HISTOGRAM + "_count", labels), point.getCount(), what + " count");
            assertEquals(scrape.value(HISTOGRAM + "_sum", labels), point.getSum(), 1e-9, what + " sum");

            Metrics.Metric series = protobuf.get(what);
            assertNotNull(series, what + " in the protobuf scrape: " + protobuf.keySet());
            assertEquals("sample-worker", protobufLabels(series).get("service"), what);
            Metrics.Histogram scraped = series.getHistogram();
            assertEquals(scraped.getSchema(), point.getScale(), what + " scale = schema");
            assertEquals(scraped.getSampleCount(), point.getCount(), what + " count");
            assertEquals(scraped.getSampleSum(), point.getSum(), what + " sum");
            assertEquals(scraped.getZeroCount(), point.getZeroCount(), what + " zero count");
            assertEquals(0, scraped.getNegativeSpanCount(), what + ": no negative durations scraped");
            assertEquals(0, point.getNegative().getBucketCountsCount(), what + ": no negative buckets pushed");

            // Non-empty buckets by Prometheus index, on both sides.
            Map<Integer, Long> nativeBuckets = nativeBuckets(scraped, what);
            Map<Integer, Long> pushedBuckets = new TreeMap<>();
            long total = point.getZeroCount();
            for (int i = 0; i < point.getPositive().getBucketCountsCount(); i++) {
                long count = point.getPositive().getBucketCounts(i);
                if (count != 0) {
                    pushedBuckets.put(point.getPositive().getOffset() + i + 1, count);
                }
                total += count;
            }
            assertEquals(nativeBuckets, pushedBuckets, what + ": pushed buckets (by native index) = scraped native buckets");
            assertEquals(point.getCount(), total, what + ": buckets add up to the count");

            for (Scrape.Sample bucket : scrape.find(HISTOGRAM + "_bucket", "task", task, "outcome", outcome)) {
                String le = bucket.labels.get("le");
                if ("+Inf".equals(le)) {
                    assertEquals(point.getCount(), bucket.value, what + " le=+Inf");
                    continue;
                }
                double bound = Double.parseDouble(le);
                assertTrue(scraped.getZeroThreshold() < bound, what + ": the zero bucket lies below le=" + le);
                long atOrBelow = point.getZeroCount(); // buckets wholly at or below the bound
                long startingBelow = point.getZeroCount(); // buckets that start below it
                for (int i = 0; i < point.getPositive().getBucketCountsCount(); i++) {
                    int index = point.getPositive().getOffset() + i;
                    long count = point.getPositive().getBucketCounts(i);
                    if (power(point.getScale(), index + 1) <= bound) {
                        atOrBelow += count;
                    }
                    if (power(point.getScale(), index) < bound) {
                        startingBelow += count;
                    }
                }
                assertTrue(atOrBelow <= bucket.value && bucket.value <= startingBelow,
                        what + " le=" + le + ": " + atOrBelow + " <= " + bucket.value + " <= " + startingBelow);
            }
        }
    }

    /** {@code base^index} for {@code base = 2^(2^-scale)}: where exponential bucket {@code index} starts. */
    private static double power(int scale, int index) {
        return Math.pow(2, Math.scalb((double) index, -scale));
    }

    /** The non-empty positive native buckets of a scraped histogram, by index, decoded from its spans and deltas. */
    private static Map<Integer, Long> nativeBuckets(Metrics.Histogram histogram, String what) {
        Map<Integer, Long> buckets = new TreeMap<>();
        int index = 0;
        long count = 0;
        int delta = 0;
        for (Metrics.BucketSpan span : histogram.getPositiveSpanList()) {
            index += span.getOffset(); // the first span's from 0, each next one's from the end of the last
            for (int i = 0; i < span.getLength(); i++) {
                count += histogram.getPositiveDelta(delta++);
                if (count != 0) {
                    buckets.put(index, count);
                }
                index++;
            }
        }
        assertEquals(histogram.getPositiveDeltaCount(), delta, what + ": one delta per bucket the spans cover");
        return buckets;
    }

    /**
     * The series of {@code name} in a protobuf scrape (what Prometheus asks for when it stores
     * native histograms), by "task outcome".
     */
    private static Map<String, Metrics.Metric> protobufSeries(int port, String name) throws IOException {
        WorkerProcess.Response response = WorkerProcess.Http.request(port, "GET", "/metrics", Map.of("Accept", PROTOBUF_ACCEPT));
        assertEquals(200, response.status, response.body);
        assertTrue(response.contentType.startsWith("application/vnd.google.protobuf"), response.contentType);
        ByteArrayInputStream in = new ByteArrayInputStream(response.bytes);
        Map<String, Metrics.Metric> series = new TreeMap<>();
        for (Metrics.MetricFamily family = Metrics.MetricFamily.parseDelimitedFrom(in); family != null;
                family = Metrics.MetricFamily.parseDelimitedFrom(in)) {
            if (family.getName().equals(name)) {
                assertEquals(Metrics.MetricType.HISTOGRAM, family.getType(), name);
                for (Metrics.Metric metric : family.getMetricList()) {
                    Map<String, String> labels = protobufLabels(metric);
                    assertNull(series.put(labels.get("task") + " " + labels.get("outcome"), metric), "one series per task and outcome");
                }
            }
        }
        assertFalse(series.isEmpty(), name + " in the protobuf scrape");
        return series;
    }

    private static Map<String, String> protobufLabels(Metrics.Metric metric) {
        Map<String, String> labels = new TreeMap<>();
        for (Metrics.LabelPair pair : metric.getLabelList()) {
            labels.put(pair.getName(), pair.getValue());
        }
        return labels;
    }

    /** Every point of the pushed histogram equals the scraped series: count, sum and each cumulative bucket. */
    private static void assertHistogramEqualsScrape(Metric metric, Scrape scrape) {
        assertTrue(metric.hasHistogram(), "a histogram stays a histogram");
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, metric.getHistogram().getAggregationTemporality());
        assertEquals("s", metric.getUnit());
        List<HistogramDataPoint> points = metric.getHistogram().getDataPointsList();
        assertEquals(scrape.find(HISTOGRAM + "_count").size(), points.size(), "one point per scraped series");
        for (HistogramDataPoint point : points) {
            String task = label(point.getAttributesList(), "task");
            String outcome = label(point.getAttributesList(), "outcome");
            String[] labels = {"service", "sample-worker", "task", task, "outcome", outcome};
            String what = task + " " + outcome;
            assertEquals(scrape.value(HISTOGRAM + "_count", labels), point.getCount(), what + " count");
            assertEquals(scrape.value(HISTOGRAM + "_sum", labels), point.getSum(), 1e-9, what + " sum");
            assertEquals(point.getExplicitBoundsCount() + 1, point.getBucketCountsCount(), what + ": n bounds, n + 1 buckets");
            long cumulative = 0;
            for (int i = 0; i < point.getBucketCountsCount(); i++) {
                cumulative += point.getBucketCounts(i);
                double le = i < point.getExplicitBoundsCount() ? point.getExplicitBounds(i) : Double.POSITIVE_INFINITY;
                assertEquals(bucket(scrape, task, outcome, le), cumulative, what + " bucket le=" + le);
            }
            assertEquals(point.getCount(), cumulative, what + ": buckets add up to the count");
        }
    }

    /** A monotonic cumulative sum named without {@code _total}, point for point equal to the scraped counter. */
    private static void assertCounterEqualsScrape(Metric metric, Scrape scrape, String scrapedName) {
        assertNotNull(metric, scrapedName + " pushed");
        assertTrue(metric.hasSum() && metric.getSum().getIsMonotonic(), metric.getName() + " is a monotonic sum");
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, metric.getSum().getAggregationTemporality());
        assertEquals(scrape.find(scrapedName).size(), metric.getSum().getDataPointsCount(), scrapedName + " series");
        for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
            Map<String, Object> attributes = OtlpReceiver.attributes(point.getAttributesList());
            String[] labels = attributes.entrySet().stream()
                    .flatMap(e -> Stream.of(e.getKey(), String.valueOf(e.getValue())))
                    .toArray(String[]::new);
            assertEquals(scrape.value(scrapedName, labels), point.getAsDouble(), scrapedName + attributes);
        }
    }

    /** The scraped cumulative bucket whose {@code le} reads as {@code bound} (the text spells bounds its own way). */
    private static double bucket(Scrape scrape, String task, String outcome, double bound) {
        List<Scrape.Sample> found = new ArrayList<>();
        for (Scrape.Sample sample : scrape.find(HISTOGRAM + "_bucket", "task", task, "outcome", outcome)) {
            String le = sample.labels.get("le");
            if (("+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le)) == bound) {
                found.add(sample);
            }
        }
        assertEquals(1, found.size(), task + " " + outcome + " le=" + bound + ": " + found);
        return found.get(0).value;
    }

    private static String label(NumberDataPoint point, String name) {
        return label(point.getAttributesList(), name);
    }

    private static String label(List<KeyValue> attributes, String name) {
        return String.valueOf(OtlpReceiver.attributes(attributes).get(name));
    }

    private static Protocol other(Protocol protocol) {
        return protocol == Protocol.GRPC ? Protocol.HTTP : Protocol.GRPC;
    }
}

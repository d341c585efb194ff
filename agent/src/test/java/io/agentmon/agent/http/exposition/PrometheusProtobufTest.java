package io.agentmon.agent.http.exposition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * agentmon's protobuf writer is held to client_java's (protobuf-java's generated classes, on the
 * test class path only): the same snapshots give the same bytes, message for message, and
 * client_java's parser reads them back.
 */
class PrometheusProtobufTest {

    private static final Labels POD = Labels.of("pod", "worker-0", "task", "Resize");

    @Test
    void acceptsWhatPrometheusAsksFor() {
        PrometheusProtobuf writer = new PrometheusProtobuf();
        assertTrue(writer.accepts("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,"
                + "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.2,*/*;q=0.1"));
        assertFalse(writer.accepts("text/plain;version=0.0.4"));
        assertFalse(writer.accepts(null));
        assertEquals(new PrometheusProtobufWriter().getContentType(), writer.getContentType());
    }

    @Test
    void countersWithExemplarsCreatedTimestampsAndScrapeTimestamps() throws IOException {
        Exemplar exemplar = Exemplar.builder().value(0.25).traceId("abc").spanId("def").timestampMillis(1_700_000_000_123L).build();
        sameBytes(CounterSnapshot.builder().name("agentmon_tasks").help("Runs that ended")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(POD).value(17).build())
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("task", "b")).value(0)
                        .exemplar(exemplar).createdTimestampMillis(1_700_000_000_000L).scrapeTimestampMillis(1_700_000_001_500L).build())
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("task", "c")).value(Double.NaN)
                        .exemplar(Exemplar.builder().value(-1).build()).createdTimestampMillis(1_500L).build())
                .build());
        // a name that has its suffix already, and no help
        sameBytes(CounterSnapshot.builder().name("jobs_total")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(3).build()).build());
    }

    @Test
    void gaugesInfoStateSetsAndUnknowns() throws IOException {
        sameBytes(GaugeSnapshot.builder().name("agentmon_tasks_active").help("In flight")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(POD).value(2).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(Double.NEGATIVE_INFINITY).scrapeTimestampMillis(5).build())
                .build());
        sameBytes(InfoSnapshot.builder().name("agentmon_build").help("The agent")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", "0.1.0")).build()).build());
        sameBytes(StateSetSnapshot.builder().name("worker_state")
                .dataPoint(StateSetSnapshot.StateSetDataPointSnapshot.builder().labels(POD).state("draining", false).state("running", true)
                        .scrapeTimestampMillis(99).build())
                .build());
        sameBytes(UnknownSnapshot.builder().name("legacy_value").help("?")
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(1.5).scrapeTimestampMillis(7).build()).build());
    }

    @Test
    void summaries() throws IOException {
        sameBytes(SummarySnapshot.builder().name("queue_wait_seconds").help("Waits")
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(POD).count(12).sum(3.5)
                        .quantiles(Quantiles.of(new Quantile(0.5, 0.1), new Quantile(0.99, 0.9))).build())
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(Labels.of("task", "sum-only")).sum(0).build())
                .build());
    }

    @Test
    void aSummaryWithNothingInItIsLeftOutWhereClientJavaWritesAnEmptyMessage() throws IOException {
        SummarySnapshot empty = SummarySnapshot.builder().name("nothing")
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().build()).build();
        assertEquals(0, ours(new MetricSnapshots(empty), EscapingScheme.DEFAULT).length);
        assertArrayEquals(new byte[] {0}, theirs(new MetricSnapshots(empty), EscapingScheme.DEFAULT), "client_java: one empty family");
    }

    @Test
    void classicNativeAndBothHistograms() throws IOException {
        ClassicHistogramBuckets classic = ClassicHistogramBuckets.of(new double[] {0.005, 0.1, 1, Double.POSITIVE_INFINITY},
                new long[] {3, 0, 5, 1});
        // positive indexes with gaps of 1, 2 and 3 empty buckets: bridged, bridged, a new span
        NativeHistogramBuckets positive = NativeHistogramBuckets.of(new int[] {-4, -3, -1, 2, 6, 7}, new long[] {1, 4, 2, 2, 9, 1});
        NativeHistogramBuckets negative = NativeHistogramBuckets.of(new int[] {3, 10}, new long[] {2, 1});
        Exemplars exemplars = Exemplars.of(Exemplar.builder().value(0.05).spanId("s1").timestampMillis(1_000L).build(),
                Exemplar.builder().value(0.7).traceId("t2").build());
        sameBytes(HistogramSnapshot.builder().name("agentmon_task_duration_seconds").help("Run time")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(POD).classicHistogramBuckets(classic)
                        .sum(4.25).exemplars(exemplars).build())
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(Labels.of("task", "native"))
                        .nativeSchema(3).nativeZeroThreshold(Math.pow(2, -128)).nativeZeroCount(2)
                        .nativeBucketsForPositiveValues(positive).nativeBucketsForNegativeValues(negative)
                        .sum(-1.5).exemplars(exemplars).scrapeTimestampMillis(123_456L).build())
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(Labels.of("task", "both"))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(new double[] {1, Double.POSITIVE_INFINITY}, new long[] {15, 4}))
                        .nativeSchema(-2).nativeZeroThreshold(0).nativeZeroCount(0)
                        .nativeBucketsForPositiveValues(positive).sum(9).build())
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(Labels.of("task", "empty-native"))
                        .nativeSchema(8).nativeZeroThreshold(1e-9).nativeZeroCount(0).build())
                .build());
        sameBytes(HistogramSnapshot.builder().name("pool_queue_depth").gaugeHistogram(true)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().classicHistogramBuckets(classic).build())
                .build());
    }

    @Test
    void randomNativeHistograms() throws IOException {
        SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 300; round++) {
            HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name("h" + round);
            for (int series = 0; series < 1 + random.nextInt(4); series++) {
                HistogramSnapshot.HistogramDataPointSnapshot.Builder point = HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .labels(Labels.of("s", Integer.toString(series)))
                        .nativeSchema(random.nextInt(-4, 9)).nativeZeroThreshold(random.nextDouble()).nativeZeroCount(random.nextInt(3))
                        .nativeBucketsForPositiveValues(randomBuckets(random)).nativeBucketsForNegativeValues(randomBuckets(random));
                if (random.nextBoolean()) {
                    point.sum(random.nextDouble() * 1e6);
                }
                histogram.dataPoint(point.build());
            }
            sameBytes(histogram.build());
        }
    }

    private static NativeHistogramBuckets randomBuckets(SplittableRandom random) {
        int n = random.nextInt(12);
        int[] indexes = new int[n];
        long[] counts = new long[n];
        int index = random.nextInt(-200, 200);
        for (int i = 0; i < n; i++) {
            indexes[i] = index;
            counts[i] = random.nextInt(5) == 0 ? random.nextLong(1L << 40) : 1 + random.nextInt(50);
            index += 1 + (random.nextBoolean() ? 0 : random.nextInt(6));
        }
        return NativeHistogramBuckets.of(indexes, counts);
    }

    @Test
    void namesAndValuesOutsideAsciiUnderEveryEscaping() throws IOException {
        MetricSnapshots snapshots = new MetricSnapshots(
                CounterSnapshot.builder().name("tâches.terminées").help("Läufe, die endeten ☺")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(Labels.of("queue.name", "file d’attente", "broken", "a\uD800b")).value(1).build()).build(),
                GaugeSnapshot.builder().name("my.gauge").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build()).build());
        for (EscapingScheme scheme : EscapingScheme.values()) {
            assertArrayEquals(theirs(snapshots, scheme), ours(snapshots, scheme), scheme.name());
        }
    }

    @Test
    void familiesOfTheSameNameAreMergedAsClientJavaMergesThem() throws IOException {
        MetricSnapshots snapshots = new MetricSnapshots(
                GaugeSnapshot.builder().name("pool_size").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("pool", "a")).value(1).build()).build(),
                GaugeSnapshot.builder().name("pool_size").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("pool", "b")).value(2).build()).build());
        byte[] ours = ours(snapshots, EscapingScheme.DEFAULT);
        assertArrayEquals(theirs(snapshots, EscapingScheme.DEFAULT), ours);
        assertEquals(2, parse(ours).get(0).getMetricCount());
    }

    /** What a worker's registry really holds: Micrometer's JVM binders and a timer with a native histogram. */
    @Test
    void aMicrometerRegistryWithJvmMetrics() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        Timer timer = Timer.builder("resize").publishPercentileHistogram().tag("queue", "images").register(registry);
        for (int i = 1; i <= 1000; i++) {
            timer.record(Duration.ofNanos(i * 37_000L));
        }
        MetricSnapshots snapshots = registry.getPrometheusRegistry().scrape();
        byte[] ours = ours(snapshots, EscapingScheme.DEFAULT);
        assertArrayEquals(theirs(snapshots, EscapingScheme.DEFAULT), ours);
        assertTrue(parse(ours).size() > 10, "the JVM's families and the timer's");
    }

    private static void sameBytes(MetricSnapshot snapshot) throws IOException {
        MetricSnapshots snapshots = new MetricSnapshots(snapshot);
        byte[] ours = ours(snapshots, EscapingScheme.DEFAULT);
        assertArrayEquals(theirs(snapshots, EscapingScheme.DEFAULT), ours, snapshot.getMetadata().getName());
        assertEquals(1, parse(ours).size(), "client_java's parser reads one family back");
    }

    private static byte[] ours(MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusProtobuf().write(out, snapshots, scheme);
        return out.toByteArray();
    }

    private static byte[] theirs(MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusProtobufWriter().write(out, snapshots, scheme);
        return out.toByteArray();
    }

    private static List<Metrics.MetricFamily> parse(byte[] body) throws IOException {
        List<Metrics.MetricFamily> families = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        Metrics.MetricFamily family;
        while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            families.add(family);
        }
        return families;
    }
}

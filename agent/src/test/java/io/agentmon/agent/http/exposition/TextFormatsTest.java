package io.agentmon.agent.http.exposition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
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
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * agentmon's text writers are held to client_java's: {@link PrometheusText} to
 * {@code PrometheusTextFormatWriter} and {@link OpenMetricsText} to
 * {@code OpenMetricsTextFormatWriter} (in their default form). The same snapshots give the same
 * bytes in both formats, under every escaping scheme, for every snapshot type, with exemplars,
 * units and timestamps, for names and values that need quoting or escaping, and for hundreds of
 * rounds of random families.
 */
class TextFormatsTest {

    private static final Labels POD = Labels.of("pod", "worker-0", "task", "Resize");

    /** Each of ours, and client_java's writer of the same format. */
    private static final ExpositionFormatWriter[][] PAIRS = {
        {new PrometheusText(), PrometheusTextFormatWriter.create()},
        {new OpenMetricsText(), OpenMetricsTextFormatWriter.create()},
    };

    @Test
    void acceptsWhatClientJavasWritersAccept() {
        for (ExpositionFormatWriter[] pair : PAIRS) {
            for (String accept : new String[] {"text/plain;version=0.0.4", "text/plain", "*/*", null,
                    "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4"}) {
                assertEquals(pair[1].accepts(accept), pair[0].accepts(accept), accept);
            }
            assertFalse(pair[0].accepts("application/json"));
            assertEquals(pair[1].getContentType(), pair[0].getContentType());
        }
        assertTrue(new PrometheusText().accepts("text/plain; version=0.0.4"));
        assertTrue(new OpenMetricsText().accepts("application/openmetrics-text; version=1.0.0"));
    }

    @Test
    void countersWithExemplarsCreatedTimestampsAndScrapeTimestamps() throws IOException {
        sameBytes(CounterSnapshot.builder().name("agentmon_tasks").help("Runs that ended, \"all\" of them\\ \n second line")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(POD).value(17).build())
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("task", "b")).value(0)
                        .exemplar(Exemplar.builder().value(0.25).traceId("abc").spanId("def").timestampMillis(1_700_000_000_123L).build())
                        .createdTimestampMillis(1_700_000_000_000L).scrapeTimestampMillis(1_700_000_001_500L).build())
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("task", "c")).value(Double.NaN)
                        .exemplar(Exemplar.builder().value(-1).build()).scrapeTimestampMillis(1_250L).build())
                .build());
        sameBytes(CounterSnapshot.builder().name("cpu_seconds").unit(Unit.SECONDS).help("CPU time")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(1.5).scrapeTimestampMillis(7).build()).build());
        sameBytes(CounterSnapshot.builder().name("jobs_total")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(3).build()).build());
    }

    @Test
    void gaugesInfoStateSetsAndUnknowns() throws IOException {
        sameBytes(GaugeSnapshot.builder().name("agentmon_tasks_active").help("In flight")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(POD).value(2).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(Double.NEGATIVE_INFINITY).scrapeTimestampMillis(5).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("v", "-0")).value(-0.0).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("v", "tiny")).value(1e-300).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("v", "large")).value(1e21).build())
                .build());
        sameBytes(GaugeSnapshot.builder().name("queue_size_total").help("a gauge named like a counter")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build()).build());
        sameBytes(InfoSnapshot.builder().name("agentmon_build").help("The agent")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", "0.1.0")).build()).build());
        sameBytes(StateSetSnapshot.builder().name("worker_state")
                .dataPoint(StateSetSnapshot.StateSetDataPointSnapshot.builder().labels(POD).state("draining", false)
                        .state("run\"ning", true).scrapeTimestampMillis(99).build())
                .dataPoint(StateSetSnapshot.StateSetDataPointSnapshot.builder().state("idle", true).build())
                .build());
        sameBytes(UnknownSnapshot.builder().name("legacy_value").help("?")
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(1.5).scrapeTimestampMillis(7).build()).build());
    }

    @Test
    void summariesTheEmptyOnesLeftOutAsClientJavaLeavesThemOut() throws IOException {
        sameBytes(SummarySnapshot.builder().name("queue_wait_seconds").help("Waits")
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().build())
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(POD).count(12).sum(3.5)
                        .quantiles(Quantiles.of(new Quantile(0.5, 0.1), new Quantile(0.99, 0.9))).build())
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(Labels.of("task", "sum-only")).sum(0).build())
                .build());
        MetricSnapshots empty = new MetricSnapshots(SummarySnapshot.builder().name("nothing")
                .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().build()).build());
        assertEquals(0, ours(empty, EscapingScheme.DEFAULT).length);
        assertEquals(0, theirs(empty, EscapingScheme.DEFAULT).length);
        assertSameBytes(empty, EscapingScheme.DEFAULT, "OpenMetrics: only the end marker");
    }

    @Test
    void classicNativeAndGaugeHistograms() throws IOException {
        ClassicHistogramBuckets classic = ClassicHistogramBuckets.of(new double[] {0.005, 0.1, 1, Double.POSITIVE_INFINITY},
                new long[] {3, 0, 5, 1});
        NativeHistogramBuckets positive = NativeHistogramBuckets.of(new int[] {-4, -3, -1, 2}, new long[] {1, 4, 2, 2});
        Exemplars exemplars = Exemplars.of(Exemplar.builder().value(0.05).spanId("s1").timestampMillis(1_000L).build(),
                Exemplar.builder().value(0.7).traceId("t2").build(), Exemplar.builder().value(3).labels(Labels.of("a.b", "\"")).build());
        sameBytes(HistogramSnapshot.builder().name("agentmon_task_duration_seconds").unit(Unit.SECONDS).help("Run time")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(POD).classicHistogramBuckets(classic)
                        .sum(4.25).exemplars(exemplars).build())
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(Labels.of("task", "native"))
                        .nativeSchema(3).nativeZeroThreshold(Math.pow(2, -128)).nativeZeroCount(2)
                        .nativeBucketsForPositiveValues(positive).sum(-1.5).scrapeTimestampMillis(123_456L).build())
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(Labels.of("task", "no sum"))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(new double[] {1, Double.POSITIVE_INFINITY}, new long[] {15, 4}))
                        .build())
                .build());
        sameBytes(HistogramSnapshot.builder().name("pool_queue_depth").gaugeHistogram(true).help("Depth")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(POD).classicHistogramBuckets(classic).sum(2).build())
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().classicHistogramBuckets(classic).build())
                .build());
    }

    @Test
    void namesLabelsAndHelpOutsideAsciiUnderEveryEscaping() throws IOException {
        StringBuilder longHelp = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            longHelp.append("Läufe ☺ ").append(i).append(i % 100 == 0 ? "\n" : "");
        }
        MetricSnapshots snapshots = new MetricSnapshots(
                CounterSnapshot.builder().name("tâches.terminées").help(longHelp.toString())
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(Labels.of("queue.name", "file d’attente", "broken", "a\uD800b", "path", "C:\\jobs\\\"x\"\nend"))
                                .value(1).build()).build(),
                GaugeSnapshot.builder().name("my.gauge").help("with a \\ and a \" and a 😀")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build()).build(),
                HistogramSnapshot.builder().name("http.server.duration").dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .labels(Labels.of("route", "/a\"b")).classicHistogramBuckets(ClassicHistogramBuckets.of(
                                new double[] {0.5, Double.POSITIVE_INFINITY}, new long[] {1, 1})).sum(0.75).build()).build(),
                StateSetSnapshot.builder().name("feature.flag").dataPoint(StateSetSnapshot.StateSetDataPointSnapshot.builder()
                        .labels(Labels.of("env.name", "prod")).state("on", true).build()).build(),
                InfoSnapshot.builder().name("build.info").dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of("version", "1")).build()).build());
        for (EscapingScheme scheme : EscapingScheme.values()) {
            assertSameBytes(snapshots, scheme, "outside ASCII");
        }
    }

    @Test
    void familiesOfTheSameNameAreMergedAsClientJavaMergesThem() throws IOException {
        MetricSnapshots snapshots = new MetricSnapshots(
                GaugeSnapshot.builder().name("pool_size").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("pool", "a")).value(1).build()).build(),
                GaugeSnapshot.builder().name("pool_size").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("pool", "b")).value(2).build()).build());
        assertSameBytes(snapshots, EscapingScheme.DEFAULT, "merged");
        assertEquals(1, new String(ours(snapshots, EscapingScheme.DEFAULT), StandardCharsets.UTF_8).split("# TYPE").length - 1,
                "one header for both");
    }

    /** Random families of every type, names and label values drawn from characters that need care. */
    @Test
    void randomFamiliesUnderEveryEscaping() throws IOException {
        SplittableRandom random = new SplittableRandom(21);
        for (int round = 0; round < 400; round++) {
            List<MetricSnapshot> families = new ArrayList<>();
            for (int f = 0; f < 1 + random.nextInt(4); f++) {
                families.add(randomFamily(random, "f" + round + "_" + f + randomText(random, 2, false)));
            }
            MetricSnapshots snapshots = new MetricSnapshots(families);
            for (EscapingScheme scheme : EscapingScheme.values()) {
                assertSameBytes(snapshots, scheme, "round " + round);
            }
        }
    }

    /** What a worker's registry really holds: Micrometer's JVM binders and a timer with a histogram, well over one buffer. */
    @Test
    void aMicrometerRegistryWithJvmMetrics() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        try (JvmGcMetrics gc = new JvmGcMetrics()) {
            gc.bindTo(registry);
            Timer timer = Timer.builder("resize").publishPercentileHistogram().tag("queue", "images").register(registry);
            for (int i = 1; i <= 1000; i++) {
                timer.record(Duration.ofNanos(i * 37_000L));
            }
            MetricSnapshots snapshots = registry.getPrometheusRegistry().scrape();
            assertSameBytes(snapshots, EscapingScheme.DEFAULT, "Micrometer");
            byte[] ours = ours(snapshots, EscapingScheme.DEFAULT);
            assertTrue(ours.length > 8192, "more than the sink's buffer: " + ours.length);
        }
    }

    private static MetricSnapshot randomFamily(SplittableRandom random, String name) {
        String help = random.nextInt(3) == 0 ? null : randomText(random, 12, true);
        int points = random.nextInt(4);
        switch (random.nextInt(7)) {
            case 0: {
                CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
                for (int i = 0; i < points; i++) {
                    CounterSnapshot.CounterDataPointSnapshot.Builder point = CounterSnapshot.CounterDataPointSnapshot.builder()
                            .labels(randomLabels(random, i)).value(randomDouble(random));
                    if (random.nextBoolean()) {
                        point.scrapeTimestampMillis(random.nextLong(1L << 42));
                    }
                    if (random.nextBoolean()) {
                        point.exemplar(randomExemplar(random));
                    }
                    counter.dataPoint(point.build());
                }
                return counter.build();
            }
            case 1: {
                GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(random.nextBoolean() ? name + "_total" : name).help(help);
                for (int i = 0; i < points; i++) {
                    gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(randomLabels(random, i)).value(randomDouble(random)).build());
                }
                return gauge.build();
            }
            case 2: {
                HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(name).help(help).gaugeHistogram(random.nextInt(4) == 0);
                for (int i = 0; i < points; i++) {
                    HistogramSnapshot.HistogramDataPointSnapshot.Builder point = HistogramSnapshot.HistogramDataPointSnapshot.builder()
                            .labels(randomLabels(random, i));
                    int bounds = random.nextInt(5);
                    double[] upper = new double[bounds + 1];
                    long[] counts = new long[bounds + 1];
                    double bound = random.nextDouble() * 1e-3;
                    for (int b = 0; b < bounds; b++) {
                        bound += random.nextDouble() * 10;
                        upper[b] = bound;
                        counts[b] = random.nextInt(4) == 0 ? random.nextLong(1L << 50) : random.nextInt(100);
                    }
                    upper[bounds] = Double.POSITIVE_INFINITY;
                    counts[bounds] = random.nextInt(10);
                    point.classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts));
                    if (random.nextBoolean()) {
                        point.sum(random.nextDouble() * 1e4);
                    }
                    if (random.nextBoolean()) {
                        point.exemplars(Exemplars.of(randomExemplar(random), randomExemplar(random)));
                    }
                    if (random.nextInt(4) == 0) {
                        point.scrapeTimestampMillis(random.nextLong(0, 5_000));
                    }
                    histogram.dataPoint(point.build());
                }
                return histogram.build();
            }
            case 3: {
                SummarySnapshot.Builder summary = SummarySnapshot.builder().name(name).help(help);
                for (int i = 0; i < points; i++) {
                    SummarySnapshot.SummaryDataPointSnapshot.Builder point = SummarySnapshot.SummaryDataPointSnapshot.builder()
                            .labels(randomLabels(random, i));
                    if (random.nextBoolean()) {
                        point.count(random.nextLong(1L << 40));
                    }
                    if (random.nextBoolean()) {
                        point.sum(randomDouble(random));
                    }
                    if (random.nextBoolean()) {
                        point.quantiles(Quantiles.of(new Quantile(0.5, random.nextDouble()), new Quantile(0.999, random.nextDouble())));
                    }
                    summary.dataPoint(point.build());
                }
                return summary.build();
            }
            case 4: {
                InfoSnapshot.Builder info = InfoSnapshot.builder().name(name).help(help);
                for (int i = 0; i < points; i++) {
                    info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(randomLabels(random, i)).build());
                }
                return info.build();
            }
            case 5: {
                StateSetSnapshot.Builder states = StateSetSnapshot.builder().name(name).help(help);
                for (int i = 0; i < points; i++) {
                    states.dataPoint(StateSetSnapshot.StateSetDataPointSnapshot.builder().labels(randomLabels(random, i))
                            .state("s" + randomText(random, 3, true), random.nextBoolean()).state("t", random.nextBoolean()).build());
                }
                return states.build();
            }
            default: {
                UnknownSnapshot.Builder unknown = UnknownSnapshot.builder().name(name).help(help);
                for (int i = 0; i < points; i++) {
                    unknown.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().labels(randomLabels(random, i)).value(randomDouble(random)).build());
                }
                return unknown.build();
            }
        }
    }

    private static Exemplar randomExemplar(SplittableRandom random) {
        Exemplar.Builder exemplar = Exemplar.builder().value(random.nextDouble() * 30);
        if (random.nextBoolean()) {
            exemplar.traceId(Long.toHexString(random.nextLong())).spanId(Long.toHexString(random.nextLong()));
        }
        if (random.nextBoolean()) {
            exemplar.timestampMillis(random.nextLong(1L << 42));
        }
        return exemplar.build();
    }

    /** Labels that differ between the points of one family (a point index label), some needing quotes. */
    private static Labels randomLabels(SplittableRandom random, int point) {
        Labels.Builder labels = Labels.builder().label("point", Integer.toString(point));
        for (int i = 0; i < random.nextInt(3); i++) {
            labels.label("l" + i + randomText(random, 2, false), randomText(random, 8, true));
        }
        return labels.build();
    }

    private static double randomDouble(SplittableRandom random) {
        switch (random.nextInt(8)) {
            case 0: return Double.NaN;
            case 1: return Double.POSITIVE_INFINITY;
            case 2: return random.nextInt(1000);
            case 3: return -0.0;
            case 4: return random.nextDouble() * 1e-12;
            default: return random.nextDouble() * 1e9;
        }
    }

    /**
     * Text of up to {@code max} pieces; in names only what a metric or label name may hold (legacy
     * characters, dots, non-ASCII), in values also quotes, backslashes, line feeds and an unpaired surrogate.
     */
    private static String randomText(SplittableRandom random, int max, boolean value) {
        String[] namePieces = {"a", "_", "9", ".", ":", "é", "中"};
        String[] valuePieces = {"a", " ", "\"", "\\", "\n", "é", "😀", "\uDC00", "#", "="};
        String[] pieces = value ? valuePieces : namePieces;
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    private static void sameBytes(MetricSnapshot snapshot) throws IOException {
        MetricSnapshots snapshots = new MetricSnapshots(snapshot);
        for (EscapingScheme scheme : EscapingScheme.values()) {
            assertSameBytes(snapshots, scheme, snapshot.getMetadata().getName());
        }
        assertTrue(ours(snapshots, EscapingScheme.DEFAULT).length > 0);
    }

    /** Both formats' bytes, ours and client_java's, under {@code scheme}. */
    private static void assertSameBytes(MetricSnapshots snapshots, EscapingScheme scheme, String what) throws IOException {
        for (ExpositionFormatWriter[] pair : PAIRS) {
            assertArrayEquals(write(pair[1], snapshots, scheme), write(pair[0], snapshots, scheme),
                    what + ", " + scheme + ", " + pair[0].getClass().getSimpleName());
        }
    }

    /** The Prometheus text format's bytes, agentmon's. */
    private static byte[] ours(MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        return write(PAIRS[0][0], snapshots, scheme);
    }

    private static byte[] theirs(MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        return write(PAIRS[0][1], snapshots, scheme);
    }

    private static byte[] write(ExpositionFormatWriter writer, MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, snapshots, scheme);
        return out.toByteArray();
    }
}

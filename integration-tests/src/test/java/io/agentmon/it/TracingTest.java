package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.OtlpReceiver.ReceivedSpan;
import io.agentmon.it.support.Promtool;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spans from the sample worker under the agent, received by a real OTLP receiver over both
 * transports: one span per task run, counted exactly against the worker's own tally, linked
 * parent to child across the thread-pool and CompletableFuture hops, with the attributes and
 * error status a user filters on, and the trace ids behind the histogram's exemplars.
 */
class TracingTest {

    static final String[] KINDS = {"IngestJob", "TransformJob", "FetchJob", "BuildJob"};
    static final String[] OUTCOMES = {"success", "failure", "timeout"};
    private static final int JOBS = 300;
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

    /** The sample worker's jobs, plus the two methods that run on the far side of a hop. */
    static final String TASKS = "com.acme.worker.jobs.Job+#execute,"
            + "checksum=com.acme.worker.jobs.TransformJob#checksum,"
            + "answer=com.acme.worker.remote.RemoteService#answer";

    @TempDir
    Path dir;

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path java : Jdks.all()) {
            cases.add(Arguments.of(java, "grpc"));
            cases.add(Arguments.of(java, "http/protobuf"));
        }
        return cases;
    }

    static WorkerProcess.Builder tracedWorker(Path java, OtlpReceiver receiver, String protocol) {
        return WorkerProcess.builder(java)
                .demoConfiguration()
                .property("agentmon.tasks", TASKS)
                .property("otel.traces.exporter", "otlp")
                .property("otel.exporter.otlp.protocol", protocol)
                .property("otel.exporter.otlp.endpoint",
                        protocol.equals("grpc") ? receiver.grpcEndpoint() : receiver.httpEndpoint());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyRunIsOneSpanLinkedAcrossHops(Path java, String protocol) throws Exception {
        Path tallyFile = dir.resolve("tally.properties");
        try (OtlpReceiver receiver = OtlpReceiver.start();
                WorkerProcess worker = tracedWorker(java, receiver, protocol)
                        .property("otel.resource.attributes", "deployment.environment=test,team=acme%20ops")
                        .sampleWorker("--jobs", String.valueOf(JOBS), "--threads", "4",
                                "--tally", tallyFile.toString(), "--hold-seconds", "60")
                        .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 120);
            long transforms = 0;
            long expected = 0;
            for (String kind : KINDS) {
                for (String outcome : OUTCOMES) {
                    expected += count(tally, kind + "." + outcome + ".count");
                }
                transforms += kind.equals("TransformJob") ? total(tally, kind) : 0;
            }
            long answers = count(tally, "remote.answered") + count(tally, "remote.interrupted");
            long allocations = count(tally, "containers.allocated") + count(tally, "containers.failed");
            expected += transforms + answers + allocations;
            List<ReceivedSpan> spans = receiver.awaitSpans((int) expected, 60);
            WorkerProcess.Http.pause(300); // nothing more may come: a span too many would fail below
            spans = receiver.spans();
            assertEquals(expected, spans.size(), "one span per run: " + JOBS + " jobs, " + transforms
                    + " checksums, " + answers + " answers, " + allocations + " container allocations");
            System.out.println("TracingTest " + protocol + ": " + spans.size() + " spans = " + JOBS + " jobs + "
                    + transforms + " checksums + " + answers + " answers + " + allocations + " allocations");

            // Per task and outcome, exactly the worker's own count.
            for (String kind : KINDS) {
                for (String outcome : OUTCOMES) {
                    assertEquals(count(tally, kind + "." + outcome + ".count"),
                            spans.stream().filter(s -> s.name().equals(kind + ".execute")
                                    && outcome.equals(s.attributes().get("agentmon.outcome"))).count(),
                            kind + " " + outcome + " spans");
                }
            }
            assertEquals(transforms, named(spans, "checksum").size(), "checksum spans");
            assertEquals(count(tally, "remote.answered"), named(spans, "answer").stream()
                    .filter(s -> "success".equals(s.attributes().get("agentmon.outcome"))).count(), "answered");
            assertEquals(count(tally, "remote.interrupted"), named(spans, "answer").stream()
                    .filter(s -> "failure".equals(s.attributes().get("agentmon.outcome"))).count(), "interrupted");

            Map<String, ReceivedSpan> byId = new HashMap<>();
            for (ReceivedSpan span : spans) {
                assertEquals(protocol.equals("grpc") ? OtlpReceiver.Protocol.GRPC : OtlpReceiver.Protocol.HTTP,
                        span.protocol());
                assertNotNull(byId.put(span.spanId(), span) == null ? "unique" : null, "span id repeated: " + span);
            }
            // Jobs are roots: the producer thread that submits them runs no task.
            for (String kind : KINDS) {
                for (ReceivedSpan job : named(spans, kind + ".execute")) {
                    assertEquals("", job.parentSpanId(), "a job is a root: " + job);
                }
            }
            // Across the hops: each child's parent is the job that submitted it, in the same trace, on another thread.
            assertChildrenOf(named(spans, "checksum"), "TransformJob.execute", byId);
            assertChildrenOf(named(spans, "answer"), "FetchJob.execute", byId);

            // Container allocations: children of the build that asked, sized, failed ones in error.
            List<ReceivedSpan> containers = named(spans, "container.allocate");
            assertEquals(count(tally, "containers.failed"), containers.stream()
                    .filter(s -> s.statusCode() == StatusCode.STATUS_CODE_ERROR).count(), "failed allocations");
            for (ReceivedSpan container : containers) {
                ReceivedSpan build = byId.get(container.parentSpanId());
                assertNotNull(build, "the build that allocated " + container);
                assertEquals("BuildJob.execute", build.name());
                assertEquals(build.traceId(), container.traceId());
                assertTrue((Double) container.attributes().get("agentmon.container.cpus") > 0, container.toString());
                assertTrue((Long) container.attributes().get("agentmon.container.memory_bytes") > 0, container.toString());
            }
            spans = spans.stream().filter(s -> !s.name().equals("container.allocate")).collect(Collectors.toList());

            // Attributes, status and the exception event.
            for (ReceivedSpan span : spans) {
                Map<String, Object> attributes = span.attributes();
                String outcome = (String) attributes.get("agentmon.outcome");
                assertEquals(span.name(), attributes.get("agentmon.task"));
                assertNotNull(attributes.get("code.namespace"), span.toString());
                assertNotNull(attributes.get("code.function"), span.toString());
                assertNotNull(attributes.get("thread.name"), span.toString());
                assertNotNull(attributes.get("thread.id"), span.toString());
                assertEquals(0.045, (Double) attributes.get("agentmon.deadline.seconds"), 1e-9, span.toString());
                long nanos = span.proto().getEndTimeUnixNano() - span.proto().getStartTimeUnixNano();
                assertEquals(nanos > 45_000_000L, attributes.get("agentmon.deadline.exceeded"), span.toString());
                if (outcome.equals("success")) {
                    assertEquals(StatusCode.STATUS_CODE_UNSET, span.statusCode(), span.toString());
                    assertTrue(span.events().isEmpty(), span.toString());
                } else {
                    assertEquals(StatusCode.STATUS_CODE_ERROR, span.statusCode(), span.toString());
                    assertEquals(1, span.events().size(), span.toString());
                    assertEquals("exception", span.events().get(0).name);
                    String type = (String) span.events().get(0).attributes.get("exception.type");
                    assertEquals(outcome.equals("timeout"), type.equals("java.util.concurrent.TimeoutException"), type);
                    assertTrue(((String) span.events().get(0).attributes.get("exception.stacktrace")).contains("\tat "));
                }
                Map<String, Object> resource = span.resourceAttributes();
                assertEquals("sample-worker", resource.get("service.name"));
                assertEquals("test", resource.get("deployment.environment"));
                assertEquals("acme ops", resource.get("team"));
                assertEquals("agentmon", resource.get("telemetry.distro.name"));
                assertEquals("io.agentmon", span.scopeName());
            }
            ReceivedSpan ingest = named(spans, "IngestJob.execute").get(0);
            assertEquals("com.acme.worker.jobs.IngestJob", ingest.attributes().get("code.namespace"));
            assertEquals("execute", ingest.attributes().get("code.function"));
            assertTrue(((String) ingest.attributes().get("thread.name")).startsWith("worker-"), ingest.toString());

            // The agent's own account agrees, and the deadline misses are the spans marked so.
            Scrape scrape = WorkerProcess.Http.scrape(port);
            assertEquals(expected, scrape.value("agentmon_spans_exported_total"));
            assertEquals(0, scrape.value("agentmon_dropped_total", "what", "spans"));
            for (String kind : KINDS) {
                assertEquals(scrape.value("agentmon_task_timeouts_total", "task", kind + ".execute", "reason", "deadline"),
                        named(spans, kind + ".execute").stream()
                                .filter(s -> Boolean.TRUE.equals(s.attributes().get("agentmon.deadline.exceeded"))).count(),
                        kind + " deadline misses");
            }

            assertExemplarsPointAtSpans(port, spans);
        }
    }

    /**
     * Ratio sampling decides per trace: about half the jobs are exported, and each exported
     * job brings all its children across the hops, while no child of an unexported job is
     * exported (parent-based, the decision travels with the context). The metrics count every run.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.agentmon.it.support.Jdks#all")
    void ratioSamplingKeepsWholeTraces(Path java) throws Exception {
        Path tallyFile = dir.resolve("tally.properties");
        try (OtlpReceiver receiver = OtlpReceiver.start();
                WorkerProcess worker = tracedWorker(java, receiver, "grpc")
                        .property("otel.traces.sampler", "parentbased_traceidratio")
                        .property("otel.traces.sampler.arg", "0.5")
                        .sampleWorker("--jobs", String.valueOf(JOBS), "--threads", "4",
                                "--tally", tallyFile.toString(), "--hold-seconds", "60")
                        .start()) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(tallyFile, 120);
            worker.waitFor(30, "the exporter to catch up", () -> {
                try {
                    return WorkerProcess.Http.scrape(port).value("agentmon_spans_exported_total") == receiver.spans().size()
                            && !receiver.spans().isEmpty();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            WorkerProcess.Http.pause(500); // a last batch may still be on its way
            List<ReceivedSpan> spans = receiver.spans();
            Scrape scrape = WorkerProcess.Http.scrape(port);
            assertEquals(spans.size(), scrape.value("agentmon_spans_exported_total"));
            assertEquals(0, scrape.value("agentmon_dropped_total", "what", "spans"));
            for (String kind : KINDS) {
                for (String outcome : OUTCOMES) {
                    assertEquals(count(tally, kind + "." + outcome + ".count"), scrape.value(
                            "agentmon_task_duration_seconds_count", "task", kind + ".execute", "outcome", outcome));
                }
            }
            Map<String, ReceivedSpan> byId = new HashMap<>();
            Map<String, Integer> children = new HashMap<>();
            for (ReceivedSpan span : spans) {
                byId.put(span.spanId(), span);
            }
            long jobs = 0;
            for (ReceivedSpan span : spans) {
                if (span.parentSpanId().isEmpty()) {
                    jobs++;
                } else {
                    assertNotNull(byId.get(span.parentSpanId()), "no orphan: the parent of " + span + " was exported");
                    children.merge(span.parentSpanId(), 1, Integer::sum);
                }
            }
            // 300 coin flips: 150 expected, 4 standard deviations either side is still far from 0 and 300.
            assertTrue(jobs > 115 && jobs < 185, jobs + " of " + JOBS + " jobs exported at ratio 0.5");
            for (ReceivedSpan transform : named(spans, "TransformJob.execute")) {
                assertEquals(1, children.getOrDefault(transform.spanId(), 0), "its checksum came along: " + transform);
            }
            System.out.println("TracingTest ratio 0.5: " + jobs + " of " + JOBS + " jobs exported, " + spans.size() + " spans");
        }
    }

    /**
     * A worker that finishes its jobs and exits at once: its last spans (and the exporter's
     * last batch) leave before the JVM does, so every run still arrives.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.agentmon.it.support.Jdks#all")
    void theLastSpansLeaveWithTheWorker(Path java) throws Exception {
        Path tallyFile = dir.resolve("tally.properties");
        try (OtlpReceiver receiver = OtlpReceiver.start();
                WorkerProcess worker = tracedWorker(java, receiver, "http/protobuf")
                        .property("agentmon.tasks", "com.acme.worker.jobs.Job+#execute")
                        .sampleWorker("--jobs", "100", "--threads", "4", "--tally", tallyFile.toString())
                        .start()) {
            assertEquals(0, worker.awaitExit(120), worker.stderr());
            Properties tally = worker.awaitProperties(tallyFile, 1);
            assertEquals("100", tally.getProperty("total.count"));
            // No waiting for more: the JVM is gone, whatever arrived has arrived.
            List<ReceivedSpan> spans = receiver.spans();
            assertEquals(100, spans.stream().filter(s -> s.name().endsWith(".execute")).count(),
                    "every job's span, the last ones included");
            assertEquals(count(tally, "containers.allocated") + count(tally, "containers.failed"),
                    named(spans, "container.allocate").size(), "every allocation's span");
        }
    }

    /**
     * The histogram's buckets carry exemplars in OpenMetrics, each the trace and span of a run
     * that fell in that bucket, and Prometheus's own OpenMetrics parser accepts the scrape.
     */
    private void assertExemplarsPointAtSpans(int port, List<ReceivedSpan> spans) throws Exception {
        WorkerProcess.Response response = WorkerProcess.Http.request(port, "GET", "/metrics", Map.of("Accept", OPENMETRICS));
        assertEquals(200, response.status);
        Map<String, ReceivedSpan> bySpanId = spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        Pattern exemplar = Pattern.compile("^agentmon_task_duration_seconds_bucket\\{(.*)\\} \\S+ # \\{span_id=\"(\\w+)\",trace_id=\"(\\w+)\"\\} (\\S+) \\S+$");
        int found = 0;
        for (String line : response.body.split("\n")) {
            Matcher matcher = exemplar.matcher(line);
            if (!matcher.matches()) {
                continue;
            }
            found++;
            ReceivedSpan span = bySpanId.get(matcher.group(2));
            assertNotNull(span, "the exemplar's span was exported: " + line);
            assertEquals(span.traceId(), matcher.group(3), line);
            assertTrue(matcher.group(1).contains("task=\"" + span.name() + "\""), line);
            assertTrue(matcher.group(1).contains("outcome=\"" + span.attributes().get("agentmon.outcome") + "\""), line);
            double seconds = (span.proto().getEndTimeUnixNano() - span.proto().getStartTimeUnixNano()) / 1e9;
            assertEquals(seconds, Double.parseDouble(matcher.group(4)), 1e-6, line);
            Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(matcher.group(1));
            assertTrue(le.find());
            assertTrue(le.group(1).equals("+Inf") || seconds <= Double.parseDouble(le.group(1)), "in its bucket: " + line);
        }
        System.out.println("TracingTest: " + found + " exemplars, each the span of a run in its bucket");
        assertTrue(found >= 8, "exemplars on the task buckets, found " + found + ":\n" + response.body);

        Path input = dir.resolve("openmetrics.txt");
        Path blocks = Files.createDirectories(dir.resolve("blocks"));
        Files.write(input, PromtoolCheckTest.withTimestamps(response.body, System.currentTimeMillis() / 1000)
                .getBytes(StandardCharsets.UTF_8));
        Promtool.Result result = Promtool.run(new byte[0], "tsdb", "create-blocks-from", "openmetrics",
                input.toString(), blocks.toString());
        assertEquals(0, result.exit, "promtool's OpenMetrics parser rejected the scrape:\n" + result.output);
    }

    private static void assertChildrenOf(List<ReceivedSpan> children, String parentName, Map<String, ReceivedSpan> byId) {
        assertFalse(children.isEmpty(), "some " + parentName + " children");
        Set<String> parents = new HashSet<>();
        for (ReceivedSpan child : children) {
            ReceivedSpan parent = byId.get(child.parentSpanId());
            assertNotNull(parent, "the parent of " + child + " was exported");
            assertEquals(parentName, parent.name(), child.toString());
            assertEquals(parent.traceId(), child.traceId(), child.toString());
            assertFalse(parent.attributes().get("thread.name").equals(child.attributes().get("thread.name")),
                    "a hop to another thread: " + child);
            assertTrue(child.proto().getStartTimeUnixNano() >= parent.proto().getStartTimeUnixNano(), child.toString());
            parents.add(parent.spanId());
        }
        if (parentName.equals("TransformJob.execute")) {
            assertEquals(children.size(), parents.size(), "one checksum per transform");
        }
    }

    static List<ReceivedSpan> named(List<ReceivedSpan> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).collect(Collectors.toList());
    }

    static long count(Properties tally, String key) {
        return Long.parseLong(tally.getProperty(key, "0"));
    }

    private static long total(Properties tally, String kind) {
        long total = 0;
        for (String outcome : OUTCOMES) {
            total += count(tally, kind + "." + outcome + ".count");
        }
        return total;
    }
}

package io.agentmon.agent.otlp;

import io.agentmon.agent.config.OtelConfig;
import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.SpanRing;
import io.agentmon.bootstrap.TaskMethods;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one consumer of the {@link SpanRing}: a daemon thread that turns finished runs into
 * spans and hands them to the OTLP exporter in batches, waiting for each export to finish
 * before the next. While it waits (a slow or absent collector) the ring fills and the worker's
 * threads drop spans, counted, instead of waiting; a batch the exporter gives up on is dropped
 * and counted too. The task spans of each batch the collector accepted leave their trace ids as
 * exemplars on the task histogram ({@link TaskExemplars}).
 */
public final class SpanExport implements Runnable {

    private static final int BATCH = 512;
    /** Longest a finished span waits for its batch to fill. */
    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long IDLE_PARK_MILLIS = 20;
    /** The most a worker's exit waits for its last spans. */
    private static final long FLUSH_AT_EXIT_MILLIS = 3000;

    private static final AttributeKey<String> TASK = AttributeKey.stringKey("agentmon.task");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("agentmon.outcome");
    private static final AttributeKey<Boolean> DEADLINE_EXCEEDED = AttributeKey.booleanKey("agentmon.deadline.exceeded");
    private static final AttributeKey<Double> DEADLINE = AttributeKey.doubleKey("agentmon.deadline.seconds");
    private static final AttributeKey<String> CODE_NAMESPACE = AttributeKey.stringKey("code.namespace");
    private static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function");
    private static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
    private static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
    /** The name of a container allocation's span. */
    static final String CONTAINER_SPAN = "container.allocate";
    private static final AttributeKey<Double> CONTAINER_CPUS = AttributeKey.doubleKey("agentmon.container.cpus");
    private static final AttributeKey<Long> CONTAINER_MEMORY = AttributeKey.longKey("agentmon.container.memory_bytes");
    private static final AttributeKey<String> CONTAINER_IMAGE = AttributeKey.stringKey("container.image.name");
    private static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    private static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

    private final OtelConfig.Export export;
    private final Supplier<Resource> resource;
    private final InstrumentationScopeInfo scope;
    private final long epochOffsetNanos;
    private SpanExporter exporter;
    private final CountDownLatch flushed = new CountDownLatch(1);
    private volatile boolean exiting;
    private final ExportLog log;
    private final TaskExemplars exemplars;

    private SpanExport(OtelConfig.Export export, Supplier<Resource> resource, String version, TaskExemplars exemplars) {
        this.export = export;
        this.exemplars = exemplars;
        this.log = new ExportLog("span export to " + export);
        this.resource = resource;
        this.scope = InstrumentationScopeInfo.builder("io.agentmon").setVersion(version).build();
        Instant now = Instant.now();
        this.epochOffsetNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    /**
     * Starts the exporter thread, and a shutdown hook that sends what is still in the ring when
     * the worker exits (waiting at most {@link #FLUSH_AT_EXIT_MILLIS}), so that the last runs of a
     * worker that finishes and exits are not lost. The spans the collector accepts become the
     * exemplars in {@code exemplars}.
     */
    static void start(OtelConfig.Export export, Supplier<Resource> resource, String version, TaskExemplars exemplars) {
        SpanExport exporter = new SpanExport(export, resource, version, exemplars);
        Thread thread = new Thread(exporter, "agentmon-spans");
        thread.setDaemon(true);
        thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(exporter::flushAtExit, "agentmon-spans-flush"));
    }

    private void flushAtExit() {
        exiting = true;
        try {
            flushed.await(Math.min(FLUSH_AT_EXIT_MILLIS, export.timeoutMillis + 500), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        SpanRing.Span record = new SpanRing.Span();
        List<SpanData> batch = new ArrayList<>(BATCH);
        long batchStarted = 0;
        while (true) {
            try {
                // Read before the ring: every span recorded before the exit began is polled below.
                boolean exit = exiting;
                while (batch.size() < BATCH && SpanRing.poll(record)) {
                    if (batch.isEmpty()) {
                        batchStarted = System.nanoTime();
                    }
                    batch.add(toSpan(record));
                }
                long now = System.nanoTime();
                if (batch.size() >= BATCH || !batch.isEmpty() && (exit || now - batchStarted >= FLUSH_NANOS)) {
                    send(batch);
                    batch = new ArrayList<>(BATCH); // the exporter may still hold the old list
                } else if (exit) {
                    flushed.countDown(); // the ring is empty and everything before the exit was sent
                    Thread.sleep(IDLE_PARK_MILLIS);
                } else {
                    Thread.sleep(IDLE_PARK_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) { // never let the thread die: spans would pile up and drop forever
                SpanCounts.FAILED.addAndGet(batch.size());
                batch = new ArrayList<>(BATCH);
                log.failed(e.toString(), dropped());
            }
        }
    }

    private void send(List<SpanData> batch) {
        if (exporter == null) {
            // Built on first use, not at start: the SDK brings java.util.logging up, and a worker
            // that installs its own LogManager in main should get the chance to first.
            exporter = OtlpExporters.spans(export);
        }
        CompletableResultCode result = export(exporter::export, batch, export.timeoutMillis, exemplars);
        if (result.isSuccess()) {
            log.worked();
        } else {
            log.failed(ExportLog.why(result), dropped());
        }
    }

    /**
     * Hands {@code batch} to {@code exporter} and waits for its answer. Accepted, its task spans
     * become their buckets' exemplars and then count as exported; else they count as dropped.
     * Returns the exporter's result, done unless the exporter never answered.
     */
    static CompletableResultCode export(Function<List<SpanData>, CompletableResultCode> exporter, List<SpanData> batch,
            long timeoutMillis, TaskExemplars exemplars) {
        CompletableResultCode result = exporter.apply(Collections.unmodifiableList(batch));
        if (ExportLog.succeeded(result, timeoutMillis)) {
            offerExemplars(batch, exemplars); // before the count: a reader that sees the count sees the exemplars
            SpanCounts.EXPORTED.addAndGet(batch.size());
        } else {
            SpanCounts.FAILED.addAndGet(batch.size());
        }
        return result;
    }

    private static void offerExemplars(List<SpanData> batch, TaskExemplars exemplars) {
        for (SpanData data : batch) {
            ExportedSpan span = (ExportedSpan) data;
            if (span.probeId != ExportedSpan.NOT_A_TASK) {
                SpanContext context = span.getSpanContext();
                exemplars.offer(span.probeId, span.outcome, span.getEndEpochNanos() - span.getStartEpochNanos(),
                        context.getTraceId(), context.getSpanId(), span.getEndEpochNanos() / 1_000_000);
            }
        }
    }

    private static String dropped() {
        return SpanCounts.dropped() + " spans dropped so far, counted in agentmon_dropped_total{what=\"spans\"}";
    }

    private SpanData toSpan(SpanRing.Span record) {
        return record.kind == SpanRing.CONTAINER ? containerSpan(record) : taskSpan(record);
    }

    private SpanData taskSpan(SpanRing.Span record) {
        String traceId = TraceId.fromLongs(record.traceIdHigh, record.traceIdLow);
        String spanId = SpanId.fromLong(record.spanId);
        SpanContext context = SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
        long start = record.startNanos + epochOffsetNanos;
        long end = start + record.durationNanos;
        TaskRecorder recorder = TaskRecorders.recorder(record.probeId);
        Throwable thrown = record.thrown;
        int outcome = Outcome.of(thrown);

        AttributesBuilder attributes = Attributes.builder()
                .put(TASK, recorder.label())
                .put(OUTCOME, Outcome.label(outcome))
                .put(THREAD_ID, record.threadId);
        if (record.threadName != null) {
            attributes.put(THREAD_NAME, record.threadName);
        }
        String className = TaskMethods.className(record.methodId);
        if (className != null) {
            attributes.put(CODE_NAMESPACE, className).put(CODE_FUNCTION, TaskMethods.methodName(record.methodId));
        }
        if (recorder.deadlineNanos() != TaskRecorder.NO_DEADLINE) {
            attributes.put(DEADLINE, recorder.deadlineNanos() / 1e9)
                    .put(DEADLINE_EXCEEDED, (record.flags & SpanRing.LATE) != 0);
        }
        return new ExportedSpan(record.probeId, outcome, recorder.label(), context, parent(record, traceId), status(thrown),
                start, end, attributes.build(), exceptionEvents(thrown, end), resource.get(), scope);
    }

    /** A container allocation: the worker's own allocator, or docker-java's create command. */
    private SpanData containerSpan(SpanRing.Span record) {
        String traceId = TraceId.fromLongs(record.traceIdHigh, record.traceIdLow);
        SpanContext context = SpanContext.create(traceId, SpanId.fromLong(record.spanId), TraceFlags.getSampled(),
                TraceState.getDefault());
        long start = record.startNanos + epochOffsetNanos;
        long end = start + record.durationNanos;
        AttributesBuilder attributes = Attributes.builder()
                .put(OUTCOME, Outcome.label(Outcome.ofAllocation(record.thrown)))
                .put(CONTAINER_CPUS, record.cpus)
                .put(CONTAINER_MEMORY, record.memoryBytes)
                .put(THREAD_ID, record.threadId);
        if (record.threadName != null) {
            attributes.put(THREAD_NAME, record.threadName);
        }
        if (record.image != null) {
            attributes.put(CONTAINER_IMAGE, record.image);
        }
        if (record.containerId != null) {
            attributes.put(CONTAINER_ID, record.containerId);
        }
        return new ExportedSpan(ExportedSpan.NOT_A_TASK, Outcome.ofAllocation(record.thrown), CONTAINER_SPAN, context,
                parent(record, traceId), status(record.thrown), start, end, attributes.build(),
                exceptionEvents(record.thrown, end), resource.get(), scope);
    }

    private static SpanContext parent(SpanRing.Span record, String traceId) {
        if (record.parentSpanId == 0) {
            return SpanContext.getInvalid();
        }
        String parentId = SpanId.fromLong(record.parentSpanId);
        return (record.flags & SpanRing.WORKER_PARENT) != 0
                ? SpanContext.createFromRemoteParent(traceId, parentId, TraceFlags.getSampled(), TraceState.getDefault())
                : SpanContext.create(traceId, parentId, TraceFlags.getSampled(), TraceState.getDefault());
    }

    private static StatusData status(Throwable thrown) {
        if (thrown == null) {
            return StatusData.unset();
        }
        String message = thrown.getMessage();
        return StatusData.create(StatusCode.ERROR, message == null ? thrown.getClass().getName() : message);
    }

    /** The semantic-convention {@code exception} event, or none. */
    private static List<EventData> exceptionEvents(Throwable thrown, long epochNanos) {
        if (thrown == null) {
            return Collections.emptyList();
        }
        AttributesBuilder exception = Attributes.builder()
                .put(EXCEPTION_TYPE, thrown.getClass().getName())
                .put(EXCEPTION_STACKTRACE, stackTrace(thrown));
        if (thrown.getMessage() != null) {
            exception.put(EXCEPTION_MESSAGE, thrown.getMessage());
        }
        return Collections.singletonList(EventData.create(epochNanos, "exception", exception.build()));
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}

package io.agentmon.it;

import static io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
import static io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_UNSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.OtlpReceiver;
import io.agentmon.it.support.OtlpReceiver.Event;
import io.agentmon.it.support.OtlpReceiver.Protocol;
import io.agentmon.it.support.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.grpc.GrpcSenderProvider;
import io.opentelemetry.exporter.internal.http.HttpSenderProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves {@link OtlpReceiver} against the official OpenTelemetry SDK and its OTLP exporters, over
 * gRPC and over HTTP/protobuf: a parent and a child span arrive exactly as the SDK made them
 * (ids, link, attributes, status, exception event, resource), over the protocol used and no
 * other; a receiver set unavailable makes the exporter's own result a failure after the
 * exporter's retries, and spans flow again once it is available; a stopped receiver refuses
 * connections and comes back on the same endpoint.
 */
class OtlpReceiverTest {

    /** The exporters here must be the SDK's own, over its own senders: agentmon's senders are what the receiver checks. */
    @Test
    void theSdksOwnSendersCarryTheseExports() {
        for (Class<?> spi : List.of(GrpcSenderProvider.class, HttpSenderProvider.class)) {
            List<String> providers = new java.util.ArrayList<>();
            ServiceLoader.load(spi).forEach(provider -> providers.add(provider.getClass().getName()));
            assertFalse(providers.isEmpty(), spi.getSimpleName());
            assertTrue(providers.stream().allMatch(name -> name.startsWith("io.opentelemetry.")), spi.getSimpleName() + ": " + providers);
        }
    }

    private static final String SERVICE = "otlp-receiver-test";
    private static final int ATTEMPTS = 3;

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void receivesExactlyTheSpansTheSdkExports(Protocol protocol) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); Sdk sdk = new Sdk(exporter(protocol, receiver))) {
            Span parent = sdk.tracer.spanBuilder("task.run").startSpan();
            parent.setAttribute("task.name", "Worker.process");
            parent.setAttribute("task.attempt", 2L);
            parent.setAttribute("task.retry", true);
            parent.setAttribute("task.load", 0.5);
            parent.setAttribute(AttributeKey.stringArrayKey("task.tags"), Arrays.asList("a", "b"));
            Span child = sdk.tracer.spanBuilder("task.step").setParent(Context.current().with(parent)).startSpan();
            child.setAttribute("step", "parse");
            child.recordException(new IllegalStateException("boom"));
            child.setStatus(StatusCode.ERROR, "step failed");
            child.end();
            parent.end();
            assertTrue(sdk.provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "flush");

            List<ReceivedSpan> spans = receiver.awaitSpans(2, 10);
            Thread.sleep(200); // nothing more may come
            assertEquals(2, receiver.spans().size(), () -> "spans: " + receiver.spans());
            assertEquals(1, receiver.requests(protocol), "one batch, one export request");
            assertEquals(0, receiver.requests(other(protocol)), "nothing over the other protocol");
            Map<String, ReceivedSpan> byName = spans.stream().collect(Collectors.toMap(ReceivedSpan::name, s -> s));
            ReceivedSpan p = byName.get("task.run");
            ReceivedSpan c = byName.get("task.step");
            assertTrue(p != null && c != null, () -> "names: " + byName.keySet());

            // Identity and the parent/child link, checked against the ids the SDK generated.
            assertEquals(parent.getSpanContext().getTraceId(), p.traceId());
            assertEquals(parent.getSpanContext().getSpanId(), p.spanId());
            assertEquals(child.getSpanContext().getSpanId(), c.spanId());
            assertEquals(p.traceId(), c.traceId());
            assertEquals(p.spanId(), c.parentSpanId());
            assertEquals("", p.parentSpanId());
            assertEquals(32, p.traceId().length());
            assertEquals(16, p.spanId().length());

            Map<String, Object> expected = new HashMap<>();
            expected.put("task.name", "Worker.process");
            expected.put("task.attempt", 2L);
            expected.put("task.retry", true);
            expected.put("task.load", 0.5);
            expected.put("task.tags", Arrays.asList("a", "b"));
            assertEquals(expected, p.attributes());
            assertEquals(Map.of("step", "parse"), c.attributes());

            assertEquals(STATUS_CODE_UNSET, p.statusCode());
            assertEquals(STATUS_CODE_ERROR, c.statusCode());
            assertEquals("step failed", c.statusMessage());
            assertEquals(List.of(), p.events());
            assertEquals(1, c.events().size(), () -> "events: " + c.events());
            Event exception = c.events().get(0);
            assertEquals("exception", exception.name);
            assertEquals("java.lang.IllegalStateException", exception.attributes.get("exception.type"));
            assertEquals("boom", exception.attributes.get("exception.message"));
            assertTrue(String.valueOf(exception.attributes.get("exception.stacktrace"))
                    .startsWith("java.lang.IllegalStateException: boom"), () -> "event: " + exception);

            for (ReceivedSpan span : spans) {
                assertEquals(protocol, span.protocol());
                assertEquals(SERVICE, span.resourceAttributes().get("service.name"));
                assertEquals("java", span.resourceAttributes().get("telemetry.sdk.language"));
                assertEquals(OtlpReceiverTest.class.getName(), span.scopeName());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anUnavailableReceiverFailsTheExportAndSpansFlowAgainAfterwards(Protocol protocol) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); Sdk sdk = new Sdk(exporter(protocol, receiver))) {
            List<SpanData> first = sdk.record("first");

            receiver.setAvailable(false);
            CompletableResultCode refused = sdk.exporter.export(first).join(20, TimeUnit.SECONDS);
            assertTrue(refused.isDone(), "the export ended within its bound");
            assertFalse(refused.isSuccess(), "export to an unavailable receiver");
            // The refusal was retryable: the exporter tried every attempt its policy allows.
            assertEquals(ATTEMPTS, receiver.refused(protocol));
            assertEquals(0, receiver.requests(protocol));
            assertEquals(List.of(), receiver.spans());

            receiver.setAvailable(true);
            assertTrue(sdk.exporter.export(first).join(10, TimeUnit.SECONDS).isSuccess(), "export after recovery");
            assertEquals(List.of("first"), names(receiver.awaitSpans(1, 10)));
            assertEquals(1, receiver.requests(protocol));
            assertEquals(ATTEMPTS, receiver.refused(protocol));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aStoppedReceiverRefusesConnectionsAndComesBackOnTheSameEndpoint(Protocol protocol) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); Sdk sdk = new Sdk(exporter(protocol, receiver))) {
            String grpc = receiver.grpcEndpoint();
            String http = receiver.httpEndpoint();
            List<SpanData> spans = sdk.record("across-restart");

            receiver.stop();
            CompletableResultCode dead = sdk.exporter.export(spans).join(20, TimeUnit.SECONDS);
            assertTrue(dead.isDone(), "the export ended within its bound");
            assertFalse(dead.isSuccess(), "export to a stopped receiver");
            assertEquals(0, receiver.requests(protocol) + receiver.refused(protocol), "nothing reached it");

            receiver.restart();
            assertEquals(grpc, receiver.grpcEndpoint());
            assertEquals(http, receiver.httpEndpoint());
            assertTrue(sdk.exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess(), "export after restart");
            assertEquals(List.of("across-restart"), names(receiver.awaitSpans(1, 10)));
        }
    }

    private static SpanExporter exporter(Protocol protocol, OtlpReceiver receiver) {
        // Few, fast retries: the test counts them, and a refusal must not take the default's seconds.
        RetryPolicy retry = RetryPolicy.builder().setMaxAttempts(ATTEMPTS)
                .setInitialBackoff(Duration.ofMillis(10)).setMaxBackoff(Duration.ofMillis(50)).build();
        if (protocol == Protocol.GRPC) {
            return OtlpGrpcSpanExporter.builder().setEndpoint(receiver.grpcEndpoint())
                    .setTimeout(Duration.ofSeconds(5)).setRetryPolicy(retry).build();
        }
        return OtlpHttpSpanExporter.builder().setEndpoint(receiver.httpTracesUrl())
                .setTimeout(Duration.ofSeconds(5)).setRetryPolicy(retry).build();
    }

    private static Protocol other(Protocol protocol) {
        return protocol == Protocol.GRPC ? Protocol.HTTP : Protocol.GRPC;
    }

    private static List<String> names(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::name).collect(Collectors.toList());
    }

    /**
     * The SDK as an application would set it up: a tracer provider with a service name, exporting
     * through a batch processor that only sends when flushed (so one flush is one request); a
     * recorder keeps the ended spans so a test can also hand them to the exporter itself and see
     * its result.
     */
    private static final class Sdk implements AutoCloseable {
        final SpanExporter exporter;
        final SdkTracerProvider provider;
        final Tracer tracer;
        final List<SpanData> ended = new CopyOnWriteArrayList<>();

        Sdk(SpanExporter exporter) {
            this.exporter = exporter;
            this.provider = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), SERVICE))))
                    .addSpanProcessor(new Recorder())
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                            .setScheduleDelay(Duration.ofMinutes(10)).build())
                    .build();
            this.tracer = provider.get(OtlpReceiverTest.class.getName());
        }

        /** Ends one span named {@code name} and returns it as the SDK hands spans to exporters. */
        List<SpanData> record(String name) {
            ended.clear();
            tracer.spanBuilder(name).startSpan().end();
            return List.copyOf(ended);
        }

        @Override
        public void close() {
            // Shuts the batch processor down, which shuts the exporter down too.
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }

        private final class Recorder implements SpanProcessor {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                ended.add(span.toSpanData());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        }
    }
}

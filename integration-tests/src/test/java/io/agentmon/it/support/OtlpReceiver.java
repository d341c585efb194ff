package io.agentmon.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real OTLP trace and metrics receiver in the test JVM, on 127.0.0.1 with free ports: OTLP/gRPC
 * ({@code opentelemetry.proto.collector.trace.v1.TraceService/Export} and
 * {@code opentelemetry.proto.collector.metrics.v1.MetricsService/Export}, grpc-java over Netty) and
 * OTLP/HTTP ({@code POST /v1/traces} and {@code POST /v1/metrics}, {@code application/x-protobuf},
 * JDK {@code HttpServer}). All decode with the official generated protobuf classes, so what a test
 * sees is what an exporter actually put on the wire; nothing in the exporter is stubbed.
 *
 * <p>Every received span is kept, flattened out of its resource and scope but with both
 * attached, in arrival order. Every metrics export request is kept whole, as one {@link
 * ReceivedMetrics}, in arrival order; metric requests are counted apart from trace requests.
 *
 * <p>A test of a dead collector has two levers: {@link #setAvailable(boolean) setAvailable(false)}
 * keeps the ports open but refuses every export with the retryable answer a collector gives when
 * it cannot take data (gRPC {@code UNAVAILABLE}, HTTP 503), and {@link #stop()} closes the ports so connections are refused, until {@link
 * #restart()} binds the same ports again (exporters keep their configured endpoint).
 */
public final class OtlpReceiver implements AutoCloseable {

    /** The two OTLP transports the receiver speaks. */
    public enum Protocol { GRPC, HTTP }

    private static final String PROTOBUF = "application/x-protobuf";
    private static final int BIND_WAIT_SECONDS = 10;

    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final Map<Protocol, AtomicInteger> accepted = new EnumMap<>(Protocol.class);
    private final Map<Protocol, AtomicInteger> refused = new EnumMap<>(Protocol.class);
    private final List<ReceivedMetrics> metricExports = new CopyOnWriteArrayList<>();
    private final Map<Protocol, AtomicInteger> metricRequests = new EnumMap<>(Protocol.class);
    private final Map<Protocol, AtomicInteger> metricRefusals = new EnumMap<>(Protocol.class);
    private final AtomicInteger gzipped = new AtomicInteger();
    private volatile boolean available = true;
    private int grpcPort;
    private int httpPort;
    private Server grpc;
    private HttpServer http;
    /** The gRPC server's key when it speaks TLS (ALPN h2), else null. */
    private final KeyManagerFactory tlsKey;

    private OtlpReceiver() {
        this(null);
    }

    private OtlpReceiver(KeyManagerFactory tlsKey) {
        this.tlsKey = tlsKey;
        for (Protocol protocol : Protocol.values()) {
            accepted.put(protocol, new AtomicInteger());
            refused.put(protocol, new AtomicInteger());
            metricRequests.put(protocol, new AtomicInteger());
            metricRefusals.put(protocol, new AtomicInteger());
        }
    }

    /** Starts both servers on free loopback ports. */
    public static OtlpReceiver start() throws IOException {
        return start(new OtlpReceiver());
    }

    /** Like {@link #start()}, with both servers on TLS under the test certificates' server key (gRPC with ALPN h2). */
    public static OtlpReceiver startTls(TestCertificates certificates) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certificates.serverKeystore)) {
                store.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, TestCertificates.PASSWORD.toCharArray());
            return start(new OtlpReceiver(keys));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static OtlpReceiver start(OtlpReceiver receiver) throws IOException {
        try {
            receiver.bind();
        } catch (IOException | RuntimeException e) {
            receiver.close();
            throw e;
        }
        return receiver;
    }

    /** {@code http://127.0.0.1:<port>} of the gRPC server, as exporters take it. */
    public String grpcEndpoint() {
        return (tlsKey != null ? "https" : "http") + "://127.0.0.1:" + grpcPort;
    }

    /**
     * {@code http://127.0.0.1:<port>} of the HTTP server: the base an OTLP endpoint setting names
     * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}-style), to which {@code /v1/traces} is appended.
     */
    public String httpEndpoint() {
        return (tlsKey != null ? "https" : "http") + "://127.0.0.1:" + httpPort;
    }

    /** The full traces URL, for exporters configured with a signal-specific endpoint (the SDK's builder). */
    public String httpTracesUrl() {
        return httpEndpoint() + "/v1/traces";
    }

    /** The full metrics URL, for exporters configured with a signal-specific endpoint. */
    public String httpMetricsUrl() {
        return httpEndpoint() + "/v1/metrics";
    }

    /** While false, every export (spans and metrics) is answered with a retryable refusal and its spans are dropped. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    /** Export requests taken (spans kept) over {@code protocol}. */
    public int requests(Protocol protocol) {
        return accepted.get(protocol).get();
    }

    /** Export requests refused over {@code protocol} while unavailable. */
    public int refused(Protocol protocol) {
        return refused.get(protocol).get();
    }

    /** HTTP requests (either signal) that came gzip-compressed. */
    public int gzippedRequests() {
        return gzipped.get();
    }

    /** A snapshot of every span received so far, in arrival order. */
    public List<ReceivedSpan> spans() {
        return Collections.unmodifiableList(new ArrayList<>(spans));
    }

    /** Forgets the spans received so far (counters are kept). */
    public void clearSpans() {
        spans.clear();
    }

    /**
     * Waits, polling, until at least {@code count} spans have arrived, at most {@code seconds};
     * then returns them all. Fails naming what did arrive.
     */
    public List<ReceivedSpan> awaitSpans(int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (spans.size() < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("expected " + count + " spans within " + seconds + " s, got "
                        + spans().stream().map(ReceivedSpan::name).collect(Collectors.toList()));
            }
            Thread.sleep(20);
        }
        return spans();
    }

    /** Metrics export requests taken over {@code protocol} (not counted in {@link #requests}). */
    public int metricRequests(Protocol protocol) {
        return metricRequests.get(protocol).get();
    }

    /** Metrics export requests refused over {@code protocol} while unavailable. */
    public int metricRefusals(Protocol protocol) {
        return metricRefusals.get(protocol).get();
    }

    /** A snapshot of every metrics export received so far, in arrival order. */
    public List<ReceivedMetrics> metricExports() {
        return Collections.unmodifiableList(new ArrayList<>(metricExports));
    }

    /**
     * Waits, polling, until a metrics push arrives (or has arrived) that {@code wanted} accepts, at
     * most {@code seconds}; returns the latest such push. Fails naming how many pushes did arrive.
     */
    public ReceivedMetrics awaitMetrics(Predicate<ReceivedMetrics> wanted, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<ReceivedMetrics> pushes = metricExports();
            for (int i = pushes.size() - 1; i >= 0; i--) {
                if (wanted.test(pushes.get(i))) {
                    return pushes.get(i);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no wanted metrics push within " + seconds + " s among " + pushes.size()
                        + " received" + (pushes.isEmpty() ? "" : "; the last had " + pushes.get(pushes.size() - 1).metricNames()));
            }
            Thread.sleep(50);
        }
    }

    /** Closes both ports: exporters now get connection refused. {@link #restart()} reopens them. */
    public synchronized void stop() {
        if (grpc != null) {
            grpc.shutdownNow();
            try {
                grpc.awaitTermination(BIND_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grpc = null;
        }
        if (http != null) {
            http.stop(0);
            http = null;
        }
    }

    /** Binds both servers again on the ports they had, retrying a busy port for a bounded time. */
    public synchronized void restart() throws IOException, InterruptedException {
        stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BIND_WAIT_SECONDS);
        while (true) {
            try {
                bind();
                return;
            } catch (IOException e) {
                stop();
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void bind() throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
                .addService(new TraceService())
                .addService(new MetricsService())
                .intercept(new GzipCounter());
        if (tlsKey != null) {
            builder.sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(tlsKey)).build());
        }
        grpc = builder.build();
        grpc.start();
        grpcPort = grpc.getPort();
        if (tlsKey != null) {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", httpPort), 16);
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(tlsKey.getKeyManagers(), null, null);
                https.setHttpsConfigurator(new HttpsConfigurator(context));
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
            http = https;
        } else {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 16);
        }
        HttpSignal traces = traceSignal();
        HttpSignal metrics = metricsSignal();
        http.createContext("/v1/traces", exchange -> handleHttp(exchange, traces));
        http.createContext("/v1/metrics", exchange -> handleHttp(exchange, metrics));
        http.start();
        httpPort = http.getAddress().getPort();
    }

    private void receive(Protocol protocol, ExportTraceServiceRequest request) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    spans.add(new ReceivedSpan(protocol, resourceSpans.getResource(), scopeSpans.getScope(), span));
                }
            }
        }
        accepted.get(protocol).incrementAndGet();
    }

    /** Counts the gRPC requests that came gzipped (grpc-java inflates them before the service sees them). */
    private final class GzipCounter implements ServerInterceptor {
        private final Metadata.Key<String> encoding = Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            if ("gzip".equals(headers.get(encoding))) {
                gzipped.incrementAndGet();
            }
            return next.startCall(call, headers);
        }
    }

    /** The generated service base: the method name and marshalling come from the official definitions. */
    private final class TraceService extends TraceServiceGrpc.TraceServiceImplBase {
        @Override
        public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
            if (!available) {
                refused.get(Protocol.GRPC).incrementAndGet();
                response.onError(Status.UNAVAILABLE.withDescription("receiver set unavailable").asRuntimeException());
                return;
            }
            receive(Protocol.GRPC, request);
            response.onNext(ExportTraceServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    /** What the HTTP handler needs of one signal: how to decode and keep a body, what to answer, where refusals count. */
    private static final class HttpSignal {
        final String requestType;
        final BodyReader reader;
        final byte[] response;
        final AtomicInteger refusals;

        HttpSignal(String requestType, BodyReader reader, byte[] response, AtomicInteger refusals) {
            this.requestType = requestType;
            this.reader = reader;
            this.response = response;
            this.refusals = refusals;
        }
    }

    /** Decodes a request body and keeps what it carries. */
    private interface BodyReader {
        void read(byte[] body) throws IOException;
    }

    private HttpSignal traceSignal() {
        return new HttpSignal("ExportTraceServiceRequest",
                body -> receive(Protocol.HTTP, ExportTraceServiceRequest.parseFrom(body)),
                ExportTraceServiceResponse.getDefaultInstance().toByteArray(), refused.get(Protocol.HTTP));
    }

    private HttpSignal metricsSignal() {
        return new HttpSignal("ExportMetricsServiceRequest",
                body -> receiveMetrics(Protocol.HTTP, ExportMetricsServiceRequest.parseFrom(body)),
                ExportMetricsServiceResponse.getDefaultInstance().toByteArray(), metricRefusals.get(Protocol.HTTP));
    }

    private void receiveMetrics(Protocol protocol, ExportMetricsServiceRequest request) {
        metricExports.add(new ReceivedMetrics(protocol, request.getResourceMetricsList()));
        metricRequests.get(protocol).incrementAndGet();
    }

    /** The generated metrics service base, like {@link TraceService}. */
    private final class MetricsService extends MetricsServiceGrpc.MetricsServiceImplBase {
        @Override
        public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
            if (!available) {
                metricRefusals.get(Protocol.GRPC).incrementAndGet();
                response.onError(Status.UNAVAILABLE.withDescription("receiver set unavailable").asRuntimeException());
                return;
            }
            receiveMetrics(Protocol.GRPC, request);
            response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            response.onCompleted();
        }
    }

    private void handleHttp(HttpExchange exchange, HttpSignal signal) throws IOException {
        try {
            byte[] body;
            boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            if (gzip) {
                gzipped.incrementAndGet();
            }
            try (InputStream in = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, status(12, "POST only"));
            } else if (type == null || !type.startsWith(PROTOBUF)) {
                respond(exchange, 415, status(3, "only " + PROTOBUF + " is accepted, got " + type));
            } else if (!available) {
                signal.refusals.incrementAndGet();
                respond(exchange, 503, status(14, "receiver set unavailable"));
            } else {
                try {
                    signal.reader.read(body);
                } catch (IOException e) {
                    respond(exchange, 400, status(3, "not an " + signal.requestType + ": " + e.getMessage()));
                    return;
                }
                respond(exchange, 200, signal.response);
            }
        } finally {
            exchange.close();
        }
    }

    /** OTLP/HTTP failures carry a {@code google.rpc.Status} protobuf. */
    private static byte[] status(int code, String message) {
        return com.google.rpc.Status.newBuilder().setCode(code).setMessage(message).build().toByteArray();
    }

    private static void respond(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** One received span with the resource and scope it came under, and readable views of it. */
    public static final class ReceivedSpan {
        private final Protocol protocol;
        private final Resource resource;
        private final InstrumentationScope scope;
        private final Span span;

        ReceivedSpan(Protocol protocol, Resource resource, InstrumentationScope scope, Span span) {
            this.protocol = protocol;
            this.resource = resource;
            this.scope = scope;
            this.span = span;
        }

        public Protocol protocol() {
            return protocol;
        }

        /** The span as decoded, for anything the helpers do not cover. */
        public Span proto() {
            return span;
        }

        public String name() {
            return span.getName();
        }

        public String traceId() {
            return hex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return hex(span.getSpanId().toByteArray());
        }

        /** Empty for a root span. */
        public String parentSpanId() {
            return hex(span.getParentSpanId().toByteArray());
        }

        public Span.SpanKind kind() {
            return span.getKind();
        }

        public io.opentelemetry.proto.trace.v1.Status.StatusCode statusCode() {
            return span.getStatus().getCode();
        }

        public String statusMessage() {
            return span.getStatus().getMessage();
        }

        public Map<String, Object> attributes() {
            return toMap(span.getAttributesList());
        }

        public Map<String, Object> resourceAttributes() {
            return toMap(resource.getAttributesList());
        }

        public String scopeName() {
            return scope.getName();
        }

        public List<Event> events() {
            return span.getEventsList().stream()
                    .map(e -> new Event(e.getName(), toMap(e.getAttributesList())))
                    .collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return protocol + " " + name() + " " + traceId() + "/" + spanId() + " parent=" + parentSpanId();
        }
    }

    /** One metrics export request as received: its resources, with lookups by metric name. */
    public static final class ReceivedMetrics {
        private final Protocol protocol;
        private final List<ResourceMetrics> resourceMetrics;

        ReceivedMetrics(Protocol protocol, List<ResourceMetrics> resourceMetrics) {
            this.protocol = protocol;
            this.resourceMetrics = resourceMetrics;
        }

        public Protocol protocol() {
            return protocol;
        }

        /** The request's resource metrics as decoded, for anything the helpers do not cover. */
        public List<ResourceMetrics> proto() {
            return resourceMetrics;
        }

        /** Attributes of each resource in the request, in order. */
        public List<Map<String, Object>> resourceAttributes() {
            return resourceMetrics.stream().map(r -> toMap(r.getResource().getAttributesList())).collect(Collectors.toList());
        }

        /** Every metric of that name, over all resources and scopes. */
        public List<Metric> metrics(String name) {
            List<Metric> found = new ArrayList<>();
            for (ResourceMetrics resource : resourceMetrics) {
                for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                    for (Metric metric : scope.getMetricsList()) {
                        if (metric.getName().equals(name)) {
                            found.add(metric);
                        }
                    }
                }
            }
            return found;
        }

        /** The one metric of that name, or null when there is none; fails if there are several. */
        public Metric metric(String name) {
            List<Metric> found = metrics(name);
            if (found.size() > 1) {
                throw new AssertionError(found.size() + " metrics named " + name + " in one export");
            }
            return found.isEmpty() ? null : found.get(0);
        }

        /** Names of every metric in the request, in order. */
        public List<String> metricNames() {
            List<String> names = new ArrayList<>();
            for (ResourceMetrics resource : resourceMetrics) {
                for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                    for (Metric metric : scope.getMetricsList()) {
                        names.add(metric.getName());
                    }
                }
            }
            return names;
        }

        @Override
        public String toString() {
            return protocol + " " + metricNames();
        }
    }

    /** A data point's (or resource's) attributes as plain Java values, as {@link ReceivedSpan#attributes()} gives them. */
    public static Map<String, Object> attributes(List<KeyValue> attributes) {
        return toMap(attributes);
    }

    /** A span event: its name and attributes. */
    public static final class Event {
        public final String name;
        public final Map<String, Object> attributes;

        Event(String name, Map<String, Object> attributes) {
            this.name = name;
            this.attributes = attributes;
        }

        @Override
        public String toString() {
            return name + attributes;
        }
    }

    /** Attribute values as plain Java: String, Boolean, Long, Double, byte[], List, Map. */
    static Map<String, Object> toMap(List<KeyValue> attributes) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (KeyValue kv : attributes) {
            map.put(kv.getKey(), value(kv.getValue()));
        }
        return map;
    }

    private static Object value(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE: return value.getStringValue();
            case BOOL_VALUE: return value.getBoolValue();
            case INT_VALUE: return value.getIntValue();
            case DOUBLE_VALUE: return value.getDoubleValue();
            case BYTES_VALUE: return value.getBytesValue().toByteArray();
            case ARRAY_VALUE: return value.getArrayValue().getValuesList().stream()
                    .map(OtlpReceiver::value).collect(Collectors.toList());
            case KVLIST_VALUE: return toMap(value.getKvlistValue().getValuesList());
            default: return null;
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}

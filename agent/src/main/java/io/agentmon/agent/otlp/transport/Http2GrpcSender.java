package io.agentmon.agent.otlp.transport;

import io.opentelemetry.exporter.internal.RetryUtil;
import io.opentelemetry.exporter.internal.compression.Compressor;
import io.opentelemetry.exporter.internal.grpc.GrpcExporterUtil;
import io.opentelemetry.exporter.internal.grpc.GrpcResponse;
import io.opentelemetry.exporter.internal.grpc.GrpcSender;
import io.opentelemetry.exporter.internal.grpc.GrpcSenderConfig;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The OTLP exporters' gRPC sender: each export one unary call, over agentmon's own HTTP/2
 * client ({@link Http2Connection}), in place of the SDK's OkHttp sender and the 2.4 MB of
 * OkHttp, Okio and Kotlin it brings (issue 12).
 *
 * <p>The call runs on the thread that exports (agentmon's span exporter or metrics push, each
 * with its own sender), which waits for the outcome anyway; no thread or queue of its own, and
 * no thread left reading a socket between exports (one blocked in native code holds up the
 * JVM's exit by 0.3 s). It keeps to OkHttp's sender's contract: the whole call, retries
 * included, within the exporter's timeout ({@link Retrying}); the same gRPC codes and I/O
 * failures retried; a request sent again at once on a new connection when the server certainly
 * did not process it.
 */
final class Http2GrpcSender<T extends Marshaler> implements GrpcSender<T> {

    /** Connection headers HTTP/2 forbids (RFC 9113, 8.2.2); a configured one is left out. */
    private static final Set<String> CONNECTION_HEADERS =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "te");

    private final Collector<Http2Connection> collector;
    private final String path;
    private final Compressor compressor;
    private final Supplier<Map<String, List<String>>> headers;
    private final Retrying retrying;

    Http2GrpcSender(GrpcSenderConfig<T> config) {
        URI target = config.getEndpoint().resolve(config.getEndpointPath());
        this.collector = new Collector<>(target, config.getSslContext(), config.getConnectTimeoutNanos(), Http2Connection::open);
        this.path = target.getRawPath();
        this.compressor = config.getCompressor();
        this.headers = config.getHeadersSupplier();
        this.retrying = new Retrying(config.getRetryPolicy(), config.getTimeoutNanos());
    }

    @Override
    public void send(T request, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
        GrpcResponse response;
        try {
            byte[] message = message(request);
            response = retrying.call(deadline -> call(message, deadline),
                    answer -> RetryUtil.retryableGrpcStatusCodes().contains(Integer.toString(answer.grpcStatusValue())));
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onError.accept(e);
            return;
        }
        onResponse.accept(response);
    }

    /** The gRPC message: a compressed flag, a 4-byte length, the protobuf request. */
    private byte[] message(T request) throws IOException {
        byte[] bytes = Bodies.serialized(request, compressor, 5);
        int length = bytes.length - 5;
        bytes[0] = (byte) (compressor == null ? 0 : 1);
        bytes[1] = (byte) (length >>> 24);
        bytes[2] = (byte) (length >>> 16);
        bytes[3] = (byte) (length >>> 8);
        bytes[4] = (byte) length;
        return bytes;
    }

    /** One attempt, one call at a time on the one connection. */
    private synchronized GrpcResponse call(byte[] message, long deadline) throws IOException {
        List<String[]> request = requestHeaders(deadline);
        return answer(collector.exchange(deadline, connection -> connection.exchange(request, message, deadline)));
    }

    private List<String[]> requestHeaders(long deadline) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {":method", "POST"});
        fields.add(new String[] {":scheme", collector.scheme});
        fields.add(new String[] {":path", path});
        fields.add(new String[] {":authority", collector.authority});
        fields.add(new String[] {"content-type", "application/grpc"});
        fields.add(new String[] {"te", "trailers"});
        long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
        fields.add(new String[] {"grpc-timeout", Math.min(millis, 99_999_999L) + "m"}); // at most 8 digits
        if (compressor != null) {
            fields.add(new String[] {"grpc-encoding", compressor.getEncoding()});
        }
        Map<String, List<String>> configured = headers.get();
        if (configured != null) {
            for (Map.Entry<String, List<String>> header : configured.entrySet()) {
                String name = header.getKey().toLowerCase(Locale.ROOT);
                if (name.isEmpty() || name.startsWith(":") || CONNECTION_HEADERS.contains(name)) {
                    continue;
                }
                for (String value : header.getValue()) {
                    fields.add(new String[] {name, value});
                }
            }
        }
        return fields;
    }

    /** The call's gRPC status: from its headers or trailers, or else from the HTTP status as the gRPC spec maps it. */
    static GrpcResponse answer(Http2Connection.Answer answer) {
        String status = answer.header("grpc-status");
        String message = answer.header("grpc-message");
        if (status != null) {
            int code;
            try {
                code = Integer.parseInt(status.trim());
            } catch (NumberFormatException e) {
                code = GrpcExporterUtil.GRPC_STATUS_UNKNOWN;
            }
            return GrpcResponse.create(code, message == null ? null : percentDecoded(message));
        }
        int http = answer.status();
        return GrpcResponse.create(fromHttpStatus(http), "no grpc-status in the answer (HTTP status " + http + ")");
    }

    /** gRPC's doc/http-grpc-status-mapping.md, for an answer that has no gRPC status. */
    static int fromHttpStatus(int http) {
        switch (http) {
            case 400:
                return 13; // INTERNAL
            case 401:
                return 16; // UNAUTHENTICATED
            case 403:
                return 7; // PERMISSION_DENIED
            case 404:
                return GrpcExporterUtil.GRPC_STATUS_UNIMPLEMENTED;
            case 429:
            case 502:
            case 503:
            case 504:
                return GrpcExporterUtil.GRPC_STATUS_UNAVAILABLE;
            default:
                return GrpcExporterUtil.GRPC_STATUS_UNKNOWN;
        }
    }

    /** grpc-message is percent-encoded UTF-8 (gRPC's PROTOCOL-HTTP2.md). */
    static String percentDecoded(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()
                    && Character.digit(value.charAt(i + 1), 16) >= 0 && Character.digit(value.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.write((byte) c);
            }
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    @Override
    public CompletableResultCode shutdown() {
        collector.shutdown(); // not under the lock: closing the connection is what ends a call blocked on it
        return CompletableResultCode.ofSuccess();
    }
}

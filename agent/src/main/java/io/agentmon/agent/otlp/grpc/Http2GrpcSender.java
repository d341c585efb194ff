package io.agentmon.agent.otlp.grpc;

import io.opentelemetry.exporter.internal.RetryUtil;
import io.opentelemetry.exporter.internal.compression.Compressor;
import io.opentelemetry.exporter.internal.grpc.GrpcExporterUtil;
import io.opentelemetry.exporter.internal.grpc.GrpcResponse;
import io.opentelemetry.exporter.internal.grpc.GrpcSender;
import io.opentelemetry.exporter.internal.grpc.GrpcSenderConfig;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The OTLP exporters' gRPC sender: each export one unary call, over agentmon's own HTTP/2
 * client ({@link Http2Connection}), in place of the SDK's OkHttp sender and the 2.4 MB of
 * OkHttp, Okio and Kotlin it brings (issue 12).
 *
 * <p>The call runs on the thread that exports (agentmon's span exporter or metrics push, each
 * with its own sender), which waits for the outcome anyway; no thread or queue of its own. It
 * keeps to OkHttp's sender's contract: the whole call, retries included, within the exporter's
 * timeout; the same gRPC codes and I/O failures retried, with the same jittered backoff; a
 * request sent again at once on a new connection when the server certainly did not process it.
 */
final class Http2GrpcSender<T extends Marshaler> implements GrpcSender<T> {

    /** Connection headers HTTP/2 forbids (RFC 9113, 8.2.2); a configured one is left out. */
    private static final Set<String> CONNECTION_HEADERS =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "te");

    private final String host;
    private final int port;
    private final String scheme;
    private final String authority;
    private final String path;
    private final SSLSocketFactory tls;
    private final Compressor compressor;
    private final long timeoutNanos;
    private final long connectTimeoutNanos;
    private final Supplier<Map<String, List<String>>> headers;
    private final RetryPolicy retry;
    private final Predicate<IOException> retryableFailure;

    /** Changed under this lock (one call at a time on one connection); read without it to shut down. */
    private volatile Http2Connection connection;
    private volatile boolean shutdown;

    Http2GrpcSender(GrpcSenderConfig<T> config) {
        URI target = config.getEndpoint().resolve(config.getEndpointPath());
        this.scheme = target.getScheme() == null ? "http" : target.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https");
        this.host = target.getHost();
        this.port = target.getPort() >= 0 ? target.getPort() : secure ? 443 : 80;
        this.authority = target.getRawAuthority();
        this.path = target.getRawPath();
        this.tls = secure ? socketFactory(config.getSslContext()) : null;
        this.compressor = config.getCompressor();
        this.timeoutNanos = config.getTimeoutNanos();
        this.connectTimeoutNanos = config.getConnectTimeoutNanos();
        this.headers = config.getHeadersSupplier();
        this.retry = config.getRetryPolicy();
        this.retryableFailure = retry != null && retry.getRetryExceptionPredicate() != null
                ? retry.getRetryExceptionPredicate() : Http2GrpcSender::isRetryableFailure;
    }

    private static SSLSocketFactory socketFactory(SSLContext context) {
        return context != null ? context.getSocketFactory() : (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    @Override
    public void send(T request, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
        GrpcResponse response;
        try {
            response = callWithRetries(message(request));
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
        int size = request.getBinarySerializedSize();
        ByteArrayOutputStream message = new ByteArrayOutputStream(5 + (compressor == null ? size : size / 4));
        message.write(new byte[5], 0, 5);
        if (compressor == null) {
            request.writeBinaryTo(message);
        } else { // closing the compressor's stream finishes it; closing a ByteArrayOutputStream does nothing
            try (OutputStream compressed = compressor.compress(message)) {
                request.writeBinaryTo(compressed);
            }
        }
        byte[] bytes = message.toByteArray();
        int length = bytes.length - 5;
        bytes[0] = (byte) (compressor == null ? 0 : 1);
        bytes[1] = (byte) (length >>> 24);
        bytes[2] = (byte) (length >>> 16);
        bytes[3] = (byte) (length >>> 8);
        bytes[4] = (byte) length;
        return bytes;
    }

    private GrpcResponse callWithRetries(byte[] message) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        int attempts = retry == null ? 1 : Math.max(1, retry.getMaxAttempts());
        long backoff = retry == null ? 0 : retry.getInitialBackoff().toNanos();
        for (int attempt = 1; ; attempt++) {
            GrpcResponse response = null;
            IOException failure = null;
            try {
                response = call(message, deadline);
            } catch (IOException e) {
                failure = e;
            }
            boolean again = attempt < attempts && (failure != null ? retryableFailure.test(failure)
                    : RetryUtil.retryableGrpcStatusCodes().contains(Integer.toString(response.grpcStatusValue())));
            long current = Math.min(backoff, retry == null ? 0 : retry.getMaxBackoff().toNanos());
            long pause = (long) (ThreadLocalRandom.current().nextDouble(0.8, 1.2) * current);
            if (!again || System.nanoTime() + pause >= deadline) {
                if (failure != null) {
                    throw failure;
                }
                return response;
            }
            Thread.sleep(pause / 1_000_000L, (int) (pause % 1_000_000L));
            backoff = (long) (current * retry.getBackoffMultiplier());
        }
    }

    /** One attempt; a request the server certainly did not process is sent once more, on a new connection. */
    private synchronized GrpcResponse call(byte[] message, long deadline) throws IOException {
        if (shutdown) {
            throw new IOException("the gRPC sender is shut down");
        }
        List<String[]> request = requestHeaders(deadline);
        try {
            try {
                return answer(connection(deadline).exchange(request, message, deadline));
            } catch (Http2Connection.Unprocessed e) {
                drop();
                return answer(connection(deadline).exchange(request, message, deadline));
            }
        } catch (IOException | RuntimeException e) {
            drop(); // a call cut short leaves its stream half done: never reused
            throw e;
        } finally {
            if (connection != null && !connection.usable()) {
                drop();
            }
        }
    }

    private Http2Connection connection(long deadline) throws IOException {
        if (connection == null || !connection.usable()) {
            drop();
            long left = Math.min(connectTimeoutNanos, deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no time left to connect to " + authority);
            }
            connection = Http2Connection.open(host, port, tls, (int) Math.min(Integer.MAX_VALUE, left / 1_000_000L));
        }
        return connection;
    }

    private void drop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private List<String[]> requestHeaders(long deadline) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {":method", "POST"});
        fields.add(new String[] {":scheme", scheme});
        fields.add(new String[] {":path", path});
        fields.add(new String[] {":authority", authority});
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

    /** What OkHttp's sender retries: timeouts, refused or failed connections, unknown hosts. */
    static boolean isRetryableFailure(IOException e) {
        return e instanceof SocketTimeoutException || e instanceof SocketException || e instanceof UnknownHostException
                || e instanceof EOFException; // the server closed the connection: as a reset one, retried
    }

    @Override
    public CompletableResultCode shutdown() {
        // Not under the lock: a call blocked on the socket holds it, and closing the socket is what ends that call.
        shutdown = true;
        Http2Connection open = connection;
        if (open != null) {
            open.close();
        }
        return CompletableResultCode.ofSuccess();
    }
}

package io.agentmon.agent.otlp.transport;

import io.opentelemetry.exporter.internal.RetryUtil;
import io.opentelemetry.exporter.internal.compression.Compressor;
import io.opentelemetry.exporter.internal.http.HttpSender;
import io.opentelemetry.exporter.internal.http.HttpSenderConfig;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The OTLP/HTTP exporters' sender: each export one {@code POST} of protobuf over HTTP/1.1, on a
 * connection kept alive between exports ({@link Http1Connection}).
 *
 * <p>In place of the SDK's JDK sender: the JDK's {@code HttpClient} keeps a selector thread in
 * native code from its first request on, and the JVM's exit waits 0.3 s for such a thread, so
 * every worker that traced over HTTP exited 0.3 s late (measured: 6 ms from the end of
 * {@code main} to the exit without it, 324 ms with one request made). Like the gRPC sender, the
 * call runs on the exporting thread, within the exporter's timeout, retried by the SDK's policy
 * on the statuses and failures its own senders retry ({@link Retrying}); a request written to a
 * kept-alive connection the server had closed meanwhile, and so never read, is sent once more
 * on a new one.
 */
final class Http1Sender implements HttpSender {

    /** Headers this sender writes itself, or that HTTP/1.1 framing owns; a configured one is left out. */
    private static final Set<String> OWN_HEADERS =
            Set.of("host", "content-length", "content-type", "content-encoding", "transfer-encoding", "connection", "expect");

    private final Collector<Http1Connection> collector;
    private final String target;
    private final boolean json;
    private final String contentType;
    private final Compressor compressor;
    private final Supplier<Map<String, List<String>>> headers;
    private final Retrying retrying;

    Http1Sender(HttpSenderConfig config) {
        URI endpoint = URI.create(config.getEndpoint());
        this.collector = new Collector<>(endpoint, config.getSslContext(), config.getConnectTimeoutNanos(), Http1Connection::open);
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        this.target = endpoint.getRawQuery() == null ? path : path + "?" + endpoint.getRawQuery();
        this.json = config.getExportAsJson();
        this.contentType = config.getContentType();
        this.compressor = config.getCompressor();
        this.headers = config.getHeadersSupplier();
        this.retrying = new Retrying(config.getRetryPolicy(), config.getTimeoutNanos());
    }

    @Override
    public void send(Marshaler marshaler, int contentLength, Consumer<Response> onResponse, Consumer<Throwable> onError) {
        Http1Connection.Answer answer;
        try {
            if (json) {
                throw new IOException("OTLP/HTTP with JSON is not supported by agentmon; use http/protobuf");
            }
            byte[] body = Bodies.serialized(marshaler, compressor, 0);
            String head = head(body.length);
            answer = retrying.call(deadline -> call(head, body, deadline),
                    sent -> RetryUtil.retryableHttpResponseCodes().contains(sent.status));
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onError.accept(e);
            return;
        }
        onResponse.accept(new Sent(answer));
    }

    /** The request line and headers, each line ending in CRLF. */
    private String head(int length) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append("POST ").append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(collector.authority).append("\r\n");
        head.append("Content-Type: ").append(contentType).append("\r\n");
        head.append("Content-Length: ").append(length).append("\r\n");
        if (compressor != null) {
            head.append("Content-Encoding: ").append(compressor.getEncoding()).append("\r\n");
        }
        Map<String, List<String>> configured = headers.get();
        if (configured != null) {
            for (Map.Entry<String, List<String>> header : configured.entrySet()) {
                String name = header.getKey();
                if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                for (String value : header.getValue()) {
                    if (!isToken(name) || !isFieldValue(value)) {
                        // A line break in a header would end it and start another: refused, not sent.
                        throw new IOException("the header " + name + " cannot be sent as it is (a line break or a control character)");
                    }
                    head.append(name).append(": ").append(value).append("\r\n");
                }
            }
        }
        return head.toString();
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7F || c > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** One attempt, one request at a time on the one connection. */
    private synchronized Http1Connection.Answer call(String head, byte[] body, long deadline) throws IOException {
        return collector.exchange(deadline, connection -> connection.exchange(head, body, deadline));
    }

    @Override
    public CompletableResultCode shutdown() {
        collector.shutdown(); // not under the lock: closing the connection is what ends a request blocked on it
        return CompletableResultCode.ofSuccess();
    }

    /** The answer as the SDK's exporter reads it. */
    private static final class Sent implements Response {
        private final Http1Connection.Answer answer;

        Sent(Http1Connection.Answer answer) {
            this.answer = answer;
        }

        @Override
        public int statusCode() {
            return answer.status;
        }

        @Override
        public String statusMessage() {
            return answer.reason;
        }

        @Override
        public byte[] responseBody() {
            return answer.body();
        }
    }
}

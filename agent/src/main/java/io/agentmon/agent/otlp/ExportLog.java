package io.agentmon.agent.otlp;

import io.agentmon.agent.AgentLog;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.internal.grpc.GrpcResponse;
import io.opentelemetry.exporter.internal.http.HttpSender;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.concurrent.TimeUnit;

/**
 * What one exporting thread says on stderr about its exports: a failure at most once a minute
 * (a dead collector must not fill the worker's log), and one line when exports work again.
 * Used by that thread only.
 */
final class ExportLog {

    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String target;
    private long lastWarning;
    private boolean failing;

    /** @param target what is exported where, e.g. {@code span export to grpc http://collector:4317} */
    ExportLog(String target) {
        this.target = target;
    }

    /**
     * Waits for an export. Bounded: the exporter's own timeout and retries end every export,
     * and this is the backstop for an exporter that never completes its result.
     */
    static boolean succeeded(CompletableResultCode result, long timeoutMillis) {
        result.join(timeoutMillis * 6 + 1000, TimeUnit.MILLISECONDS);
        return result.isSuccess();
    }

    /** An export went through: says so once after failures. */
    void worked() {
        if (failing) {
            failing = false;
            AgentLog.info(target + " works again");
        }
    }

    /**
     * Why the export behind a failed {@code result} failed, in words that say what to fix (the
     * collector's gRPC or HTTP status, or the I/O failure: a refused connection, an untrusted
     * certificate), or null when the exporter gave no reason. The SDK's own log, which would
     * say it, is silenced.
     */
    static String why(CompletableResultCode result) {
        if (!result.isDone()) {
            return "no answer in time";
        }
        Throwable failure = result.getFailureThrowable();
        if (failure instanceof FailedExportException.GrpcExportException) {
            GrpcResponse response = ((FailedExportException.GrpcExportException) failure).getResponse();
            if (response != null) {
                String description = response.grpcStatusDescription();
                return "gRPC status " + response.grpcStatusValue() + (description == null ? "" : ": " + description);
            }
        } else if (failure instanceof FailedExportException.HttpExportException) {
            HttpSender.Response response = ((FailedExportException.HttpExportException) failure).getResponse();
            if (response != null) {
                return "HTTP status " + response.statusCode() + " " + response.statusMessage();
            }
        }
        Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
        return cause == null ? null : cause.toString();
    }

    /** An export failed ({@code why} may be null); {@code counted} says where the loss is counted. */
    void failed(String why, String counted) {
        failing = true;
        long now = System.nanoTime();
        if (lastWarning == 0 || now - lastWarning > WARN_EVERY_NANOS) {
            lastWarning = now;
            AgentLog.warn(target + " failed" + (why == null ? "" : " (" + why + ")") + "; " + counted);
        }
    }
}

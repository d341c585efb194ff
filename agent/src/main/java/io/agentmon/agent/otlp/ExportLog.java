package io.agentmon.agent.otlp;

import io.agentmon.agent.AgentLog;
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

    /** An export failed ({@code why} may be null); {@code counted} says where the loss is counted. */
    void failed(Throwable why, String counted) {
        failing = true;
        long now = System.nanoTime();
        if (lastWarning == 0 || now - lastWarning > WARN_EVERY_NANOS) {
            lastWarning = now;
            AgentLog.warn(target + " failed" + (why == null ? "" : " (" + why + ")") + "; " + counted);
        }
    }
}

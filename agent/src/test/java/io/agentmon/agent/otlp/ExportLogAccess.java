package io.agentmon.agent.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;

/** What the export log would say about a failed export, for tests in other packages. */
public final class ExportLogAccess {

    private ExportLogAccess() {
    }

    public static String why(CompletableResultCode result) {
        return ExportLog.why(result);
    }
}

package io.agentmon.agent.http.server;

/** A request that cannot be served as sent: answered with {@link #status()} and the connection closed. */
final class HttpError extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}

package io.agentmon.agent.otlp.transport;

import java.io.IOException;

/**
 * A request the server did not take, so that sending it again on a new connection duplicates
 * nothing: on HTTP/2 the server said so (a refused stream, a GOAWAY before it); on HTTP/1.1 a
 * kept-alive connection failed before any byte of an answer came, as one does when the server
 * closed it while idle. {@link Collector#exchange} sends such a request once more.
 */
final class Unprocessed extends IOException {
    private static final long serialVersionUID = 1L;

    Unprocessed(String message) {
        super(message);
    }

    Unprocessed(String message, IOException cause) {
        super(message, cause);
    }
}

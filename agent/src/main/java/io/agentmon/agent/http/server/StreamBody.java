package io.agentmon.agent.http.server;

import java.io.OutputStream;

/** A response body written after the head, by a thread the body starts itself. */
public interface StreamBody {

    /**
     * The head is written: start writing to {@code out} and return at once. Every write to
     * {@code out} has its own deadline; {@code close} ends the connection and frees its slot.
     */
    void start(OutputStream out, Runnable close);

    /** The head could not be written, or the request was HEAD: nothing will be streamed. */
    void cancel();
}

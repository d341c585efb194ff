package io.agentmon.agent.http.server;

import java.io.IOException;

/** Answers one request; runs on the connection's thread, under the response deadline. */
@FunctionalInterface
public interface Handler {

    Response handle(Request request) throws IOException;
}

package io.agentmon.agent.otlp.transport;

import io.opentelemetry.exporter.internal.http.HttpSender;
import io.opentelemetry.exporter.internal.http.HttpSenderConfig;
import io.opentelemetry.exporter.internal.http.HttpSenderProvider;

/**
 * Found by the OTLP/HTTP exporters through {@link java.util.ServiceLoader} (named in
 * META-INF/services), as the one HTTP sender in agentmon.jar.
 */
public final class Http1SenderProvider implements HttpSenderProvider {

    @Override
    public HttpSender createSender(HttpSenderConfig config) {
        return new Http1Sender(config);
    }
}

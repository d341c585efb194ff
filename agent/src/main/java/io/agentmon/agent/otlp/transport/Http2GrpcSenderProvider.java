package io.agentmon.agent.otlp.transport;

import io.opentelemetry.exporter.internal.grpc.GrpcSender;
import io.opentelemetry.exporter.internal.grpc.GrpcSenderConfig;
import io.opentelemetry.exporter.internal.grpc.GrpcSenderProvider;
import io.opentelemetry.exporter.internal.marshal.Marshaler;

/**
 * Found by the OTLP gRPC exporters through {@link java.util.ServiceLoader} (named in
 * META-INF/services), as the one gRPC sender in agentmon.jar.
 */
public final class Http2GrpcSenderProvider implements GrpcSenderProvider {

    @Override
    public <T extends Marshaler> GrpcSender<T> createSender(GrpcSenderConfig<T> config) {
        return new Http2GrpcSender<>(config);
    }
}

package io.agentmon.agent.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;
import java.util.function.Supplier;

/** The OpenTelemetry resource of this worker: who sends the spans (and pushed metrics). */
final class Resources {

    private Resources() {
    }

    /**
     * The SDK's defaults ({@code telemetry.sdk.*}), then {@code otel.resource.attributes}, then
     * {@code service.name} = agentmon's service label, so that spans and metrics name the same
     * service, and agentmon as the distribution.
     */
    /**
     * The resource, built by the first caller of {@code get()}: the SDK's {@code Resource} class
     * brings java.util.logging up, which must wait until an export actually happens (see
     * {@link OtlpExporters}). Each exporting thread gets its own supplier.
     */
    static Supplier<Resource> lazily(String service, String version, Map<String, String> attributes) {
        return new Supplier<Resource>() {
            private Resource resource;

            @Override
            public Resource get() {
                if (resource == null) {
                    resource = of(service, version, attributes);
                }
                return resource;
            }
        };
    }

    static Resource of(String service, String version, Map<String, String> attributes) {
        AttributesBuilder configured = Attributes.builder();
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            configured.put(attribute.getKey(), attribute.getValue());
        }
        return Resource.getDefault()
                .merge(Resource.create(configured.build()))
                .merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), service,
                        AttributeKey.stringKey("telemetry.distro.name"), "agentmon",
                        AttributeKey.stringKey("telemetry.distro.version"), version,
                        AttributeKey.longKey("process.pid"), ProcessHandle.current().pid())));
    }
}

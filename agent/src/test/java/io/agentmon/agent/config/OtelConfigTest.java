package io.agentmon.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelConfigTest {

    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    private OtelConfig read() throws ConfigException {
        return OtelConfig.read(properties, environment);
    }

    @Test
    void offUnlessAskedFor() throws ConfigException {
        assertNull(read().traces());
        assertNull(read().metrics());
        properties.put("otel.service.name", "billing");
        assertNull(read().traces(), "a service name alone exports nothing");
    }

    @Test
    void anEndpointImpliesOtlpTracesUnlessTheExporterIsNone() throws ConfigException {
        environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
        OtelConfig.Export traces = read().traces();
        assertEquals("http/protobuf", traces.protocol);
        assertEquals("http://collector:4318/v1/traces", traces.endpoint);
        assertNull(read().metrics(), "metrics are pushed only when otel.metrics.exporter says so");
        properties.put("otel.traces.exporter", "none");
        assertNull(read().traces());
    }

    @Test
    void defaultsFollowTheSpecification() throws ConfigException {
        properties.put("otel.traces.exporter", "otlp");
        OtelConfig config = read();
        assertEquals("http://localhost:4318/v1/traces", config.traces().endpoint);
        assertEquals(10_000, config.traces().timeoutMillis);
        assertEquals("parentbased_always_on", config.sampler());
        assertEquals(1.0, config.samplerRatio());
        properties.put("otel.exporter.otlp.protocol", "grpc");
        assertEquals("http://localhost:4317", read().traces().endpoint);
    }

    @Test
    void aSystemPropertyWinsOverItsVariableAndASignalKeyOverTheGeneralOne() throws ConfigException {
        properties.put("otel.traces.exporter", "otlp");
        environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        properties.put("otel.exporter.otlp.protocol", "grpc");
        properties.put("otel.exporter.otlp.endpoint", "http://general:4317");
        properties.put("otel.exporter.otlp.traces.endpoint", "http://traces:9999/custom");
        properties.put("otel.exporter.otlp.headers", "a=1,b=x%20y");
        properties.put("otel.exporter.otlp.traces.timeout", "2500");
        properties.put("otel.exporter.otlp.compression", "gzip");
        OtelConfig.Export traces = read().traces();
        assertEquals("grpc", traces.protocol);
        assertEquals("http://traces:9999/custom", traces.endpoint, "a signal endpoint is used as given");
        assertEquals(Map.of("a", "1", "b", "x y"), traces.headers);
        assertEquals(2500, traces.timeoutMillis);
        assertTrue(traces.gzip);
    }

    @Test
    void resourceAttributesAndSamplerArePassedOn() throws ConfigException {
        environment.put("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,team=a%2Cb");
        properties.put("otel.traces.sampler", "parentbased_traceidratio");
        properties.put("otel.traces.sampler.arg", "0.1");
        OtelConfig config = read();
        assertEquals(Map.of("deployment.environment", "prod", "team", "a,b"), config.resourceAttributes());
        assertEquals(0.1, config.samplerRatio());
    }

    @Test
    void metricsPushHasItsOwnPathAndInterval() throws ConfigException {
        properties.put("otel.metrics.exporter", "otlp");
        properties.put("otel.exporter.otlp.endpoint", "http://collector:4318/");
        properties.put("otel.metric.export.interval", "15000");
        OtelConfig config = read();
        assertEquals("http://collector:4318/v1/metrics", config.metrics().endpoint);
        assertEquals(15_000, config.metricIntervalMillis());
    }

    @Test
    void badValuesNameTheKeyAndWhereItCameFrom() {
        properties.put("otel.traces.exporter", "zipkin");
        ConfigException exporter = assertThrows(ConfigException.class, this::read);
        assertTrue(exporter.getMessage().startsWith("otel.traces.exporter='zipkin' (system property -Dotel.traces.exporter)"),
                exporter.getMessage());

        properties.put("otel.traces.exporter", "otlp");
        environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
        ConfigException protocol = assertThrows(ConfigException.class, this::read);
        assertTrue(protocol.getMessage().contains("environment variable OTEL_EXPORTER_OTLP_PROTOCOL"), protocol.getMessage());
        assertTrue(protocol.getMessage().contains("expected grpc or http/protobuf"), protocol.getMessage());
        environment.clear();

        for (String[] bad : new String[][] {
            {"otel.traces.sampler", "sometimes"}, {"otel.traces.sampler.arg", "1.5"},
            {"otel.exporter.otlp.endpoint", "collector:4317"}, {"otel.exporter.otlp.timeout", "-1"},
            {"otel.exporter.otlp.headers", "novalue"}, {"otel.resource.attributes", "=x"},
            {"otel.exporter.otlp.compression", "zstd"}}) {
            Map<String, String> before = new HashMap<>(properties);
            properties.put("otel.traces.sampler", "traceidratio");
            properties.put(bad[0], bad[1]);
            ConfigException e = assertThrows(ConfigException.class, this::read, bad[0]);
            assertTrue(e.getMessage().startsWith(bad[0] + "='" + bad[1] + "'"), e.getMessage());
            properties.clear();
            properties.putAll(before);
        }
    }

    @Test
    void aDisabledSdkExportsNothing() throws ConfigException {
        properties.put("otel.traces.exporter", "otlp");
        properties.put("otel.metrics.exporter", "otlp");
        properties.put("otel.sdk.disabled", "true");
        assertNull(read().traces());
        assertNull(read().metrics());
    }
}

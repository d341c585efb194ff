package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import io.agentmon.agent.NameSyntax;
import java.net.URI;
import java.net.URLDecoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The standard OpenTelemetry SDK settings agentmon honours, read as the SDK reads them: a
 * system property ({@code -Dotel.exporter.otlp.endpoint=...}) over its environment variable
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}). A signal-specific key
 * ({@code otel.exporter.otlp.traces.endpoint}) wins over the general one.
 *
 * <p>Tracing is off unless asked for: {@code otel.traces.exporter=otlp}, or an OTLP endpoint
 * set while {@code otel.traces.exporter} is unset. Metrics push works the same way with
 * {@code otel.metrics.exporter=otlp} (never implied by an endpoint: the Prometheus endpoint
 * is agentmon's own way out). A bad value is a {@link ConfigException} naming the key.
 */
public final class OtelConfig {

    /** The keys read here, for the README and for error messages. */
    public static final String[] KEYS = {
        "otel.sdk.disabled", "otel.service.name", "otel.resource.attributes",
        "otel.traces.exporter", "otel.metrics.exporter", "otel.metric.export.interval",
        "otel.exporter.otlp.endpoint", "otel.exporter.otlp.protocol", "otel.exporter.otlp.headers",
        "otel.exporter.otlp.timeout", "otel.exporter.otlp.compression",
        "otel.traces.sampler", "otel.traces.sampler.arg",
    };

    public static final String GRPC = "grpc";
    public static final String HTTP_PROTOBUF = "http/protobuf";

    /** Where one signal (traces or metrics) is sent. */
    public static final class Export {
        public final String protocol;
        public final String endpoint;
        public final Map<String, String> headers;
        public final long timeoutMillis;
        public final boolean gzip;

        Export(String protocol, String endpoint, Map<String, String> headers, long timeoutMillis, boolean gzip) {
            this.protocol = protocol;
            this.endpoint = endpoint;
            this.headers = Collections.unmodifiableMap(headers);
            this.timeoutMillis = timeoutMillis;
            this.gzip = gzip;
        }

        @Override
        public String toString() {
            return protocol + " " + endpoint;
        }
    }

    private final Map<String, String> properties;
    private final Map<String, String> environment;

    private final Export traces;
    private final Export metrics;
    private final String sampler;
    private final double samplerRatio;
    private final Map<String, String> resourceAttributes;
    private final long metricIntervalMillis;

    private OtelConfig(Map<String, String> properties, Map<String, String> environment) throws ConfigException {
        this.properties = properties;
        this.environment = environment;
        checkLengths();
        boolean disabled = bool("otel.sdk.disabled");
        this.traces = disabled ? null : export("traces", exporterWanted("otel.traces.exporter", true));
        this.metrics = disabled ? null : export("metrics", exporterWanted("otel.metrics.exporter", false));
        this.sampler = samplerName();
        this.samplerRatio = ratio();
        this.resourceAttributes = pairs("otel.resource.attributes", get("otel.resource.attributes"));
        this.metricIntervalMillis = millis("otel.metric.export.interval", 60_000);
    }

    /** Reads the settings; throws naming the first key whose value is not understood. */
    public static OtelConfig read(Map<String, String> systemProperties, Map<String, String> environment)
            throws ConfigException {
        return new OtelConfig(systemProperties, environment);
    }

    /** Where spans go, or null when tracing is off. */
    public Export traces() {
        return traces;
    }

    /** Where metrics are pushed, or null when nothing is pushed. */
    public Export metrics() {
        return metrics;
    }

    /** {@code otel.traces.sampler}, lower case; {@code parentbased_always_on} unless set. */
    public String sampler() {
        return sampler;
    }

    /** {@code otel.traces.sampler.arg} for the ratio samplers, 1.0 unless set. */
    public double samplerRatio() {
        return samplerRatio;
    }

    /** {@code otel.resource.attributes}, decoded, in order. */
    public Map<String, String> resourceAttributes() {
        return resourceAttributes;
    }

    /** {@code otel.metric.export.interval}, in milliseconds. */
    public long metricIntervalMillis() {
        return metricIntervalMillis;
    }

    // ------------------------------------------------------------------ reading

    /** The system property, else its environment variable ({@code otel.a.b} is {@code OTEL_A_B}). */
    private String get(String key) {
        String value = properties.get(key);
        if (value == null) {
            value = environment.get(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }

    /** Every key read here, signal-specific ones included, at most {@link ConfigLoader#MAX_VALUE_CHARS} long. */
    private void checkLengths() throws ConfigException {
        java.util.List<String> keys = new java.util.ArrayList<>(java.util.Arrays.asList(KEYS));
        for (String signal : new String[] {"traces", "metrics"}) {
            for (String part : new String[] {"endpoint", "protocol", "headers", "timeout", "compression"}) {
                keys.add("otel.exporter.otlp." + signal + "." + part);
            }
        }
        for (String key : keys) {
            String value = get(key);
            if (value != null && value.length() > ConfigLoader.MAX_VALUE_CHARS) {
                throw invalid(key, "longer than the limit of " + ConfigLoader.MAX_VALUE_CHARS + " characters");
            }
        }
    }

    /** true or false, in any case, as every agentmon.* boolean; unset is false. */
    private boolean bool(String key) throws ConfigException {
        String value = get(key);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw invalid(key, "expected true or false (in any case)");
    }

    private String source(String key) {
        return properties.containsKey(key) ? "system property -D" + key
                : "environment variable " + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private ConfigException invalid(String key, String why) {
        return new ConfigException(key + "=" + Echo.quote(get(key)) + " (" + source(key) + "): " + why);
    }

    private String specific(String signal, String part) {
        String value = get("otel.exporter.otlp." + signal + "." + part);
        return value != null ? value : get("otel.exporter.otlp." + part);
    }

    private String specificKey(String signal, String part) {
        String key = "otel.exporter.otlp." + signal + "." + part;
        return get(key) != null ? key : "otel.exporter.otlp." + part;
    }

    private boolean exporterWanted(String key, boolean impliedByEndpoint) throws ConfigException {
        String value = get(key);
        if (value == null) {
            return impliedByEndpoint && specific("traces", "endpoint") != null;
        }
        boolean otlp = false;
        for (String exporter : value.split(",")) {
            String name = exporter.trim().toLowerCase(Locale.ROOT);
            if (name.equals("otlp")) {
                otlp = true;
            } else if (!name.equals("none") && !name.isEmpty()
                    && !(key.equals("otel.metrics.exporter") && name.equals("prometheus"))) {
                throw invalid(key, "agentmon exports only 'otlp' (or 'none'), not " + Echo.quote(name));
            }
        }
        return otlp;
    }

    private Export export(String signal, boolean wanted) throws ConfigException {
        if (!wanted) {
            return null;
        }
        String protocolKey = specificKey(signal, "protocol");
        String protocol = specific(signal, "protocol");
        protocol = protocol == null ? HTTP_PROTOBUF : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals(GRPC) && !protocol.equals(HTTP_PROTOBUF)) {
            throw invalid(protocolKey, "expected grpc or http/protobuf");
        }
        String endpoint = get("otel.exporter.otlp." + signal + ".endpoint");
        if (endpoint == null) {
            String base = get("otel.exporter.otlp.endpoint");
            if (base == null) {
                base = protocol.equals(GRPC) ? "http://localhost:4317" : "http://localhost:4318";
            }
            checkUrl("otel.exporter.otlp.endpoint", base);
            // The general endpoint is a base: over HTTP each signal has its own path under it.
            endpoint = protocol.equals(GRPC) ? base : (base.endsWith("/") ? base : base + "/") + "v1/" + signal;
        } else {
            checkUrl("otel.exporter.otlp." + signal + ".endpoint", endpoint);
        }
        String compressionKey = specificKey(signal, "compression");
        String compression = specific(signal, "compression");
        if (compression != null && !compression.equals("gzip") && !compression.equals("none")) {
            throw invalid(compressionKey, "expected gzip or none");
        }
        return new Export(protocol, endpoint,
                pairs(specificKey(signal, "headers"), specific(signal, "headers")),
                millis(specificKey(signal, "timeout"), 10_000), "gzip".equals(compression));
    }

    private void checkUrl(String key, String url) throws ConfigException {
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw invalid(key, "expected an http:// or https:// URL with a host");
            }
        } catch (java.net.URISyntaxException e) {
            throw invalid(key, "not a URL: " + e.getMessage());
        }
    }

    private long millis(String key, long otherwise) throws ConfigException {
        String value = get(key);
        if (value == null) {
            return otherwise;
        }
        // ASCII digits only: Long.parseLong would also read Arabic-Indic or fullwidth digits.
        if (NameSyntax.asciiDigits(value, 12)) {
            long millis = Long.parseLong(value);
            if (millis > 0) {
                return millis;
            }
        }
        throw invalid(key, "expected a positive number of milliseconds");
    }

    private String samplerName() throws ConfigException {
        String value = get("otel.traces.sampler");
        String name = value == null ? "parentbased_always_on" : value.toLowerCase(Locale.ROOT);
        if (!name.matches("(parentbased_)?(always_on|always_off|traceidratio)")) {
            throw invalid("otel.traces.sampler", "expected always_on, always_off, traceidratio, "
                    + "parentbased_always_on, parentbased_always_off or parentbased_traceidratio");
        }
        return name;
    }

    private double ratio() throws ConfigException {
        String arg = get("otel.traces.sampler.arg");
        if (arg == null || !sampler.endsWith("traceidratio")) {
            return 1.0;
        }
        try {
            if (!arg.matches("[0-9]*\\.?[0-9]+([eE][-+]?[0-9]{1,3})?")) {
                throw new NumberFormatException(arg); // no hex, NaN, 'd' suffixes or non-ASCII digits
            }
            double ratio = Double.parseDouble(arg);
            if (ratio >= 0 && ratio <= 1) {
                return ratio;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("otel.traces.sampler.arg", "expected a ratio from 0 to 1");
    }

    /** {@code k1=v1,k2=v2}, each part URL-decoded, as the SDK reads headers and resource attributes. */
    private Map<String, String> pairs(String key, String value) throws ConfigException {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (value == null) {
            return pairs;
        }
        for (String pair : value.split(",")) {
            if (pair.trim().isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw invalid(key, "expected key=value pairs separated by commas, not " + Echo.quote(pair.trim()));
            }
            try {
                pairs.put(URLDecoder.decode(pair.substring(0, equals).trim(), "UTF-8"),
                        URLDecoder.decode(pair.substring(equals + 1).trim(), "UTF-8"));
            } catch (java.io.UnsupportedEncodingException | IllegalArgumentException e) {
                throw invalid(key, "cannot decode " + Echo.quote(pair.trim()) + ": " + e.getMessage());
            }
        }
        return pairs;
    }
}

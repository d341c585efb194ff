package io.agentmon.agent.config;

import io.agentmon.agent.matching.MethodMatcher;
import java.util.List;
import java.util.Map;

/** The validated configuration the agent runs with. */
public final class AgentConfig {

    private final boolean enabled;
    private final List<MethodMatcher> tasks;
    private final int port;
    private final String host;
    private final String service;
    private final boolean strict;
    private final long[] taskBucketsNanos;

    private AgentConfig(boolean enabled, List<MethodMatcher> tasks, int port, String host, String service,
            boolean strict, long[] taskBucketsNanos) {
        this.enabled = enabled;
        this.tasks = tasks;
        this.port = port;
        this.host = host;
        this.service = service;
        this.strict = strict;
        this.taskBucketsNanos = taskBucketsNanos;
    }

    static AgentConfig from(Map<ConfigKey, ConfigLoader.Setting> settings, Map<String, String> systemProperties,
            Map<String, String> environment) throws ConfigException {
        String service = raw(settings, ConfigKey.SERVICE);
        if (service == null || service.isEmpty()) {
            // The OpenTelemetry name, when the worker already has one: the same rule as the SDK's.
            service = systemProperties.getOrDefault("otel.service.name", environment.get("OTEL_SERVICE_NAME"));
        }
        return new AgentConfig(
                bool(settings, ConfigKey.ENABLED),
                matchers(settings, ConfigKey.TASKS),
                port(settings),
                value(settings, ConfigKey.HOST),
                service == null || service.trim().isEmpty() ? null : service.trim(),
                bool(settings, ConfigKey.STRICT),
                buckets(settings, ConfigKey.TASK_BUCKETS));
    }

    private static String raw(Map<ConfigKey, ConfigLoader.Setting> settings, ConfigKey key) {
        ConfigLoader.Setting setting = settings.get(key);
        return setting == null ? null : setting.value;
    }

    private static String value(Map<ConfigKey, ConfigLoader.Setting> settings, ConfigKey key) {
        String raw = raw(settings, key);
        return raw == null ? key.defaultValue() : raw;
    }

    private static ConfigException invalid(Map<ConfigKey, ConfigLoader.Setting> settings, ConfigKey key, String why) {
        ConfigLoader.Setting setting = settings.get(key);
        String what = setting == null ? key.key() + " (default)" : setting.describe();
        return new ConfigException(what + ": " + why);
    }

    private static boolean bool(Map<ConfigKey, ConfigLoader.Setting> settings, ConfigKey key) throws ConfigException {
        String text = value(settings, key);
        if ("true".equalsIgnoreCase(text)) {
            return true;
        }
        if ("false".equalsIgnoreCase(text)) {
            return false;
        }
        throw invalid(settings, key, "expected true or false");
    }

    private static int port(Map<ConfigKey, ConfigLoader.Setting> settings) throws ConfigException {
        String text = value(settings, ConfigKey.PORT);
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(settings, ConfigKey.PORT, "not a port number (0-65535; 0 picks a free port)");
    }

    private static List<MethodMatcher> matchers(Map<ConfigKey, ConfigLoader.Setting> settings, ConfigKey key)
            throws ConfigException {
        try {
            return MethodMatcher.parseList(value(settings, key));
        } catch (IllegalArgumentException e) {
            throw invalid(settings, key, e.getMessage());
        }
    }

    private static long[] buckets(Map<ConfigKey, ConfigLoader.Setting> settings, ConfigKey key) throws ConfigException {
        String[] parts = value(settings, key).split(",");
        long[] bounds = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                bounds[i] = Durations.parseNanos(parts[i]);
            } catch (IllegalArgumentException e) {
                throw invalid(settings, key, e.getMessage());
            }
            if (i > 0 && bounds[i] <= bounds[i - 1]) {
                throw invalid(settings, key, "bucket bounds must increase, but '" + parts[i].trim()
                        + "' is not above '" + parts[i - 1].trim() + "'");
            }
        }
        return bounds;
    }

    public boolean enabled() {
        return enabled;
    }

    public List<MethodMatcher> tasks() {
        return tasks;
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    /** The configured service name, or null when it is to be taken from the main class. */
    public String service() {
        return service;
    }

    public boolean strict() {
        return strict;
    }

    public long[] taskBucketsNanos() {
        return taskBucketsNanos.clone();
    }
}

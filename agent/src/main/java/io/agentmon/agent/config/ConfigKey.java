package io.agentmon.agent.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key agentmon knows. The README's reference table is written from this
 * list; {@code ConfigKeyDocTest} keeps the two in step.
 */
public enum ConfigKey {
    ENABLED("agentmon.enabled", "true", "false",
            "Set to false to load the agent but record and serve nothing."),
    TASKS("agentmon.tasks", "", "com.acme.jobs.Job+#execute,ingest=com.acme.Ingest#run",
            "Comma-separated method matchers naming the worker's task methods."),
    PORT("agentmon.port", "9200", "9300",
            "Port of the metrics endpoint; 0 picks a free port and prints it."),
    HOST("agentmon.host", "0.0.0.0", "127.0.0.1",
            "Address the endpoint binds to; 0.0.0.0 is every interface."),
    SERVICE("agentmon.service", "otel.service.name, else the main class", "billing-worker",
            "Value of the service label on every series."),
    STRICT("agentmon.strict", "false", "true",
            "When true, a configuration or start-up error stops the JVM instead of leaving the worker unmonitored."),
    CONFIG("agentmon.config", "", "/etc/agentmon.properties",
            "A properties file with more agentmon.* keys (lowest precedence)."),
    TASK_BUCKETS("agentmon.task.buckets", "1ms,5ms,10ms,50ms,100ms,250ms,500ms,1s,2.5s,10s,1m,5m", "10ms,100ms,1s,10s",
            "Upper bounds of the task duration histogram's buckets, increasing (units ns, us, ms, s, m, h; bare numbers are seconds).");

    private final String key;
    private final String defaultValue;
    private final String example;
    private final String description;

    ConfigKey(String key, String defaultValue, String example, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.example = example;
        this.description = description;
    }

    /** The system property name, e.g. {@code agentmon.port}. */
    public String key() {
        return key;
    }

    /** The name without the {@code agentmon.} prefix, as used in agent arguments. */
    public String shortName() {
        return key.substring("agentmon.".length());
    }

    /** The environment variable, e.g. {@code AGENTMON_PORT}. */
    public String environmentVariable() {
        return key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String example() {
        return example;
    }

    public String description() {
        return description;
    }

    /** Keys whose value is a comma-separated list, so agent arguments may continue them after a comma. */
    boolean isList() {
        return this == TASKS || this == TASK_BUCKETS;
    }

    public static List<ConfigKey> all() {
        return Collections.unmodifiableList(Arrays.asList(values()));
    }

    /** Finds a key by its full name ({@code agentmon.port}) or short name ({@code port}). */
    public static Optional<ConfigKey> find(String name) {
        for (ConfigKey candidate : values()) {
            if (candidate.key.equals(name) || candidate.shortName().equals(name)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

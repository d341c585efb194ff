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
    SERVICE("agentmon.service", "otel.service.name, else service.name in otel.resource.attributes, else the main class", "billing-worker",
            "Value of the service label on every series."),
    STRICT("agentmon.strict", "false", "true",
            "When true, a configuration or start-up error stops the JVM instead of leaving the worker unmonitored."),
    CONFIG("agentmon.config", "", "/etc/agentmon.properties",
            "A properties file with more agentmon.* keys (lowest precedence)."),
    TASK_BUCKETS("agentmon.task.buckets", "1ms,5ms,10ms,50ms,100ms,250ms,500ms,1s,2.5s,10s,1m,5m", "10ms,100ms,1s,10s",
            "Upper bounds of the task duration histogram's buckets, increasing (units ns, us, ms, s, m, h; bare numbers are seconds)."),
    TASK_DEADLINE("agentmon.task.deadline", "", "30s",
            "Deadline for every task: a run that finishes later counts as a timeout (reason deadline), one still running later is stuck."),
    TASK_DEADLINE_FOR("agentmon.task.deadline.<label>", "", "agentmon.task.deadline.ingest=2m",
            "Deadline for the task with that label, overriding agentmon.task.deadline."),
    TASK_STUCK_AFTER("agentmon.task.stuck.after", "10m", "30m",
            "How long a run of a task with no deadline may be in progress before it counts as stuck (agentmon_tasks_stuck, /tasks); a task's deadline replaces it."),
    TIMEOUTS("agentmon.timeouts", "", "com.acme.Worker#onTimeout",
            "Method matchers naming the worker's own timeout handlers: each call counts as a timeout (reason handler)."),
    TASKS_CHECK_AFTER("agentmon.tasks.check.after", "10s", "1m",
            "How long after start the agent names, on stderr and in /health/ready, the task matchers that matched no method and the deadline labels no task has."),
    TASKS_STACKS("agentmon.tasks.stacks", "false", "true",
            "When true, GET /tasks shows each in-flight task's current stack."),
    EXECUTOR_QUEUE_BUCKETS("agentmon.executor.queue.buckets", "100us,250us,500us,1ms,5ms,25ms,100ms,1s,5s,15s,30s,1m,2m,5m,10m,30m", "1s,1m,10m,1h",
            "Upper bounds of the executor queue-wait histogram's buckets, increasing: sub-millisecond, where a healthy pool's waits are, and the long end, where saturation shows."),
    HISTOGRAMS("agentmon.histograms", "both", "classic",
            "Which histogram buckets protobuf scrapes and the OTLP push carry: classic, native (Prometheus native / OTLP exponential) or both; text scrapes always get the classic ones."),
    FRAMEWORKS("agentmon.frameworks", Framework.allKeys(), "quartz,kafka",
            "The job frameworks and queues timed with no agentmon.tasks entry when on the class path (quartz, spring-scheduling, kafka, jms, spring-batch), or none."),
    EXECUTOR_NAME_FOR("agentmon.executor.name.<prefix>", "", "agentmon.executor.name.pool-1=ingest",
            "The pool label for the thread pool whose threads are named <prefix>-N (or <prefix>-thread-N, <prefix>-worker-N)."),
    DOCKER("agentmon.docker", "", "com.acme.ContainerPool#allocate",
            "Method matchers naming the worker's own container allocation methods: each call is counted and timed, and what it returns is alive until released."),
    DOCKER_CPU("agentmon.docker.cpu", "", "arg0",
            "Where an allocation method's CPU cores come from: argN, or argN.getter[.getter...]."),
    DOCKER_MEMORY("agentmon.docker.memory", "", "arg1.memoryBytes",
            "Where an allocation method's memory in bytes comes from: argN, or argN.getter[.getter...]."),
    DOCKER_RELEASE("agentmon.docker.release", "", "com.acme.ContainerPool#release",
            "Method matchers naming the release methods: their first argument is what an allocation returned."),
    // The HTTP endpoint's limits and protection (HttpConfig).
    HTTP_CONNECTIONS("agentmon.http.connections", "32", "64",
            "Most open connections to the endpoint; when all are taken, the oldest idle or stalled one is closed for a new one."),
    HTTP_REQUEST_TIMEOUT("agentmon.http.request.timeout", "10s", "5s",
            "Time a request head (and TLS handshake) has to arrive, from the connection's start or the first byte after a keep-alive response."),
    HTTP_RESPONSE_TIMEOUT("agentmon.http.response.timeout", "30s", "1m",
            "Time to answer a request and write the whole response; a client that does not read it is disconnected."),
    HTTP_IDLE_TIMEOUT("agentmon.http.idle.timeout", "30s", "2m",
            "Time a keep-alive connection may stay idle between requests."),
    HTTP_TOKEN("agentmon.http.token", "", "s3cr3t-t0k3n",
            "Bearer token every request except /health and /health/ready must carry (Authorization: Bearer <token>)."),
    HTTP_TOKEN_FILE("agentmon.http.token.file", "", "/run/secrets/agentmon-token",
            "File holding the bearer token (read once at start, trimmed), so the token is not on the command line."),
    HTTP_BASIC_USER("agentmon.http.basic.user", "", "prometheus",
            "User name for HTTP basic authentication; needs agentmon.http.basic.password.hash."),
    HTTP_BASIC_PASSWORD_HASH("agentmon.http.basic.password.hash", "", "pbkdf2-sha256:210000:<salt>:<hash>",
            "The basic-auth password as a salted PBKDF2 hash, printed by java -jar agentmon.jar hash-password."),
    HTTP_TLS_KEYSTORE("agentmon.http.tls.keystore", "", "/etc/agentmon/server.p12",
            "PKCS#12 keystore with the server's key and certificate: the endpoint then serves HTTPS only."),
    HTTP_TLS_KEYSTORE_PASSWORD("agentmon.http.tls.keystore.password", "", "changeit",
            "Password of agentmon.http.tls.keystore."),
    HTTP_TLS_KEYSTORE_PASSWORD_FILE("agentmon.http.tls.keystore.password.file", "", "/run/secrets/keystore-password",
            "File holding the keystore's password (read once at start, trimmed)."),
    HTTP_TLS_CLIENT_TRUSTSTORE("agentmon.http.tls.client.truststore", "", "/etc/agentmon/clients.p12",
            "PKCS#12 truststore of the client certificates' issuers: clients must then present a certificate (mutual TLS)."),
    HTTP_TLS_CLIENT_TRUSTSTORE_PASSWORD("agentmon.http.tls.client.truststore.password", "", "changeit",
            "Password of agentmon.http.tls.client.truststore."),
    HTTP_TLS_CLIENT_TRUSTSTORE_PASSWORD_FILE("agentmon.http.tls.client.truststore.password.file", "", "/run/secrets/truststore-password",
            "File holding the truststore's password (read once at start, trimmed)."),
    HTTP_EVENTS("agentmon.http.events", "true", "false",
            "Set to false to switch GET /events (the live event stream) off."),
    HTTP_TASKS("agentmon.http.tasks", "true", "false",
            "Set to false to switch GET /tasks (runs in progress) off."),
    EVENTS_FOR("agentmon.events.<name>", "", "agentmon.events.task_split=com.acme.Splitter#split",
            "Method matchers whose every call counts as event <name>; agentmon.events.<name>.value=argN[.getter...] or return also records a number per call."),
    // --- bounds (issue 9): the series budget
    SERIES_MAX("agentmon.series.max", "10000", "50000",
            "Most series the task, timeout and pool labels may produce together; beyond it new labels fold into the label other (counted in agentmon_dropped_total{what=\"series\"}).");

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

    /** The system property name, e.g. {@code agentmon.port}, or the pattern {@code agentmon.task.deadline.<label>}. */
    public String key() {
        return key;
    }

    /** Keys such as {@code agentmon.task.deadline.<label>} stand for a family: the prefix and any suffix. */
    public boolean isPrefix() {
        return key.endsWith(">");
    }

    private String prefix() {
        return key.substring(0, key.lastIndexOf('<'));
    }

    /** The name without the {@code agentmon.} prefix, as used in agent arguments. */
    public String shortName() {
        return key.substring("agentmon.".length());
    }

    /** The environment variable, e.g. {@code AGENTMON_PORT} (for a prefix key, its prefix). */
    public String environmentVariable() {
        return (isPrefix() ? prefix() : key).replace('.', '_').toUpperCase(Locale.ROOT);
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
        return this == TASKS || this == TASK_BUCKETS || this == TIMEOUTS || this == EXECUTOR_QUEUE_BUCKETS || this == EVENTS_FOR || this == DOCKER || this == DOCKER_RELEASE;
    }

    /**
     * The full key a name stands for: {@code port} and {@code agentmon.port} both give
     * {@code agentmon.port}; {@code task.deadline.ingest} gives {@code agentmon.task.deadline.ingest}.
     */
    public String fullName(String name) {
        return name.startsWith("agentmon.") ? name : "agentmon." + name;
    }

    /** For a prefix key, the part after the prefix ({@code ingest}); empty otherwise. */
    public String suffix(String fullName) {
        return isPrefix() ? fullName.substring(prefix().length()) : "";
    }

    public static List<ConfigKey> all() {
        return Collections.unmodifiableList(Arrays.asList(values()));
    }

    /** Finds a key by its full name ({@code agentmon.port}) or short name ({@code port}). */
    public static Optional<ConfigKey> find(String name) {
        String full = name.startsWith("agentmon.") ? name : "agentmon." + name;
        for (ConfigKey candidate : values()) {
            if (candidate.key.equals(full)) {
                return Optional.of(candidate);
            }
        }
        for (ConfigKey candidate : values()) {
            if (candidate.isPrefix() && full.startsWith(candidate.prefix()) && full.length() > candidate.prefix().length()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Finds a key by its environment variable, returning the full key name it sets. */
    static Optional<String> fromEnvironmentVariable(String variable) {
        for (ConfigKey candidate : values()) {
            if (!candidate.isPrefix() && candidate.environmentVariable().equals(variable)) {
                return Optional.of(candidate.key);
            }
        }
        for (ConfigKey candidate : values()) {
            String prefix = candidate.environmentVariable();
            if (candidate.isPrefix() && variable.startsWith(prefix) && variable.length() > prefix.length()) {
                return Optional.of(candidate.prefix() + variable.substring(prefix.length()).toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}

package io.agentmon.agent.config;

import io.agentmon.agent.NameSyntax;
import java.util.Map;

/**
 * The endpoint's limits and protection settings ({@code agentmon.http.*}), validated. Secrets in
 * files and keystores are read when the endpoint starts ({@code http.Protection}), not here.
 */
public final class HttpConfig {

    private static final int MAX_CONNECTIONS = 4096;

    private final int connections;
    private final long requestTimeoutNanos;
    private final long responseTimeoutNanos;
    private final long idleTimeoutNanos;
    private final String token;
    private final String tokenFile;
    private final String basicUser;
    private final String basicPasswordHash;
    private final String keystore;
    private final String keystorePassword;
    private final String keystorePasswordFile;
    private final String clientTruststore;
    private final String clientTruststorePassword;
    private final String clientTruststorePasswordFile;
    private final boolean events;
    private final boolean tasks;

    HttpConfig(Map<String, ConfigLoader.Setting> settings) throws ConfigException {
        this.connections = connections(settings);
        this.requestTimeoutNanos = duration(settings, ConfigKey.HTTP_REQUEST_TIMEOUT);
        this.responseTimeoutNanos = duration(settings, ConfigKey.HTTP_RESPONSE_TIMEOUT);
        this.idleTimeoutNanos = duration(settings, ConfigKey.HTTP_IDLE_TIMEOUT);
        this.token = optional(settings, ConfigKey.HTTP_TOKEN);
        this.tokenFile = optional(settings, ConfigKey.HTTP_TOKEN_FILE);
        if (token != null && tokenFile != null) {
            throw AgentConfig.invalid(settings, ConfigKey.HTTP_TOKEN_FILE, "set either agentmon.http.token or agentmon.http.token.file, not both");
        }
        if (settings.containsKey(ConfigKey.HTTP_TOKEN.key()) && token == null) {
            throw AgentConfig.invalid(settings, ConfigKey.HTTP_TOKEN, "the token is empty");
        }
        this.basicUser = optional(settings, ConfigKey.HTTP_BASIC_USER);
        this.basicPasswordHash = optional(settings, ConfigKey.HTTP_BASIC_PASSWORD_HASH);
        if ((basicUser == null) != (basicPasswordHash == null)) {
            throw AgentConfig.invalid(settings, basicUser == null ? ConfigKey.HTTP_BASIC_USER : ConfigKey.HTTP_BASIC_PASSWORD_HASH,
                    "basic authentication needs both agentmon.http.basic.user and agentmon.http.basic.password.hash");
        }
        if (basicUser != null && basicUser.indexOf(':') >= 0) {
            throw AgentConfig.invalid(settings, ConfigKey.HTTP_BASIC_USER, "a basic-auth user name may not contain ':'");
        }
        this.keystore = optional(settings, ConfigKey.HTTP_TLS_KEYSTORE);
        this.keystorePassword = optional(settings, ConfigKey.HTTP_TLS_KEYSTORE_PASSWORD);
        this.keystorePasswordFile = optional(settings, ConfigKey.HTTP_TLS_KEYSTORE_PASSWORD_FILE);
        this.clientTruststore = optional(settings, ConfigKey.HTTP_TLS_CLIENT_TRUSTSTORE);
        this.clientTruststorePassword = optional(settings, ConfigKey.HTTP_TLS_CLIENT_TRUSTSTORE_PASSWORD);
        this.clientTruststorePasswordFile = optional(settings, ConfigKey.HTTP_TLS_CLIENT_TRUSTSTORE_PASSWORD_FILE);
        if (keystore == null && clientTruststore != null) {
            throw AgentConfig.invalid(settings, ConfigKey.HTTP_TLS_CLIENT_TRUSTSTORE, "client certificates need TLS: set agentmon.http.tls.keystore too");
        }
        this.events = AgentConfig.bool(settings, ConfigKey.HTTP_EVENTS);
        this.tasks = AgentConfig.bool(settings, ConfigKey.HTTP_TASKS);
    }

    private static int connections(Map<String, ConfigLoader.Setting> settings) throws ConfigException {
        String text = AgentConfig.value(settings, ConfigKey.HTTP_CONNECTIONS).trim();
        if (NameSyntax.asciiDigits(text, 4)) {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= MAX_CONNECTIONS) {
                return value;
            }
        }
        throw AgentConfig.invalid(settings, ConfigKey.HTTP_CONNECTIONS, "expected a number of connections from 1 to " + MAX_CONNECTIONS);
    }

    private static long duration(Map<String, ConfigLoader.Setting> settings, ConfigKey key) throws ConfigException {
        try {
            return Durations.parseNanos(AgentConfig.value(settings, key));
        } catch (IllegalArgumentException e) {
            throw AgentConfig.invalid(settings, key, e.getMessage());
        }
    }

    /** The trimmed value, or null when unset or blank. */
    private static String optional(Map<String, ConfigLoader.Setting> settings, ConfigKey key) {
        String value = AgentConfig.value(settings, key).trim();
        return value.isEmpty() ? null : value;
    }

    public int connections() {
        return connections;
    }

    public long requestTimeoutNanos() {
        return requestTimeoutNanos;
    }

    public long responseTimeoutNanos() {
        return responseTimeoutNanos;
    }

    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** The token given directly, or null. */
    public String token() {
        return token;
    }

    /** The file the token is in, or null. */
    public String tokenFile() {
        return tokenFile;
    }

    public String basicUser() {
        return basicUser;
    }

    public String basicPasswordHash() {
        return basicPasswordHash;
    }

    /** The PKCS#12 keystore, or null for plain HTTP. */
    public String keystore() {
        return keystore;
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    public String keystorePasswordFile() {
        return keystorePasswordFile;
    }

    /** The truststore of client certificate issuers, or null when clients need none. */
    public String clientTruststore() {
        return clientTruststore;
    }

    public String clientTruststorePassword() {
        return clientTruststorePassword;
    }

    public String clientTruststorePasswordFile() {
        return clientTruststorePasswordFile;
    }

    public boolean events() {
        return events;
    }

    public boolean tasks() {
        return tasks;
    }
}

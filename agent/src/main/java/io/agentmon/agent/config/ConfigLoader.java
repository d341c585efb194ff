package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Gathers {@code agentmon.*} settings from their four sources. Precedence, highest first:
 * system properties ({@code -Dagentmon.port=9300}), agent arguments
 * ({@code -javaagent:agentmon.jar=port=9300}), environment variables ({@code AGENTMON_PORT}),
 * then the properties file named by {@code agentmon.config}. A key no source sets takes its
 * default. Any unknown {@code agentmon.*} key is an error, because a misspelt key silently
 * ignored is a worker silently unmonitored.
 */
public final class ConfigLoader {

    private static final String PREFIX = "agentmon.";
    private static final String ENV_PREFIX = "AGENTMON_";

    /** Largest properties file named by {@code agentmon.config}. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** Longest value of one key, from any source. */
    public static final int MAX_VALUE_CHARS = 16 * 1024;
    /** Longest agent argument string ({@code -javaagent:agentmon.jar=...}). */
    public static final int MAX_AGENT_ARGS_CHARS = 64 * 1024;

    private ConfigLoader() {
    }

    /** Loads and validates the configuration; throws with a message naming the bad key. */
    public static AgentConfig load(String agentArgs, Map<String, String> systemProperties,
            Map<String, String> environment) throws ConfigException {
        Map<String, Setting> settings = new LinkedHashMap<>();
        // Lowest precedence first; each source overwrites what the one before set.
        Map<String, Setting> fromEnvironment = fromEnvironment(environment);
        Map<String, Setting> fromArguments = fromAgentArguments(agentArgs);
        Map<String, Setting> fromProperties = fromSystemProperties(systemProperties);
        Optional<Setting> file = firstOf(ConfigKey.CONFIG.key(), fromProperties, fromArguments, fromEnvironment);
        if (file.isPresent() && !file.get().value.isEmpty()) {
            settings.putAll(fromFile(file.get()));
        }
        settings.putAll(fromEnvironment);
        settings.putAll(fromArguments);
        settings.putAll(fromProperties);
        return AgentConfig.from(settings, systemProperties, environment);
    }

    /**
     * Whether strict mode was asked for, read leniently so that it is known even when the rest
     * of the configuration is broken. The same sources in the same order of precedence as
     * {@link #load}, the properties file included; an unreadable source counts as not set.
     */
    public static boolean strictRequested(String agentArgs, Map<String, String> systemProperties,
            Map<String, String> environment) {
        ConfigKey key = ConfigKey.STRICT;
        String value = systemProperties.get(key.key());
        if (value == null) {
            value = lenientArgument(agentArgs, key);
        }
        if (value == null) {
            value = environment.get(key.environmentVariable());
        }
        if (value == null) {
            String file = systemProperties.get(ConfigKey.CONFIG.key());
            if (file == null) {
                file = lenientArgument(agentArgs, ConfigKey.CONFIG);
            }
            if (file == null) {
                file = environment.get(ConfigKey.CONFIG.environmentVariable());
            }
            value = lenientFileValue(file, key);
        }
        return value != null && "true".equalsIgnoreCase(value.trim());
    }

    /** The last {@code key=value} segment for {@code key} in the agent arguments, without validating the rest. */
    private static String lenientArgument(String agentArgs, ConfigKey key) {
        String value = null;
        if (agentArgs != null) {
            for (String segment : agentArgs.length() > MAX_AGENT_ARGS_CHARS ? new String[0] : agentArgs.split(",")) {
                int equals = segment.indexOf('=');
                if (equals > 0 && ConfigKey.find(segment.substring(0, equals).trim()).orElse(null) == key) {
                    value = segment.substring(equals + 1).trim();
                }
            }
        }
        return value;
    }

    private static String lenientFileValue(String file, ConfigKey key) {
        if (file == null || file.trim().isEmpty()) {
            return null;
        }
        try {
            return properties(ConfigKey.CONFIG.key(), "lenient", file.trim()).getProperty(key.key());
        } catch (ConfigException e) {
            return null; // load() reports it
        }
    }

    @SafeVarargs
    private static Optional<Setting> firstOf(String key, Map<String, Setting>... sources) {
        for (Map<String, Setting> source : sources) {
            if (source.containsKey(key)) {
                return Optional.of(source.get(key));
            }
        }
        return Optional.empty();
    }

    private static Map<String, Setting> fromSystemProperties(Map<String, String> properties) throws ConfigException {
        Map<String, Setting> found = new LinkedHashMap<>();
        for (Map.Entry<String, String> property : properties.entrySet()) {
            String name = property.getKey();
            if (name.startsWith(PREFIX)) {
                ConfigKey key = known(name, "system property -D" + Echo.cut(name, Echo.MAX_SHOWN));
                found.put(name, Setting.of(key, name, property.getValue(), "system property"));
            }
        }
        return found;
    }

    private static Map<String, Setting> fromEnvironment(Map<String, String> environment) throws ConfigException {
        Map<String, Setting> found = new LinkedHashMap<>();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            String name = variable.getKey();
            if (name.startsWith(ENV_PREFIX)) {
                Optional<String> full = ConfigKey.fromEnvironmentVariable(name);
                if (!full.isPresent()) {
                    throw new ConfigException("environment variable " + Echo.cut(name, Echo.MAX_SHOWN)
                            + ": unknown agentmon key" + NearestKey.hint(NearestKey.forEnvironmentVariable(name))
                            + knownKeys());
                }
                ConfigKey key = ConfigKey.find(full.get()).get();
                found.put(full.get(), Setting.of(key, full.get(), variable.getValue(),
                        "environment variable " + Echo.cut(name, Echo.MAX_SHOWN)));
            }
        }
        return found;
    }

    /**
     * Agent arguments are {@code key=value} pairs separated by commas. Because matcher lists
     * contain commas (and {@code label=} prefixes), a segment that does not start with a known
     * key continues the list value before it. An empty segment (a stray comma) is an error, as
     * an empty element of a list is: it is more often a lost setting than a style.
     */
    static Map<String, Setting> fromAgentArguments(String agentArgs) throws ConfigException {
        Map<String, Setting> found = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.trim().isEmpty()) {
            return found;
        }
        if (agentArgs.length() > MAX_AGENT_ARGS_CHARS) {
            throw new ConfigException("agent arguments " + Echo.quote(agentArgs) + " are longer than the limit of "
                    + MAX_AGENT_ARGS_CHARS + " characters");
        }
        String[] segments = agentArgs.split(",", -1);
        ConfigKey current = null;
        String currentName = null;
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            int equals = segment.indexOf('=');
            Optional<ConfigKey> key = equals < 0 ? Optional.empty() : ConfigKey.find(segment.substring(0, equals).trim());
            if (key.isPresent()) {
                put(found, current, currentName, value);
                current = key.get();
                currentName = current.fullName(segment.substring(0, equals).trim());
                value.setLength(0);
                value.append(segment.substring(equals + 1));
            } else if (current != null && current.isList()) {
                value.append(',').append(segment);
            } else if (segment.trim().isEmpty()) {
                throw new ConfigException("agent arguments " + Echo.quote(agentArgs) + ": segment " + (i + 1) + " of "
                        + segments.length + " is empty (a leading, trailing or doubled comma)");
            } else {
                String name = equals < 0 ? segment.trim() : segment.substring(0, equals).trim();
                throw new ConfigException("agent argument " + Echo.quote(segment.trim()) + ": unknown key "
                        + Echo.quote(name) + NearestKey.hint(NearestKey.forArgument(name)) + knownKeys());
            }
        }
        put(found, current, currentName, value);
        return found;
    }

    private static void put(Map<String, Setting> found, ConfigKey key, String name, StringBuilder value)
            throws ConfigException {
        if (key != null) {
            found.put(name, Setting.of(key, name, value.toString(), "agent argument"));
        }
    }

    /** The properties file, read through {@link BoundedFile} ({@link #MAX_FILE_BYTES} at most). */
    private static Properties properties(String key, String source, String file) throws ConfigException {
        byte[] bytes = BoundedFile.read(key, source, file, MAX_FILE_BYTES);
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(bytes)); // ISO 8859-1 and backslash escapes, as Properties reads files
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(key + ": file " + Echo.quote(file) + " (" + source + ") is not a properties file: "
                    + Echo.cut(String.valueOf(e.getMessage()), Echo.MAX_SHOWN));
        }
        return properties;
    }

    private static Map<String, Setting> fromFile(Setting configFile) throws ConfigException {
        Properties properties = properties(ConfigKey.CONFIG.key(), configFile.source, configFile.value);
        String path = Echo.cut(configFile.value, Echo.MAX_SHOWN);
        Map<String, Setting> found = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            ConfigKey key = known(name, "key " + Echo.quote(name) + " in " + path);
            if (key == ConfigKey.CONFIG) {
                throw new ConfigException("agentmon.config: the file " + path + " may not name another file");
            }
            found.put(name, Setting.of(key, name, properties.getProperty(name), "file " + path));
        }
        return found;
    }

    private static ConfigKey known(String name, String where) throws ConfigException {
        Optional<ConfigKey> key = name.startsWith(PREFIX) ? ConfigKey.find(name) : Optional.empty();
        if (key.isPresent()) {
            return key.get();
        }
        throw new ConfigException(where + ": unknown key " + Echo.quote(name) + NearestKey.hint(NearestKey.forKey(name))
                + knownKeys());
    }

    private static String knownKeys() {
        StringBuilder names = new StringBuilder();
        for (ConfigKey key : ConfigKey.values()) {
            names.append(names.length() == 0 ? "" : ", ").append(key.key());
        }
        return names.toString();
    }

    /** One key's raw value and where it came from, for error messages. */
    static final class Setting {
        final ConfigKey key;
        final String name;
        final String value;
        final String source;

        Setting(ConfigKey key, String name, String value, String source) {
            this.key = key;
            this.name = name;
            this.value = value;
            this.source = source;
        }

        /** A setting from a raw value: trimmed, and at most {@link #MAX_VALUE_CHARS} long. */
        static Setting of(ConfigKey key, String name, String value, String source) throws ConfigException {
            Setting setting = new Setting(key, name, value.trim(), source);
            if (value.length() > MAX_VALUE_CHARS) {
                throw new ConfigException(setting.describe() + ": longer than the limit of " + MAX_VALUE_CHARS
                        + " characters");
            }
            return setting;
        }

        /** Prefix for a message about this value, e.g. {@code agentmon.port='x' (system property)}. */
        String describe() {
            return Echo.cut(name, Echo.MAX_SHOWN) + "=" + Echo.quote(value) + " (" + source + ")";
        }
    }
}

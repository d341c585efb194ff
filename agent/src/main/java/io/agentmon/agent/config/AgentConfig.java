package io.agentmon.agent.config;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.Echo;
import io.agentmon.agent.NameSyntax;
import io.agentmon.agent.matching.MethodMatcher;
import java.util.ArrayList;
import io.agentmon.agent.matching.WorkerClasses;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The validated configuration the agent runs with. */
public final class AgentConfig {

    private final boolean enabled;
    private final List<MethodMatcher> tasks;
    private final int port;
    private final String host;
    private final String service;
    private final boolean strict;
    private final long[] taskBucketsNanos;
    private final List<MethodMatcher> timeouts;
    private final long deadlineNanos;
    private final Map<String, Long> deadlinesByLabel;
    private final boolean taskStacks;
    private final long[] queueWaitBucketsNanos;
    private final Map<String, String> executorNames;
    private final Map<String, Event> events;
    private final List<MethodMatcher> docker;
    private final List<MethodMatcher> dockerRelease;
    private final ValueSpec dockerCpu;
    private final ValueSpec dockerMemory;
    private final int seriesMax;
    private final HistogramKinds histograms;
    private final Set<Framework> frameworks;
    private final long tasksCheckAfterNanos;
    private final long stuckAfterNanos;

    /** Most bounds in one bucket list: each is a series per task and outcome. */
    public static final int MAX_BUCKETS = 64;
    /** Most {@code agentmon.events.<name>} names (the bootstrap's table size). */
    public static final int MAX_EVENTS = io.agentmon.bootstrap.EventRecorders.MAX_EVENTS;
    private final HttpConfig http;

    private AgentConfig(Map<String, ConfigLoader.Setting> settings, String service) throws ConfigException {
        this.enabled = bool(settings, ConfigKey.ENABLED);
        this.tasks = matchers(settings, ConfigKey.TASKS);
        this.port = port(settings);
        this.host = value(settings, ConfigKey.HOST);
        this.service = service;
        this.strict = bool(settings, ConfigKey.STRICT);
        this.taskBucketsNanos = buckets(settings, ConfigKey.TASK_BUCKETS);
        this.timeouts = matchers(settings, ConfigKey.TIMEOUTS);
        String deadline = value(settings, ConfigKey.TASK_DEADLINE);
        this.deadlineNanos = deadline.isEmpty() ? NO_DEADLINE : duration(settings.get(ConfigKey.TASK_DEADLINE.key()));
        Map<String, Long> byLabel = new HashMap<>();
        for (ConfigLoader.Setting setting : settings.values()) {
            if (setting.key == ConfigKey.TASK_DEADLINE_FOR) {
                byLabel.put(setting.key.suffix(setting.name), duration(setting));
            }
        }
        this.deadlinesByLabel = Collections.unmodifiableMap(byLabel);
        this.taskStacks = bool(settings, ConfigKey.TASKS_STACKS);
        this.queueWaitBucketsNanos = buckets(settings, ConfigKey.EXECUTOR_QUEUE_BUCKETS);
        Map<String, String> names = new HashMap<>();
        for (ConfigLoader.Setting setting : settings.values()) {
            if (setting.key == ConfigKey.EXECUTOR_NAME_FOR) {
                if (setting.value.isEmpty()) {
                    throw new ConfigException(setting.describe() + ": a pool name may not be empty");
                }
                names.put(setting.key.suffix(setting.name), setting.value);
            }
        }
        this.executorNames = Collections.unmodifiableMap(names);
        this.events = events(settings);
        this.docker = matchers(settings, ConfigKey.DOCKER);
        this.dockerRelease = matchers(settings, ConfigKey.DOCKER_RELEASE);
        this.dockerCpu = argumentValue(settings, ConfigKey.DOCKER_CPU);
        this.dockerMemory = argumentValue(settings, ConfigKey.DOCKER_MEMORY);
        this.seriesMax = count(settings, ConfigKey.SERIES_MAX, 100, 10_000_000);
        ConfigLoader.Setting checkAfter = settings.get(ConfigKey.TASKS_CHECK_AFTER.key());
        this.tasksCheckAfterNanos = checkAfter == null ? Durations.parseNanos(ConfigKey.TASKS_CHECK_AFTER.defaultValue())
                : duration(checkAfter);
        ConfigLoader.Setting stuckAfter = settings.get(ConfigKey.TASK_STUCK_AFTER.key());
        this.stuckAfterNanos = stuckAfter == null ? Durations.parseNanos(ConfigKey.TASK_STUCK_AFTER.defaultValue())
                : duration(stuckAfter);
        this.histograms = HistogramKinds.parse(value(settings, ConfigKey.HISTOGRAMS));
        if (histograms == null) {
            throw invalid(settings, ConfigKey.HISTOGRAMS, "expected classic, native or both");
        }
        try {
            this.frameworks = Framework.parse(value(settings, ConfigKey.FRAMEWORKS));
        } catch (IllegalArgumentException e) {
            throw invalid(settings, ConfigKey.FRAMEWORKS, e.getMessage());
        }
        this.http = new HttpConfig(settings);
    }

    /** A value read on entry, so from the arguments; null when not set. */
    private static ValueSpec argumentValue(Map<String, ConfigLoader.Setting> settings, ConfigKey key) throws ConfigException {
        ConfigLoader.Setting setting = settings.get(key.key());
        if (setting == null || setting.value.isEmpty()) {
            return null;
        }
        try {
            ValueSpec spec = ValueSpec.parse(setting.value);
            if (spec.isReturn()) {
                throw new IllegalArgumentException("an allocation's size is read from its arguments (argN...), not its return value");
            }
            return spec;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting.describe() + ": " + e.getMessage());
        }
    }

    private static final String VALUE_SUFFIX = ".value";

    private static Map<String, Event> events(Map<String, ConfigLoader.Setting> settings) throws ConfigException {
        Map<String, List<MethodMatcher>> matchers = new TreeMap<>();
        Map<String, ConfigLoader.Setting> values = new HashMap<>();
        for (ConfigLoader.Setting setting : settings.values()) {
            if (setting.key != ConfigKey.EVENTS_FOR) {
                continue;
            }
            String name = setting.key.suffix(setting.name);
            boolean isValue = name.endsWith(VALUE_SUFFIX);
            if (isValue) {
                name = name.substring(0, name.length() - VALUE_SUFFIX.length());
            }
            if (!NameSyntax.asciiName(name, "")) {
                throw new ConfigException(setting.describe() + ": event name " + Echo.quote(name)
                        + " must start with a letter or '_' and hold only letters, digits and '_'");
            }
            if (isValue) {
                values.put(name, setting);
                continue;
            }
            matchers.put(name, parseMatchers(setting, setting.key.key(), setting.value));
        }
        if (matchers.size() > MAX_EVENTS) {
            throw new ConfigException("agentmon.events.<name>: " + matchers.size() + " event names, over the limit of "
                    + MAX_EVENTS);
        }
        Map<String, Event> events = new LinkedHashMap<>();
        for (Map.Entry<String, List<MethodMatcher>> entry : matchers.entrySet()) {
            ConfigLoader.Setting value = values.remove(entry.getKey());
            try {
                events.put(entry.getKey(), new Event(entry.getValue(), value == null ? null : ValueSpec.parse(value.value)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(value.describe() + ": " + e.getMessage());
            }
        }
        for (ConfigLoader.Setting orphan : values.values()) {
            throw new ConfigException(orphan.describe() + ": there is no agentmon.events."
                    + Echo.cut(orphan.key.suffix(orphan.name).replace(VALUE_SUFFIX, ""), Echo.MAX_SHOWN)
                    + " naming the methods");
        }
        return Collections.unmodifiableMap(events);
    }

    /** One configured event: the methods that count as it and where its value comes from (or null). */
    public static final class Event {
        private final List<MethodMatcher> matchers;
        private final ValueSpec value;

        Event(List<MethodMatcher> matchers, ValueSpec value) {
            this.matchers = matchers;
            this.value = value;
        }

        public List<MethodMatcher> matchers() {
            return matchers;
        }

        /** Where the value comes from, or null when the event has none. */
        public ValueSpec value() {
            return value;
        }
    }

    /** No deadline: the same value as the bootstrap's {@code TaskRecorder.NO_DEADLINE}. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    static AgentConfig from(Map<String, ConfigLoader.Setting> settings, Map<String, String> systemProperties,
            Map<String, String> environment) throws ConfigException {
        String service = raw(settings, ConfigKey.SERVICE);
        if (service == null || service.isEmpty()) {
            // The OpenTelemetry name, when the worker already has one: the same rule as the SDK's.
            service = systemProperties.getOrDefault("otel.service.name", environment.get("OTEL_SERVICE_NAME"));
        }
        if (service == null || service.trim().isEmpty()) {
            // Then service.name in otel.resource.attributes, which otel.service.name beats.
            service = resourceServiceName(systemProperties.getOrDefault("otel.resource.attributes",
                    environment.get("OTEL_RESOURCE_ATTRIBUTES")));
        }
        return new AgentConfig(settings, service == null || service.trim().isEmpty() ? null : service.trim());
    }

    /** {@code service.name} from {@code k=v,...} resource attributes (URL-encoded), or null. */
    private static String resourceServiceName(String attributes) {
        if (attributes == null) {
            return null;
        }
        for (String pair : attributes.split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).trim().equals("service.name")) {
                try {
                    return java.net.URLDecoder.decode(pair.substring(equals + 1).trim(), "UTF-8");
                } catch (java.io.UnsupportedEncodingException | IllegalArgumentException e) {
                    return null; // OtelConfig reports the bad value
                }
            }
        }
        return null;
    }

    private static long duration(ConfigLoader.Setting setting) throws ConfigException {
        try {
            return Durations.parseNanos(setting.value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting.describe() + ": " + e.getMessage());
        }
    }

    private static String raw(Map<String, ConfigLoader.Setting> settings, ConfigKey key) {
        ConfigLoader.Setting setting = settings.get(key.key());
        return setting == null ? null : setting.value;
    }

    static String value(Map<String, ConfigLoader.Setting> settings, ConfigKey key) {
        String raw = raw(settings, key);
        return raw == null ? key.defaultValue() : raw;
    }

    static ConfigException invalid(Map<String, ConfigLoader.Setting> settings, ConfigKey key, String why) {
        ConfigLoader.Setting setting = settings.get(key.key());
        String what = setting == null ? key.key() + " (default)" : setting.describe();
        return new ConfigException(what + ": " + why);
    }

    static boolean bool(Map<String, ConfigLoader.Setting> settings, ConfigKey key) throws ConfigException {
        String text = value(settings, key);
        if ("true".equalsIgnoreCase(text)) {
            return true;
        }
        if ("false".equalsIgnoreCase(text)) {
            return false;
        }
        throw invalid(settings, key, "expected true or false (in any case)");
    }

    private static int port(Map<String, ConfigLoader.Setting> settings) throws ConfigException {
        String text = value(settings, ConfigKey.PORT);
        // ASCII digits only: Integer.parseInt would also read Arabic-Indic or fullwidth digits.
        if (NameSyntax.asciiDigits(text, 9) && Integer.parseInt(text) <= 65535) {
            return Integer.parseInt(text);
        }
        throw invalid(settings, ConfigKey.PORT, "not a port number (0-65535 in ASCII digits; 0 picks a free port)");
    }

    /** A whole number in ASCII digits from {@code min} to {@code max}. */
    private static int count(Map<String, ConfigLoader.Setting> settings, ConfigKey key, int min, int max)
            throws ConfigException {
        String text = value(settings, key);
        if (NameSyntax.asciiDigits(text, 9)) {
            int number = Integer.parseInt(text);
            if (number >= min && number <= max) {
                return number;
            }
        }
        throw invalid(settings, key, "expected a whole number from " + min + " to " + max + " in ASCII digits");
    }

    private static List<MethodMatcher> matchers(Map<String, ConfigLoader.Setting> settings, ConfigKey key)
            throws ConfigException {
        return parseMatchers(settings.get(key.key()), key.key(), value(settings, key));
    }

    /**
     * Refuses a matcher that can only select classes no matcher weaves (the JDK, agentmon's
     * own: see {@link WorkerClasses}), and says so once for one that is narrowed to the
     * worker's classes.
     */
    private static List<MethodMatcher> weavable(String what, List<MethodMatcher> matchers) throws ConfigException {
        for (MethodMatcher matcher : matchers) {
            switch (WorkerClasses.coverage(matcher)) {
                case EXCLUDED:
                    throw new ConfigException(what + ": '" + matcher + "' can only match " + WorkerClasses.excludedPrefix(matcher)
                            + "* classes, which are never woven (the probes run on the JDK and on agentmon's own classes)");
                case NARROWED:
                    AgentLog.warn(what + ": '" + matcher + "' also covers classes of the JDK or of agentmon, which are never"
                            + " woven; only the worker's own classes it matches are");
                    break;
                default:
                    break;
            }
        }
        return matchers;
    }

    /** Each element of the list parsed as a matcher; {@code setting} is null for a default. */
    private static List<MethodMatcher> parseMatchers(ConfigLoader.Setting setting, String key, String value)
            throws ConfigException {
        List<MethodMatcher> matchers = new ArrayList<>();
        for (String element : ConfigLists.elements(setting, key, value)) {
            try {
                matchers.add(MethodMatcher.parse(element));
            } catch (IllegalArgumentException e) {
                throw new ConfigException((setting == null ? key + " (default)" : setting.describe()) + ": "
                        + Echo.cut(String.valueOf(e.getMessage()), 4 * Echo.MAX_SHOWN));
            }
        }
        return weavable(setting == null ? key + " (default)" : setting.describe(), Collections.unmodifiableList(matchers));
    }

    /** Bucket bounds: 1 to {@link #MAX_BUCKETS} positive durations, strictly increasing. */
    private static long[] buckets(Map<String, ConfigLoader.Setting> settings, ConfigKey key) throws ConfigException {
        List<String> parts = ConfigLists.elements(settings.get(key.key()), key.key(), value(settings, key));
        if (parts.isEmpty()) {
            throw invalid(settings, key, "no bucket bounds (give 1 to " + MAX_BUCKETS + ")");
        }
        if (parts.size() > MAX_BUCKETS) {
            throw invalid(settings, key, parts.size() + " bucket bounds, over the limit of " + MAX_BUCKETS);
        }
        long[] bounds = new long[parts.size()];
        for (int i = 0; i < bounds.length; i++) {
            try {
                bounds[i] = Durations.parseNanos(parts.get(i));
            } catch (IllegalArgumentException e) {
                throw invalid(settings, key, e.getMessage());
            }
            if (i > 0 && bounds[i] <= bounds[i - 1]) {
                throw invalid(settings, key, "bucket bounds must increase, but " + Echo.quote(parts.get(i))
                        + " is not above " + Echo.quote(parts.get(i - 1)));
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

    /** Matchers of the worker's own timeout handlers ({@code agentmon.timeouts}). */
    public List<MethodMatcher> timeouts() {
        return timeouts;
    }

    /** The deadline of the task {@code label} in nanoseconds, or {@link #NO_DEADLINE}. */
    public long deadlineNanos(String label) {
        return deadlinesByLabel.getOrDefault(label, deadlineNanos);
    }

    public long[] queueWaitBucketsNanos() {
        return queueWaitBucketsNanos.clone();
    }

    /** Pool names chosen by the user, by the thread name prefix they replace. */
    public Map<String, String> executorNames() {
        return executorNames;
    }

    /** The worker's own container allocation methods ({@code agentmon.docker}). */
    public List<MethodMatcher> docker() {
        return docker;
    }

    public List<MethodMatcher> dockerRelease() {
        return dockerRelease;
    }

    /** Where an allocation's CPU cores come from, or null (0 cores). */
    public ValueSpec dockerCpu() {
        return dockerCpu;
    }

    /** Where an allocation's memory comes from, or null (0 bytes). */
    public ValueSpec dockerMemory() {
        return dockerMemory;
    }

    /** Configured events by name ({@code agentmon.events.<name>}). */
    public Map<String, Event> events() {
        return events;
    }

    /** The series budget ({@code agentmon.series.max}). */
    /** The labels {@code agentmon.task.deadline.<label>} names. */
    public Set<String> deadlineLabels() {
        return deadlinesByLabel.keySet();
    }

    /** When, after start, the task matchers that matched nothing are named. */
    public long tasksCheckAfterNanos() {
        return tasksCheckAfterNanos;
    }

    /** How long a run of a task with no deadline may be in progress before it is stuck ({@code agentmon.task.stuck.after}). */
    public long stuckAfterNanos() {
        return stuckAfterNanos;
    }

    /** Which histogram buckets protobuf scrapes and the OTLP push carry. */
    public HistogramKinds histograms() {
        return histograms;
    }

    /** The frameworks whose jobs are timed by themselves ({@code agentmon.frameworks}). */
    public Set<Framework> frameworks() {
        return frameworks;
    }

    /** Whether {@code framework}'s jobs are timed by themselves. */
    public boolean knows(Framework framework) {
        return frameworks.contains(framework);
    }

    public int seriesMax() {
        return seriesMax;
    }

    /** Whether {@code GET /tasks} includes stacks. */
    public boolean taskStacks() {
        return taskStacks;
    }

    /** The endpoint's limits and protection ({@code agentmon.http.*}). */
    public HttpConfig http() {
        return http;
    }
}

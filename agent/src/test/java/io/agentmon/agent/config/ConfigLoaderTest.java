package io.agentmon.agent.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.matching.MethodMatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every source of configuration, their precedence, and the errors a user can make in each. */
class ConfigLoaderTest {

    private static final Map<String, String> NONE = Collections.emptyMap();

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- defaults

    @Test
    void withNothingSetEveryKeyTakesItsDefault() throws Exception {
        AgentConfig config = ConfigLoader.load(null, NONE, NONE);
        assertTrue(config.enabled());
        assertTrue(config.tasks().isEmpty());
        assertEquals(9200, config.port());
        assertEquals("0.0.0.0", config.host());
        assertNull(config.service(), "no service: the main class is used later");
        assertFalse(config.strict());
        assertArrayEquals(new long[] {ms(1), ms(5), ms(10), ms(50), ms(100), ms(250), ms(500), s(1), ms(2500), s(10),
                s(60), s(300)}, config.taskBucketsNanos());
    }

    @Test
    void emptyAgentArgumentsAreNoArguments() throws Exception {
        assertEquals(9200, ConfigLoader.load("", NONE, NONE).port());
        assertEquals(9200, ConfigLoader.load("   ", NONE, NONE).port());
    }

    @Test
    void unrelatedSystemPropertiesAndEnvironmentVariablesAreIgnored() throws Exception {
        AgentConfig config = ConfigLoader.load(null, map("java.version", "17", "agentmonitor.x", "1"),
                map("PATH", "/usr/bin", "AGENTMONX", "1"));
        assertEquals(9200, config.port());
    }

    // ---------------------------------------------------------------- each source

    @Test
    void systemProperties() throws Exception {
        AgentConfig config = ConfigLoader.load(null, map(
                "agentmon.enabled", "false",
                "agentmon.tasks", "com.acme.Worker#execute, ingest=com.acme.Ingest#run",
                "agentmon.port", "9300",
                "agentmon.host", "127.0.0.1",
                "agentmon.service", " billing ",
                "agentmon.strict", "TRUE",
                "agentmon.task.buckets", "10ms, 1s,1m"), NONE);
        assertFalse(config.enabled());
        assertEquals(List.of("com.acme.Worker#execute", "ingest=com.acme.Ingest#run"), texts(config.tasks()));
        assertEquals(9300, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals("billing", config.service());
        assertTrue(config.strict(), "booleans ignore case");
        assertArrayEquals(new long[] {ms(10), s(1), s(60)}, config.taskBucketsNanos());
    }

    @Test
    void agentArgumentsByShortAndFullName() throws Exception {
        AgentConfig config = ConfigLoader.load("port=9300,agentmon.host=127.0.0.1,service=billing,strict=true,enabled=false",
                NONE, NONE);
        assertEquals(9300, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals("billing", config.service());
        assertTrue(config.strict());
        assertFalse(config.enabled());
    }

    @Test
    void agentArgumentMatcherListsContinueAfterCommasAndKeepTheirLabels() throws Exception {
        AgentConfig config = ConfigLoader.load(
                "port=9300,tasks=com.acme.Worker#execute,ingest=com.acme.Ingest#run,com.acme.Task+#run,"
                        + "audited=@com.acme.Monitored,host=127.0.0.1", NONE, NONE);
        assertEquals(List.of("com.acme.Worker#execute", "ingest=com.acme.Ingest#run", "com.acme.Task+#run",
                "audited=@com.acme.Monitored"), texts(config.tasks()));
        assertEquals(List.of("ingest", "audited"), List.of(config.tasks().get(1).label(), config.tasks().get(3).label()));
        assertEquals(9300, config.port(), "the key before the list");
        assertEquals("127.0.0.1", config.host(), "a known key after the list ends it");
    }

    @Test
    void agentArgumentBucketListContinuesAfterCommas() throws Exception {
        AgentConfig config = ConfigLoader.load("task.buckets=10ms,100ms,1s,port=9300", NONE, NONE);
        assertArrayEquals(new long[] {ms(10), ms(100), s(1)}, config.taskBucketsNanos());
        assertEquals(9300, config.port());
    }

    @Test
    void agentArgumentsRejectStrayCommasByPosition() {
        // One rule for every list, the argument string included: an empty element is an error.
        assertTrue(error(",port=9300", NONE, NONE).contains("segment 1 of 2 is empty"));
        assertTrue(error("port=9300,,host=127.0.0.1", NONE, NONE).contains("segment 2 of 3 is empty"));
        assertTrue(error("host=127.0.0.1,", NONE, NONE).contains("segment 2 of 2 is empty"));
    }

    @Test
    void agentArgumentsRecordTheirSource() throws Exception {
        Map<String, ConfigLoader.Setting> settings = ConfigLoader.fromAgentArguments("port=9300");
        assertEquals("agentmon.port='9300' (agent argument)", settings.get(ConfigKey.PORT.key()).describe());
    }

    @Test
    void environmentVariables() throws Exception {
        AgentConfig config = ConfigLoader.load(null, NONE, map(
                "AGENTMON_ENABLED", "false",
                "AGENTMON_TASKS", "com.acme.Worker#execute,com.acme.*Job#run",
                "AGENTMON_PORT", "9300",
                "AGENTMON_HOST", "127.0.0.1",
                "AGENTMON_SERVICE", "billing",
                "AGENTMON_STRICT", "true",
                "AGENTMON_TASK_BUCKETS", "1s,2s"));
        assertFalse(config.enabled());
        assertEquals(List.of("com.acme.Worker#execute", "com.acme.*Job#run"), texts(config.tasks()));
        assertEquals(9300, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals("billing", config.service());
        assertTrue(config.strict());
        assertArrayEquals(new long[] {s(1), s(2)}, config.taskBucketsNanos());
    }

    @Test
    void everyKeyHasTheEnvironmentVariableItsNameImplies() {
        assertEquals("AGENTMON_TASK_BUCKETS", ConfigKey.TASK_BUCKETS.environmentVariable());
        assertEquals("task.buckets", ConfigKey.TASK_BUCKETS.shortName());
        for (ConfigKey key : ConfigKey.values()) {
            if (!key.isPrefix()) {
                assertEquals(key.key().toUpperCase(java.util.Locale.ROOT).replace('.', '_'), key.environmentVariable());
            }
        }
        assertEquals("AGENTMON_TASK_DEADLINE_", ConfigKey.TASK_DEADLINE_FOR.environmentVariable());
    }

    @Test
    void keyFamiliesFromEverySource() throws Exception {
        AgentConfig config = ConfigLoader.load("task.deadline.b=2s", map("agentmon.task.deadline.a", "1s"),
                map("AGENTMON_TASK_DEADLINE_C", "3s"));
        assertEquals(s(1), config.deadlineNanos("a"));
        assertEquals(s(2), config.deadlineNanos("b"));
        assertEquals(s(3), config.deadlineNanos("c"), "the suffix of an environment variable is taken in lower case");
        assertEquals(AgentConfig.NO_DEADLINE, config.deadlineNanos("d"));
    }

    @Test
    void eventsNeedMatchersForTheirValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, map("agentmon.events.split.value", "arg0"), NONE));
        assertTrue(e.getMessage().contains("agentmon.events.split.value"), e.getMessage());
    }

    @Test
    void matchersThatCanOnlyReachTheJdkAreRefusedInEveryList() {
        for (String key : new String[] {"agentmon.tasks", "agentmon.timeouts", "agentmon.docker", "agentmon.docker.release",
                "agentmon.events.sync"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(null, map(key, "com.acme.Job#run,java.util.concurrent.*#*"), NONE), key);
            assertTrue(e.getMessage().startsWith(key + "="), e.getMessage());
            assertTrue(e.getMessage().contains("'java.util.concurrent.*#*' can only match java.* classes"), e.getMessage());
        }
    }

    @Test
    void broadMatchersAreKeptAndNarrowedAtWeavingTime() throws Exception {
        AgentConfig config = ConfigLoader.load(null, map("agentmon.tasks", "*#*,*+#*"), NONE);
        assertEquals(2, config.tasks().size());
    }

    @Test
    void propertiesFileNamedBySystemProperty() throws Exception {
        Path file = file("agentmon.port=9300",
                "agentmon.tasks=com.acme.Worker#execute,ingest=com.acme.Ingest#run",
                "agentmon.host = 127.0.0.1 ",
                "agentmon.task.buckets=1s,10s");
        AgentConfig config = ConfigLoader.load(null, map("agentmon.config", file.toString()), NONE);
        assertEquals(9300, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals(List.of("com.acme.Worker#execute", "ingest=com.acme.Ingest#run"), texts(config.tasks()));
        assertArrayEquals(new long[] {s(1), s(10)}, config.taskBucketsNanos());
    }

    @Test
    void propertiesFileNamedByAgentArgumentOrEnvironment() throws Exception {
        Path file = file("agentmon.port=9300");
        assertEquals(9300, ConfigLoader.load("config=" + file, NONE, NONE).port());
        assertEquals(9300, ConfigLoader.load(null, NONE, map("AGENTMON_CONFIG", file.toString())).port());
    }

    @Test
    void anEmptyConfigValueNamesNoFile() throws Exception {
        assertEquals(9200, ConfigLoader.load(null, map("agentmon.config", ""), NONE).port());
    }

    @Test
    void theHighestSourceNamingAFileChoosesIt() throws Exception {
        Path fromProperty = file("agentmon.port=1001");
        Path fromArgument = file("agentmon.port=1002");
        Path fromEnvironment = file("agentmon.port=1003");
        assertEquals(1001, ConfigLoader.load("config=" + fromArgument, map("agentmon.config", fromProperty.toString()),
                map("AGENTMON_CONFIG", fromEnvironment.toString())).port());
        assertEquals(1002, ConfigLoader.load("config=" + fromArgument, NONE,
                map("AGENTMON_CONFIG", fromEnvironment.toString())).port());
    }

    // ---------------------------------------------------------------- precedence

    @Test
    void precedenceIsSystemPropertyThenAgentArgumentThenEnvironmentThenFileThenDefault() throws Exception {
        Path file = file("agentmon.port=1004");
        Map<String, String> properties = map("agentmon.port", "1001", "agentmon.config", file.toString());
        Map<String, String> environment = map("AGENTMON_PORT", "1003");
        assertEquals(1001, ConfigLoader.load("port=1002", properties, environment).port());
        properties.remove("agentmon.port");
        assertEquals(1002, ConfigLoader.load("port=1002", properties, environment).port());
        assertEquals(1003, ConfigLoader.load(null, properties, environment).port());
        assertEquals(1004, ConfigLoader.load(null, properties, NONE).port());
        properties.remove("agentmon.config");
        assertEquals(9200, ConfigLoader.load(null, properties, NONE).port());
    }

    @Test
    void precedenceIsPerKey() throws Exception {
        Path file = file("agentmon.port=1004", "agentmon.host=10.0.0.4", "agentmon.service=from-file",
                "agentmon.tasks=file.F#f");
        AgentConfig config = ConfigLoader.load("host=10.0.0.2",
                map("agentmon.service", "from-property", "agentmon.config", file.toString()),
                map("AGENTMON_HOST", "10.0.0.3", "AGENTMON_PORT", "1003"));
        assertEquals("from-property", config.service());
        assertEquals("10.0.0.2", config.host());
        assertEquals(1003, config.port());
        assertEquals(List.of("file.F#f"), texts(config.tasks()));
    }

    @Test
    void aBadValueInALowerSourceIsHarmlessWhenAHigherOneOverridesIt() throws Exception {
        assertEquals(9300, ConfigLoader.load("port=abc", map("agentmon.port", "9300"), NONE).port());
    }

    @Test
    void serviceFallsBackToOpenTelemetrysName() throws Exception {
        assertEquals("otel-prop", ConfigLoader.load(null, map("otel.service.name", "otel-prop"),
                map("OTEL_SERVICE_NAME", "otel-env")).service());
        assertEquals("otel-env", ConfigLoader.load(null, NONE, map("OTEL_SERVICE_NAME", "otel-env")).service());
        assertEquals("mine", ConfigLoader.load(null, map("agentmon.service", "mine", "otel.service.name", "otel-prop"),
                NONE).service());
        assertEquals("otel-prop", ConfigLoader.load(null, map("agentmon.service", " ", "otel.service.name", "otel-prop"),
                NONE).service(), "a blank agentmon.service is not a name");
        assertEquals("from-resource", ConfigLoader.load(null, NONE,
                map("OTEL_RESOURCE_ATTRIBUTES", "team=a,service.name=from%2Dresource")).service());
        assertEquals("otel-prop", ConfigLoader.load(null, map("otel.service.name", "otel-prop",
                "otel.resource.attributes", "service.name=from-resource"), NONE).service(),
                "otel.service.name beats service.name in the resource attributes");
    }

    // ---------------------------------------------------------------- unknown keys, in each source

    @Test
    void unknownSystemPropertyIsNamedWithItsSource() {
        String message = error(null, map("agentmon.prot", "9300"), NONE);
        assertTrue(message.contains("agentmon.prot"), message);
        assertTrue(message.contains("system property"), message);
        assertTrue(message.contains("agentmon.port"), "lists the known keys: " + message);
    }

    @Test
    void aMisspeltKeyGetsTheNearestKnownOneInEachSource() {
        assertTrue(error(null, map("agentmon.task.bucket", "1s"), NONE).contains("did you mean agentmon.task.buckets?"));
        assertTrue(error(null, map("agentmon.prot", "1"), NONE).contains("did you mean agentmon.port?"));
        assertTrue(error(null, map("agentmon.task.dedline.ingest", "1s"), NONE)
                .contains("did you mean agentmon.task.deadline.ingest?"));
        assertTrue(error("host=127.0.0.1,prot=9300", NONE, NONE).contains("did you mean port?"));
        assertTrue(error(null, NONE, map("AGENTMON_HSOT", "x")).contains("did you mean AGENTMON_HOST?"));
        assertTrue(error(null, map("agentmon.HTTP.Tokn", "x"), NONE).contains("did you mean agentmon.http.token?"),
                "case is ignored");
        String far = error(null, map("agentmon.completely.different", "x"), NONE);
        assertTrue(!far.contains("did you mean") && far.contains("known keys are agentmon.enabled"), far);
    }

    @Test
    void unknownAgentArgumentIsNamedWithItsSource() {
        String message = error("prot=9300", NONE, NONE);
        assertTrue(message.contains("'prot'"), message);
        assertTrue(message.contains("agent argument"), message);
    }

    @Test
    void unknownAgentArgumentAfterANonListKeyIsNamed() {
        String message = error("port=9300,prot=9301", NONE, NONE);
        assertTrue(message.contains("'prot'") && message.contains("agent argument"), message);
    }

    @Test
    void agentArgumentWithoutAKeyIsAnError() {
        String message = error("9300", NONE, NONE);
        assertTrue(message.contains("'9300'") && message.contains("agent argument"), message);
    }

    @Test
    void unknownEnvironmentVariableIsNamedWithItsSource() {
        String message = error(null, NONE, map("AGENTMON_PROT", "9300"));
        assertTrue(message.contains("AGENTMON_PROT"), message);
        assertTrue(message.contains("environment variable"), message);
    }

    @Test
    void unknownKeyInTheFileIsNamedWithTheFile() throws Exception {
        Path file = file("agentmon.port=9300", "agentmon.prot=9301");
        String message = error(null, map("agentmon.config", file.toString()), NONE);
        assertTrue(message.contains("agentmon.prot"), message);
        assertTrue(message.contains(file.toString()), message);
    }

    @Test
    void fileKeysNeedTheirFullName() throws Exception {
        Path file = file("port=9300");
        String message = error(null, map("agentmon.config", file.toString()), NONE);
        assertTrue(message.contains("'port'") && message.contains(file.toString()), message);
    }

    @Test
    void theFileMayNotNameAnotherFile() throws Exception {
        Path other = file("agentmon.port=9300");
        Path file = file("agentmon.config=" + other.toString().replace("\\", "\\\\"));
        String message = error(null, map("agentmon.config", file.toString()), NONE);
        assertTrue(message.contains("agentmon.config") && message.contains(file.toString()), message);
    }

    @Test
    void missingFileIsNamedWithTheKeyAndWhereItWasSet() {
        Path missing = dir.resolve("nope.properties");
        String message = error(null, map("agentmon.config", missing.toString()), NONE);
        assertTrue(message.contains("agentmon.config"), message);
        assertTrue(message.contains(missing.toString()), message);
        assertTrue(message.contains("does not exist"), message);
        assertTrue(message.contains("system property"), message);

        message = error(null, NONE, map("AGENTMON_CONFIG", missing.toString()));
        assertTrue(message.contains("AGENTMON_CONFIG"), message);
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        String message = error(null, map("agentmon.config", dir.toString()), NONE);
        assertTrue(message.contains("agentmon.config") && message.contains(dir.toString()), message);
    }

    // ---------------------------------------------------------------- bad values

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "65536", "", "9300.5", "0x10", "99999999999"})
    void badPortIsNamedWithValueAndSource(String port) {
        String message = error(null, map("agentmon.port", port), NONE);
        assertTrue(message.startsWith("agentmon.port='" + port + "' (system property): "), message);
        assertTrue(message.contains("not a port number"), message);
    }

    @Test
    void badPortFromEachSourceNamesThatSource() throws Exception {
        assertTrue(error("port=abc", NONE, NONE).startsWith("agentmon.port='abc' (agent argument)"));
        assertTrue(error(null, NONE, map("AGENTMON_PORT", "abc")).startsWith(
                "agentmon.port='abc' (environment variable AGENTMON_PORT)"));
        Path file = file("agentmon.port=abc");
        String message = error(null, map("agentmon.config", file.toString()), NONE);
        assertTrue(message.startsWith("agentmon.port='abc' (file " + file + ")"), message);
    }

    @Test
    void portBoundsAreAccepted() throws Exception {
        assertEquals(0, ConfigLoader.load(null, map("agentmon.port", "0"), NONE).port());
        assertEquals(65535, ConfigLoader.load(null, map("agentmon.port", " 65535 "), NONE).port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"agentmon.strict", "agentmon.enabled"})
    void badBooleanIsNamed(String key) {
        for (String bad : new String[] {"yes", "1", "", "on"}) {
            String message = error(null, map(key, bad), NONE);
            assertTrue(message.startsWith(key + "='" + bad + "'"), message);
            assertTrue(message.contains("true or false"), message);
        }
    }

    @Test
    void nonIncreasingBucketsAreNamed() {
        for (String buckets : new String[] {"1s,500ms", "1s,1s", "10ms,1s,1000ms"}) {
            String message = error(null, map("agentmon.task.buckets", buckets), NONE);
            assertTrue(message.startsWith("agentmon.task.buckets='" + buckets + "'"), message);
            assertTrue(message.contains("must increase"), message);
        }
    }

    @Test
    void bucketsWithABadUnitAreNamed() {
        String message = error(null, map("agentmon.task.buckets", "10ms,1sec"), NONE);
        assertTrue(message.startsWith("agentmon.task.buckets="), message);
        assertTrue(message.contains("unknown unit 'sec'"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten", "1s,,2s", "-1s", "0", "1s,abc"})
    void malformedBucketsAreNamed(String buckets) {
        String message = error(null, map("agentmon.task.buckets", buckets), NONE);
        assertTrue(message.startsWith("agentmon.task.buckets='" + buckets + "'"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.acme.Worker", "com.acme.Worker#", "#run", "a.B#c#d", "@Monitored", "a.B#c(int)",
            "1x=a.B#c", "com.acme.Worker#execute,com.acme.Other"})
    void badMatcherIsNamedWithTheKey(String tasks) {
        String message = error(null, map("agentmon.tasks", tasks), NONE);
        assertTrue(message.startsWith("agentmon.tasks='" + tasks + "' (system property): "), message);
    }

    @Test
    void badMatcherInAgentArgumentsIsNamedWithTheKey() {
        String message = error("tasks=com.acme.Worker#execute,com.acme.Other", NONE, NONE);
        assertTrue(message.startsWith("agentmon.tasks='com.acme.Worker#execute,com.acme.Other' (agent argument)"),
                message);
        assertTrue(message.contains("'com.acme.Other' is not a matcher"), message);
    }

    @Test
    void anUnknownKeyRightAfterAMatcherListReadsAsPartOfTheListAndIsReportedThere() {
        // The agent-argument grammar cannot tell "prot=9300" from a labelled matcher; the matcher
        // parser then rejects it, and the message still shows the misspelt text.
        String message = error("tasks=com.acme.Worker#execute,prot=9300", NONE, NONE);
        assertTrue(message.startsWith("agentmon.tasks="), message);
        assertTrue(message.contains("prot=9300"), message);
    }

    // ---------------------------------------------------------------- strict mode, read leniently

    @Test
    void strictIsReadEvenWhenTheRestOfTheConfigurationIsBroken() throws Exception {
        Map<String, String> broken = map("agentmon.port", "abc", "agentmon.prot", "1");
        assertTrue(ConfigLoader.strictRequested(null, with(broken, "agentmon.strict", "true"), NONE));
        assertTrue(ConfigLoader.strictRequested("prot=1,strict=true", broken, NONE));
        assertTrue(ConfigLoader.strictRequested("agentmon.strict=true", broken, NONE));
        assertTrue(ConfigLoader.strictRequested(null, broken, map("AGENTMON_STRICT", "true")));
        assertFalse(ConfigLoader.strictRequested("prot=1", broken, map("AGENTMON_PROT", "1")));
    }

    @Test
    void strictIsReadWithoutRegardToCaseOrSpaces() {
        assertTrue(ConfigLoader.strictRequested(null, map("agentmon.strict", " TRUE "), NONE));
        assertTrue(ConfigLoader.strictRequested("port=1, strict = True ", NONE, NONE));
        assertTrue(ConfigLoader.strictRequested(null, NONE, map("AGENTMON_STRICT", "True")));
    }

    @Test
    void strictCanComeFromTheFile() throws Exception {
        Path file = file("agentmon.strict=true", "agentmon.port=abc");
        assertTrue(ConfigLoader.strictRequested(null, map("agentmon.config", file.toString()), NONE));
        assertTrue(ConfigLoader.strictRequested("config=" + file, NONE, NONE));
        assertTrue(ConfigLoader.strictRequested(null, NONE, map("AGENTMON_CONFIG", file.toString())));
        assertFalse(ConfigLoader.strictRequested(null, map("agentmon.config", dir.resolve("none").toString()), NONE));
    }

    @Test
    void strictFollowsTheSamePrecedenceAsEveryOtherKey() throws Exception {
        Path file = file("agentmon.strict=true");
        Map<String, String> properties = map("agentmon.strict", "false", "agentmon.config", file.toString());
        assertFalse(ConfigLoader.strictRequested("strict=true", properties, map("AGENTMON_STRICT", "true")));
        assertFalse(ConfigLoader.load("strict=true", properties, map("AGENTMON_STRICT", "true")).strict());
        properties.remove("agentmon.strict");
        assertFalse(ConfigLoader.strictRequested("strict=false", properties, map("AGENTMON_STRICT", "true")));
        assertTrue(ConfigLoader.strictRequested(null, properties, map("AGENTMON_STRICT", "TRUE")));
        assertFalse(ConfigLoader.strictRequested(null, properties, map("AGENTMON_STRICT", "false")));
        assertTrue(ConfigLoader.strictRequested(null, properties, NONE));
    }

    @Test
    void strictRequestedAgreesWithTheLoadedConfiguration() throws Exception {
        // AgentMain relies on the two agreeing: when strict, the start thread stays silent about a
        // taken port and premain reports it; if premain did not know, nothing would be said at all.
        Path strictFile = file("agentmon.strict=true");
        Path lenientFile = file("agentmon.strict=false");
        List<Object[]> cases = new ArrayList<>();
        for (String args : new String[] {null, "strict=true", "strict=TRUE", "strict=false", "config=" + strictFile}) {
            for (Map<String, String> properties : List.of(NONE, map("agentmon.strict", "True"),
                    map("agentmon.config", lenientFile.toString()), map("agentmon.config", strictFile.toString()))) {
                for (Map<String, String> environment : List.of(NONE, map("AGENTMON_STRICT", "true"),
                        map("AGENTMON_STRICT", "FALSE"))) {
                    cases.add(new Object[] {args, properties, environment});
                }
            }
        }
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, String> properties = (Map<String, String>) c[1];
            @SuppressWarnings("unchecked")
            Map<String, String> environment = (Map<String, String>) c[2];
            assertEquals(ConfigLoader.load((String) c[0], properties, environment).strict(),
                    ConfigLoader.strictRequested((String) c[0], properties, environment),
                    "args=" + c[0] + " properties=" + properties + " environment=" + environment);
        }
    }

    // ---------------------------------------------------------------- helpers

    private String error(String args, Map<String, String> properties, Map<String, String> environment) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(args, properties, environment),
                "expected a configuration error for args=" + args + " properties=" + properties + " env=" + environment);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private Path file(String... lines) throws IOException {
        Path file = Files.createTempFile(dir, "agentmon", ".properties");
        Files.write(file, List.of(lines), StandardCharsets.ISO_8859_1);
        return file;
    }

    private static Map<String, String> map(String... namesAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> copy = new HashMap<>(base);
        copy.put(name, value);
        return copy;
    }

    private static List<String> texts(List<MethodMatcher> matchers) {
        List<String> texts = new ArrayList<>();
        for (MethodMatcher matcher : matchers) {
            texts.add(matcher.toString());
        }
        return texts;
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static long s(long seconds) {
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}

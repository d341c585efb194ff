package io.agentmon.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.Echo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every input bounded and every number, list and boolean read exactly, or one clear error line. */
class ConfigBoundsTest {

    private static final Map<String, String> NONE = Collections.emptyMap();

    @TempDir
    Path dir;

    // ------------------------------------------------------------ ASCII digits only

    @ParameterizedTest
    @ValueSource(strings = {"\u0669\u0663\u0660\u0660", "\uff19\uff13\uff10\uff10", "9\u0663\u0660\u0660", "+9300", "09300x"})
    void portTakesAsciiDigitsOnly(String port) {
        String message = error(null, map("agentmon.port", port), NONE);
        assertTrue(message.startsWith("agentmon.port="), message);
        assertTrue(message.contains("ASCII digits"), message);
    }

    @Test
    void asciiPortsStillWork() throws Exception {
        assertEquals(9300, ConfigLoader.load(null, map("agentmon.port", "9300"), NONE).port());
        assertEquals(0, ConfigLoader.load(null, map("agentmon.port", "0"), NONE).port());
        assertTrue(error(null, map("agentmon.port", "65536"), NONE).contains("not a port number"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0661s", "\uff11\uff10ms", "1\u0660ms"})
    void durationsTakeAsciiDigitsOnly(String duration) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(duration));
        error(null, map("agentmon.task.deadline", duration), NONE);
    }

    @Test
    void otelNumbersTakeAsciiDigitsOnly() {
        assertThrows(ConfigException.class, () -> OtelConfig.read(map("otel.traces.exporter", "otlp",
                "otel.exporter.otlp.timeout", "\u0661\u0660\u0660\u0660"), NONE));
        assertThrows(ConfigException.class, () -> OtelConfig.read(map("otel.traces.sampler", "traceidratio",
                "otel.traces.sampler.arg", "0x1p-1"), NONE));
    }

    @Test
    void valueSpecArgumentIndexIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> ValueSpec.parse("arg99999999999"));
        assertThrows(IllegalArgumentException.class, () -> ValueSpec.parse("arg\u0661"));
        assertEquals(12, ValueSpec.parse("arg12").argument());
    }

    // ------------------------------------------------------------ lists: empty elements, bucket counts

    @ParameterizedTest
    @ValueSource(strings = {",", "1s,", ",1s", "1s,,2s", " , ", "1s, ,2s"})
    void anEmptyBucketElementIsAnErrorWhereverItIs(String buckets) {
        String message = error(null, map("agentmon.task.buckets", buckets), NONE);
        assertTrue(message.startsWith("agentmon.task.buckets="), message);
        assertTrue(message.contains("is empty"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.B#c,", ",a.B#c", "a.B#c,,d.E#f"})
    void anEmptyMatcherElementIsAnErrorToo(String tasks) {
        String message = error(null, map("agentmon.tasks", tasks), NONE);
        assertTrue(message.startsWith("agentmon.tasks="), message);
        assertTrue(message.contains("is empty"), message);
        String events = error(null, map("agentmon.events.split", tasks), NONE);
        assertTrue(events.contains("is empty"), events);
    }

    @Test
    void theEmptyElementIsNamedByPosition() {
        String message = error(null, map("agentmon.executor.queue.buckets", "1s,2s,,3s"), NONE);
        assertTrue(message.contains("element 3 of 4 is empty"), message);
    }

    @Test
    void bucketListsHoldAtMost64Bounds() throws Exception {
        assertEquals(AgentConfig.MAX_BUCKETS, ConfigLoader.load(null, map("agentmon.task.buckets", bounds(64)), NONE)
                .taskBucketsNanos().length);
        String message = error(null, map("agentmon.task.buckets", bounds(65)), NONE);
        assertTrue(message.contains("65 bucket bounds, over the limit of 64"), message);
        String many = error(null, map("agentmon.executor.queue.buckets", bounds(2000)), NONE);
        assertTrue(many.contains("2000 bucket bounds, over the limit of 64"), many);
        // 10,000 bounds are longer than any value may be: refused before they are even split.
        String flood = error(null, map("agentmon.task.buckets", bounds(10_000)), NONE);
        assertTrue(flood.startsWith("agentmon.task.buckets='1ms,2ms"), flood);
        assertTrue(flood.length() < 300, flood);
    }

    // ------------------------------------------------------------ booleans

    @Test
    void otelSdkDisabledIsTrueOrFalse() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> OtelConfig.read(map("otel.sdk.disabled", "perhaps", "otel.traces.exporter", "otlp"), NONE));
        assertTrue(e.getMessage().startsWith("otel.sdk.disabled='perhaps' (system property -Dotel.sdk.disabled): "),
                e.getMessage());
        assertEquals(null, OtelConfig.read(map("otel.sdk.disabled", "TRUE", "otel.traces.exporter", "otlp"), NONE).traces());
        assertTrue(OtelConfig.read(map("otel.sdk.disabled", "False", "otel.traces.exporter", "otlp"), NONE).traces() != null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"agentmon.enabled", "agentmon.strict", "agentmon.tasks.stacks"})
    void agentmonBooleansAreTrueOrFalse(String key) {
        String message = error(null, map(key, "yes"), NONE);
        assertTrue(message.contains("expected true or false"), message);
    }

    // ------------------------------------------------------------ echoed values: cut and escaped

    @Test
    void aHugeValueIsRejectedAndEchoedShort() {
        String huge = "x".repeat(100_000);
        String message = error(null, map("agentmon.port", huge), NONE);
        assertTrue(message.contains("longer than the limit of 16384 characters"), message);
        assertTrue(message.contains("...(100000 chars)"), message);
        assertTrue(message.length() < 300, message);
    }

    @Test
    void aLongButAllowedValueIsEchoedShort() {
        String message = error(null, map("agentmon.task.buckets", "1" + "0".repeat(5000) + "ms"), NONE);
        assertTrue(message.length() < 400, message);
        assertTrue(message.contains("chars)"), message);
    }

    @Test
    void controlCharactersAreEscapedInTheLine() {
        String message = error(null, map("agentmon.port", "93\r00\n\t\u0000\u001b[2J"), NONE);
        assertFalse(message.chars().anyMatch(c -> c < 0x20), message);
        assertTrue(message.contains("93\\r00\\n\\t\\u0000\\u001b[2J"), message);
        String otel = assertThrows(ConfigException.class,
                () -> OtelConfig.read(map("otel.traces.sampler", "on\roff"), NONE)).getMessage();
        assertTrue(otel.contains("on\\roff"), otel);
    }

    @Test
    void unknownKeyNamesAreEchoedShortToo() {
        String message = error(null, map("agentmon." + "k".repeat(50_000) + "\r", "1"), NONE);
        assertTrue(message.length() < 2000, message);
        assertFalse(message.contains("\r"), message);
        String args = error("p\u0000rt=1", NONE, NONE);
        assertTrue(args.contains("p\\u0000rt"), args);
    }

    @Test
    void echoCutsAndEscapes() {
        assertEquals("'abc'", Echo.quote("abc"));
        assertEquals("'" + "y".repeat(80) + "...(81 chars)'", Echo.quote("y".repeat(81)));
        assertEquals("a\\u2028b\\u007f", Echo.cut("a\u2028b\u007f", 10));
        assertEquals(Echo.MAX_LINE + "...(3000 chars)".length(), Echo.line("z".repeat(3000)).length());
    }

    @Test
    void agentArgumentsHaveALengthLimit() {
        String message = error("tasks=" + "a.B#c,".repeat(20_000) + "a.B#c", NONE, NONE);
        assertTrue(message.contains("longer than the limit of 65536 characters"), message);
        assertTrue(message.length() < 300, message);
    }

    @Test
    void environmentValuesHaveALengthLimit() {
        String message = error(null, NONE, map("AGENTMON_TASKS", "a.B#c,".repeat(3000)));
        assertTrue(message.contains("environment variable AGENTMON_TASKS"), message);
        assertTrue(message.contains("longer than the limit"), message);
    }

    @Test
    void otelValuesHaveALengthLimit() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> OtelConfig.read(NONE, map("OTEL_EXPORTER_OTLP_HEADERS", "a=b,".repeat(10_000))));
        assertTrue(e.getMessage().contains("longer than the limit"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    // ------------------------------------------------------------ the series budget key

    @Test
    void seriesMaxIsABoundedCount() throws Exception {
        assertEquals(10_000, ConfigLoader.load(null, NONE, NONE).seriesMax());
        assertEquals(50_000, ConfigLoader.load(null, map("agentmon.series.max", "50000"), NONE).seriesMax());
        for (String bad : new String[] {"abc", "\u0661\u0660\u0660\u0660", "99", "10000001", "99999999999", "-5"}) {
            String message = error(null, map("agentmon.series.max", bad), NONE);
            assertTrue(message.startsWith("agentmon.series.max="), message);
        }
    }

    @Test
    void histogramKindsAreOneOfThreeWords() throws Exception {
        assertEquals(HistogramKinds.BOTH, ConfigLoader.load(null, NONE, NONE).histograms());
        assertEquals(HistogramKinds.NATIVE, ConfigLoader.load(null, map("agentmon.histograms", "Native"), NONE).histograms());
        assertEquals(HistogramKinds.CLASSIC, ConfigLoader.load("histograms=classic", NONE, NONE).histograms());
        for (String bad : new String[] {"natve", "", "classic,native", "exponential"}) {
            String message = error(null, map("agentmon.histograms", bad), NONE);
            assertTrue(message.startsWith("agentmon.histograms=") && message.contains("expected classic, native or both"), message);
        }
    }

    @Test
    void frameworksAreAllByDefaultAListOrNone() throws Exception {
        assertEquals(java.util.EnumSet.allOf(Framework.class), ConfigLoader.load(null, NONE, NONE).frameworks());
        assertEquals(java.util.EnumSet.of(Framework.QUARTZ, Framework.KAFKA),
                ConfigLoader.load(null, map("agentmon.frameworks", " Kafka, quartz"), NONE).frameworks());
        assertTrue(ConfigLoader.load("frameworks=none", NONE, NONE).frameworks().isEmpty());
        for (String bad : new String[] {"", "quarz", "kafka,,jms", "none,kafka", "spring"}) {
            String message = error(null, map("agentmon.frameworks", bad), NONE);
            assertTrue(message.startsWith("agentmon.frameworks=") && message.contains("unknown framework")
                    && message.contains("quartz,spring-scheduling,kafka,jms,spring-batch"), message);
        }
    }

    @Test
    void moreEventNamesThanTheTableHoldsAreAnError() {
        Map<String, String> events = new HashMap<>();
        for (int i = 0; i <= AgentConfig.MAX_EVENTS; i++) {
            events.put("agentmon.events.e" + i, "a.B#c");
        }
        String message = error(null, events, NONE);
        assertTrue(message.contains("257 event names, over the limit of 256"), message);
    }

    // ------------------------------------------------------------ files

    @Test
    void aFileOverTheLimitIsRefusedWithoutReadingItAll() throws Exception {
        Path big = dir.resolve("big.properties");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(50L * 1024 * 1024); // sparse: 50 MB of NULs
        }
        String message = error(null, map("agentmon.config", big.toString()), NONE);
        assertTrue(message.contains("over the limit of 1048576"), message);
        assertFalse(ConfigLoader.strictRequested(null, map("agentmon.config", big.toString()), NONE));
    }

    @Test
    void aFileJustAtTheLimitIsRead() throws Exception {
        Path file = dir.resolve("padded.properties");
        String line = "agentmon.port=9300\n";
        byte[] bytes = new byte[ConfigLoader.MAX_FILE_BYTES];
        java.util.Arrays.fill(bytes, (byte) '\n');
        System.arraycopy(line.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, bytes, 0, line.length());
        Files.write(file, bytes);
        assertEquals(9300, ConfigLoader.load(null, map("agentmon.config", file.toString()), NONE).port());
        Files.write(file, new byte[] {'\n'}, java.nio.file.StandardOpenOption.APPEND);
        assertTrue(error(null, map("agentmon.config", file.toString()), NONE).contains("over the limit"));
    }

    @Test
    void devZeroIsRefusedAsNotARegularFile() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            String message = error(null, map("agentmon.config", "/dev/zero"), NONE);
            assertTrue(message.contains("is not a regular file"), message);
            assertFalse(ConfigLoader.strictRequested(null, map("agentmon.config", "/dev/zero"), NONE));
            assertTrue(BoundedFileTestAccess.readFails("/dev/zero"));
        });
    }

    @Test
    void aDirectoryIsRefused() {
        String message = error(null, map("agentmon.config", dir.toString()), NONE);
        assertTrue(message.contains("is not a regular file (a directory)"), message);
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            return; // no mkfifo here: nothing to try
        }
        if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
            return;
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            String message = error(null, map("agentmon.config", fifo.toString()), NONE);
            assertTrue(message.contains("is not a regular file"), message);
            assertFalse(ConfigLoader.strictRequested(null, map("agentmon.config", fifo.toString()), NONE));
        });
    }

    @Test
    void aMissingFileAndABadPathAreNamed() {
        assertTrue(error(null, map("agentmon.config", dir.resolve("nope").toString()), NONE).contains("does not exist"));
        String nul = error(null, map("agentmon.config", "a\u0000b"), NONE);
        assertTrue(nul.contains("a\\u0000b"), nul);
    }

    @Test
    void theSharedReaderReturnsTheBytes() throws Exception {
        Path token = dir.resolve("token");
        Files.write(token, "s3cret\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("s3cret\n", new String(BoundedFile.read("agentmon.http.token.file", "system property",
                token.toString(), 64), java.nio.charset.StandardCharsets.US_ASCII));
        ConfigException e = assertThrows(ConfigException.class,
                () -> BoundedFile.read("agentmon.http.token.file", "system property", token.toString(), 4));
        assertTrue(e.getMessage().startsWith("agentmon.http.token.file: file '"), e.getMessage());
    }

    // ------------------------------------------------------------ helpers

    /** Reads through the shared reader, expecting a refusal. */
    private static final class BoundedFileTestAccess {
        static boolean readFails(String path) {
            try {
                BoundedFile.read("k", "test", path, 1024);
                return false;
            } catch (ConfigException e) {
                return true;
            }
        }
    }

    private static String bounds(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append(i == 1 ? "" : ",").append(i).append("ms");
        }
        return text.toString();
    }

    private static String error(String args, Map<String, String> properties, Map<String, String> environment) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(args, properties, environment),
                "expected a configuration error");
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static Map<String, String> map(String... keysAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

}

package io.agentmon.agent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.agentmon.agent.Echo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded configuration fuzzing: mutations of valid configurations (random bytes, huge values,
 * Unicode digits, control characters, missing {@code =}, repeated keys, stray commas) through
 * every source at once. Every input either parses or throws one {@link ConfigException} whose
 * message is one bounded line; nothing else may come out. Re-run one seed with
 * {@code -Dagentmon.fuzz.seed=N}; {@code -Dagentmon.fuzz.count=N} for more inputs.
 */
class ConfigFuzzTest {

    private static final int COUNT = Integer.getInteger("agentmon.fuzz.count", 4000);
    private static final long TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(90);
    /** The longest message: a whole line at most, with the cut note. */
    private static final int MAX_MESSAGE = Echo.MAX_LINE + 32;

    private static final String[] ODD = {
        "\u0669", "\uff19", "\u0661\u0660", "\r", "\n", "\t", "\u0000", "\u001b[2J", "\u2028", "\u00a0", ",", ",,", "=",
        "==", "#", "+", "*", "@", "\\", "\\u00", "\\u0041", "'", "\"", " ", "-", ".", "e9", "1e999", "NaN", "0x10",
        "\ud800", "\ud83d\ude00", "true", "FALSE", "perhaps", "arg", "return", "ms", "h", "9999999999",
    };
    private static final String[] OTEL_KEYS = {
        "otel.sdk.disabled", "otel.traces.exporter", "otel.metrics.exporter", "otel.exporter.otlp.endpoint",
        "otel.exporter.otlp.protocol", "otel.exporter.otlp.headers", "otel.exporter.otlp.timeout",
        "otel.exporter.otlp.traces.timeout", "otel.exporter.otlp.compression", "otel.traces.sampler",
        "otel.traces.sampler.arg", "otel.metric.export.interval", "otel.resource.attributes", "otel.service.name",
    };

    @TempDir
    Path dir;

    @Test
    void everyInputParsesOrGivesOneShortLine() throws IOException {
        long seed = Long.getLong("agentmon.fuzz.seed", 1L); // fixed, so CI repeats itself; other seeds by hand
        System.out.println("ConfigFuzzTest seed " + seed + " (re-run with -Dagentmon.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < COUNT && System.nanoTime() < deadline; i++) {
            String args = random.nextInt(3) == 0 ? null : mutate(random, validArguments(random));
            Map<String, String> properties = new HashMap<>();
            Map<String, String> environment = new HashMap<>();
            int keys = random.nextInt(6);
            for (int k = 0; k < keys; k++) {
                ConfigKey key = ConfigKey.values()[random.nextInt(ConfigKey.values().length)];
                if (key == ConfigKey.CONFIG) {
                    continue;
                }
                String name = name(random, key);
                String value = mutate(random, example(key));
                if (random.nextBoolean()) {
                    properties.put(name, value);
                } else {
                    environment.put(name.replace('.', '_').toUpperCase(java.util.Locale.ROOT), value);
                }
            }
            if (random.nextInt(4) == 0) {
                properties.put(OTEL_KEYS[random.nextInt(OTEL_KEYS.length)], mutate(random, "otlp"));
            }
            if (random.nextInt(10) == 0) {
                properties.put("agentmon." + mutate(random, "prot"), "1");
            }
            if (random.nextInt(3) == 0) {
                Path file = dir.resolve("fuzz" + i + ".properties");
                Files.write(file, fileContents(random));
                (random.nextBoolean() ? properties : environment)
                        .put(random.nextBoolean() ? "agentmon.config" : "AGENTMON_CONFIG", file.toString());
            }
            String input = "args=" + Echo.cut(String.valueOf(args), 300) + " properties=" + Echo.cut(properties.toString(), 600)
                    + " environment=" + Echo.cut(environment.toString(), 600);
            try {
                ConfigLoader.strictRequested(args, properties, environment);
                ConfigLoader.load(args, properties, environment);
                OtelConfig.read(properties, environment);
                parsed++;
            } catch (ConfigException e) {
                refused++;
                String message = e.getMessage();
                if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0 || message.length() > MAX_MESSAGE
                        || message.chars().anyMatch(c -> c < 0x20)) {
                    fail("seed " + seed + " input " + i + ": not one short line (" + message.length() + " chars): "
                            + Echo.cut(message, 400) + "\n" + input);
                }
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + " input " + i + ": " + e + "\n" + input, e);
            } finally {
                Files.deleteIfExists(dir.resolve("fuzz" + i + ".properties"));
            }
        }
        System.out.println("ConfigFuzzTest: " + parsed + " parsed, " + refused + " refused with one line");
        assertTrue(parsed > 0 && refused > 0, "the fuzzer reaches both outcomes: " + parsed + " parsed, " + refused + " refused");
    }

    private static String name(Random random, ConfigKey key) {
        if (!key.isPrefix()) {
            return key.key();
        }
        String prefix = key.key().substring(0, key.key().indexOf('<'));
        return prefix + (random.nextInt(5) == 0 ? mutate(random, "ingest") : "ingest" + random.nextInt(3));
    }

    private static String example(ConfigKey key) {
        String example = key.example();
        int equals = key.isPrefix() ? example.indexOf('=') : -1;
        return equals >= 0 ? example.substring(equals + 1) : example;
    }

    private static String validArguments(Random random) {
        List<String> parts = new java.util.ArrayList<>(List.of("port=9300", "tasks=a.B#c,d.E+#f", "task.buckets=1ms,10ms,1s",
                "host=127.0.0.1", "task.deadline=30s", "tasks.stacks=true", "executor.name.pool-1=ingest",
                "events.split=a.B#split", "events.split.value=arg0", "series.max=20000", "histograms=native"));
        java.util.Collections.shuffle(parts, random);
        return String.join(",", parts.subList(0, 1 + random.nextInt(parts.size())));
    }

    private static byte[] fileContents(Random random) {
        switch (random.nextInt(4)) {
            case 0: {
                byte[] bytes = new byte[random.nextInt(4096)];
                random.nextBytes(bytes);
                return bytes;
            }
            case 1: // repeated keys, missing '=', continuation lines, escapes
                return mutate(random, "agentmon.port=9300\nagentmon.port=9301\nagentmon.tasks\nagentmon.task.buckets=1ms,\\\n  2ms\n"
                        + "agentmon.host:127.0.0.1\n# comment\n!comment\nagentmon.events.x=a.B#c\\u0041\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            case 2: { // a huge value
                StringBuilder text = new StringBuilder("agentmon.tasks=");
                int length = random.nextInt(40_000);
                while (text.length() < length) {
                    text.append("a.B#c,");
                }
                return text.append("a.B#c\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            default:
                return mutate(random, "agentmon.port=0\nagentmon.task.buckets=1ms,5ms\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A few random edits: insert odd text, delete, duplicate, or blow the value up. */
    static String mutate(Random random, String valid) {
        StringBuilder text = new StringBuilder(valid);
        int edits = random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = text.length() == 0 ? 0 : random.nextInt(text.length() + 1);
            switch (random.nextInt(7)) {
                case 0:
                case 1:
                    text.insert(at, ODD[random.nextInt(ODD.length)]);
                    break;
                case 2:
                    if (text.length() > 0) {
                        text.delete(Math.min(at, text.length() - 1), Math.min(text.length(), at + 1 + random.nextInt(4)));
                    }
                    break;
                case 3:
                    text.insert(at, (char) random.nextInt(0x3000));
                    break;
                case 4:
                    text.append(',').append(text, 0, Math.min(text.length(), at));
                    break;
                case 5:
                    if (random.nextInt(8) == 0) {
                        text.append(String.valueOf(text).repeat(1 + random.nextInt(Math.max(1, 40_000 / Math.max(1, text.length())))));
                    }
                    break;
                default:
                    text.setLength(Math.min(text.length(), at));
            }
        }
        return text.toString();
    }
}

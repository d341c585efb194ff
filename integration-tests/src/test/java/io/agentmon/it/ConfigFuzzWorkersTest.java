package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real workers under fuzzed configurations (seeded, printed): agent arguments, system
 * properties, environment variables and a properties file, each a mutation of a valid
 * configuration. Every worker's main runs to its end with all its jobs, and agentmon says at
 * most one line per problem. Re-run a seed with {@code -Dagentmon.fuzz.seed=N}.
 *
 * <p>Mutations insert no {@code *}, {@code +} or {@code @}: matchers broad enough to cover the
 * JDK are another test's subject. Strict mode is never set (it stops the JVM by design), and
 * the endpoint is always on a free loopback port.
 */
class ConfigFuzzWorkersTest {

    private static final int WORKERS = 10;
    private static final int JOBS = 20;
    private static final String[] ODD = {
        "\u0669", "\uff19", "\r", "\t", "\u0000", ",", ",,", "=", "#", "\\", "'", " ", "-", ".", "1e999", "perhaps",
        "\u00e9", "\ud83d\ude00", "x".repeat(20_000),
    };
    private static final String[] KEYS = {
        "tasks", "task.buckets", "task.deadline", "task.deadline.ingest", "timeouts", "tasks.stacks",
        "executor.queue.buckets", "executor.name.pool-1", "events.split", "events.split.value", "series.max",
        "enabled", "service", "docker.cpu",
    };
    private static final String[] VALUES = {
        "com.acme.worker.jobs.Job+#execute", "1ms,10ms,100ms,1s", "30s", "2m", "com.acme.worker.Worker#onTimeout",
        "true", "10ms,1s,1m", "ingest", "com.acme.worker.jobs.Job+#execute", "arg0", "20000", "true", "fuzzed", "arg0",
    };

    @TempDir
    Path dir;

    @Test
    void everyWorkerRunsToItsEndWithOneLinePerProblem() throws Exception {
        long seed = Long.getLong("agentmon.fuzz.seed", 7L); // fixed, so CI repeats itself; other seeds by hand
        System.out.println("ConfigFuzzWorkersTest seed " + seed + " (re-run with -Dagentmon.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int w = 0; w < WORKERS; w++) {
            Path tally = dir.resolve("tally" + w + ".properties");
            Path file = dir.resolve("agentmon" + w + ".properties");
            StringBuilder contents = new StringBuilder();
            List<String> arguments = new ArrayList<>();
            WorkerProcess.Builder builder = WorkerProcess.builder(Jdks.current()).onLoopback();
            int problemsAtMost = 0;
            for (int k = 0; k < 4; k++) {
                int pick = random.nextInt(KEYS.length);
                // Odd workers get mostly valid values, so that some configurations are taken.
                String value = w % 2 == 1 && random.nextInt(4) > 0 ? VALUES[pick] : mutate(random, VALUES[pick]);
                // A command line or an environment cannot carry a NUL (the OS ends the string there);
                // a properties file can.
                String passable = value.replace('\u0000', '\u0001');
                switch (random.nextInt(4)) {
                    case 0: builder.property("agentmon." + KEYS[pick], passable); break;
                    case 1: builder.env("AGENTMON_" + KEYS[pick].replace('.', '_').replace('-', '_').toUpperCase(), passable); break;
                    case 2: arguments.add(KEYS[pick] + "=" + passable); break;
                    default: contents.append("agentmon.").append(KEYS[pick]).append('=').append(value).append('\n');
                }
            }
            if (w % 2 == 0 && random.nextInt(3) == 0) {
                builder.property("otel.sdk.disabled", mutate(random, "false").replace('\u0000', '\u0001'));
                problemsAtMost++; // a bad otel.* value is its own line: tracing off, metrics on
            }
            if (contents.length() > 0 || random.nextInt(4) == 0) {
                byte[] bytes = contents.toString().getBytes(StandardCharsets.UTF_8);
                if (w % 2 == 0 && random.nextInt(4) == 0) {
                    bytes = new byte[random.nextInt(2048)];
                    random.nextBytes(bytes);
                }
                Files.write(file, bytes);
                builder.property("agentmon.config", file.toString());
            }
            if (!arguments.isEmpty()) {
                String joined = String.join(",", arguments);
                builder.agentArgs((w % 2 == 1 ? joined : mutate(random, joined)).replace('\u0000', '\u0001'));
            }
            try (WorkerProcess worker = builder.sampleWorker("--jobs", String.valueOf(JOBS), "--threads", "4",
                    "--tally", tally.toString(), "--hold-seconds", "1").start()) {
                int exit = worker.awaitExit(120);
                String stderr = worker.stderr();
                String what = "seed " + seed + " worker " + w + "\nstderr:\n" + stderr;
                assertEquals(0, exit, "the worker's exit code, " + what);
                assertEquals(String.valueOf(JOBS), worker.awaitProperties(tally, 5).getProperty("total.count"),
                        "the worker ran all its jobs, " + what);
                List<String> lines = new ArrayList<>();
                for (String line : stderr.split("\n")) {
                    if (line.startsWith("agentmon:")) {
                        lines.add(line);
                        assertTrue(line.length() < 2200, "a bounded line, " + what);
                        assertFalse(line.contains("\r"), "one line, " + what);
                    }
                }
                // The configuration line or the serving line, and at most the otel line.
                assertTrue(lines.size() >= 1 && lines.size() <= 1 + problemsAtMost, "agentmon lines, " + what);
                assertFalse(stderr.contains("FATAL") || stderr.contains("Exception in thread"), what);
                System.out.println("worker " + w + ": " + lines.get(0).substring(0, Math.min(160, lines.get(0).length())));
            }
        }
    }

    private static String mutate(Random random, String valid) {
        StringBuilder text = new StringBuilder(valid);
        int edits = random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(text.length() + 1);
            switch (random.nextInt(3)) {
                case 0:
                    text.insert(at, ODD[random.nextInt(ODD.length)]);
                    break;
                case 1:
                    if (text.length() > 0) {
                        text.delete(Math.min(at, text.length() - 1), Math.min(text.length(), at + 2));
                    }
                    break;
                default:
                    text.append(',').append(text, 0, Math.min(text.length(), at));
            }
        }
        return text.toString();
    }
}

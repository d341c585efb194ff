package io.agentmon.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code promtool} (Debian package {@code prometheus}). Without it the calling test is
 * skipped, except in CI ({@code CI=true}), where its absence is a failure.
 */
public final class Promtool {

    private Promtool() {
    }

    /** Runs promtool with {@code args}, feeding {@code stdin} when not null. */
    public static Result run(String stdin, String... args) throws IOException, InterruptedException {
        Path promtool = find();
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool did not finish within 60s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Paths.get(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but promtool is not installed (apt-get install prometheus)");
        }
        Assumptions.abort("promtool is not installed (apt-get install prometheus)");
        throw new AssertionError("unreachable");
    }

    /** Exit code and combined output. */
    public static final class Result {
        public final int exitCode;
        public final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}

package io.agentmon.it.support;

import java.io.File;
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

    /** Runs promtool with {@code args}, feeding it {@code stdin}; its output goes through a file, so no pipe can fill up. */
    public static Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(find().toString());
        command.addAll(Arrays.asList(args));
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " still running after 60 s");
            }
            return new Result(process.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path debian = Paths.get("/usr/bin/promtool");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but promtool is not installed (Debian package prometheus)");
        }
        Assumptions.abort("promtool is not installed (Debian package prometheus); skipped outside CI");
        throw new AssertionError("unreachable");
    }

    /** Exit code and combined output. */
    public static final class Result {
        public final int exit;
        public final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }

        /** The non-blank output lines, trimmed. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (String line : output.split("\\R")) {
                if (!line.trim().isEmpty()) {
                    lines.add(line.trim());
                }
            }
            return lines;
        }
    }
}

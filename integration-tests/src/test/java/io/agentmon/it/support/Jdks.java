package io.agentmon.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDKs end-to-end tests run on: the one running the build (OpenJDK 17 here) and the
 * machine's Temurin 25. A missing second JDK is skipped locally, and is an error in CI.
 */
public final class Jdks {

    static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

    private Jdks() {
    }

    /** Paths to {@code java} executables, for {@code @MethodSource}. */
    public static List<Path> all() {
        List<Path> javas = new ArrayList<>();
        javas.add(current());
        Path temurin = TEMURIN_25.resolve("bin/java");
        if (Files.isExecutable(temurin)) {
            javas.add(temurin);
        } else if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but the second JDK is missing: " + temurin);
        }
        return javas;
    }

    public static Path current() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }
}

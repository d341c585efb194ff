package io.agentmon.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Jars of libraries a fixture worker ships itself, named by system properties the Maven build sets. */
public final class LibraryJars {

    private LibraryJars() {
    }

    /** The jar the system property {@code property} names; fails the test when it is unset or missing. */
    public static Path of(String property) {
        String path = System.getProperty(property);
        assertTrue(path != null && !path.contains("${"), property + " is not set: run through Maven, which sets it");
        Path jar = Paths.get(path);
        assertTrue(Files.isRegularFile(jar), property + ": no file " + jar);
        return jar;
    }
}

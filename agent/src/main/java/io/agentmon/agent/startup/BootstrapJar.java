package io.agentmon.agent.startup;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarFile;

/**
 * Puts the bootstrap module's classes on the bootstrap class loader. agentmon.jar carries them
 * as a nested jar (not as classes of its own, which the system class loader would load first);
 * the JVM can only append a jar file on disk, so it is copied to a temporary file.
 */
final class BootstrapJar {

    private static final String RESOURCE = "/agentmon/agentmon-bootstrap.jar";
    private static final String PROBE_CLASS = "io.agentmon.bootstrap.TaskProbes";

    private BootstrapJar() {
    }

    static void appendTo(Instrumentation instrumentation) throws IOException {
        if (isOnBootstrap()) {
            return; // a second agent start in this JVM: the first one's classes are in use
        }
        Path copy = newFile(Paths.get(System.getProperty("java.io.tmpdir")));
        File file = copy.toFile();
        file.deleteOnExit();
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from agentmon.jar");
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(file));
    }

    /**
     * A new, empty file of ours in {@code directory}, readable and writable by this user only
     * where the file system has POSIX permissions. Named here, not by {@code Files.createTempFile},
     * whose {@code SecureRandom} cost every start 45 ms of CPU (loading and seeding its
     * providers): the name need not be unguessable, since creating it fails, and another is
     * tried, if anything of that name (a link included) is already there.
     */
    static Path newFile(Path directory) throws IOException {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        for (int attempt = 1; ; attempt++) {
            Path file = directory.resolve("agentmon-bootstrap-" + Long.toHexString(System.nanoTime()) + ".jar");
            try {
                return posix ? Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                        : Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static final int MAX_ATTEMPTS = 100;

    /** Whether an agent appended the bootstrap classes to this JVM already. */
    static boolean isOnBootstrap() {
        try {
            Class.forName(PROBE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

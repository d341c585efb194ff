package io.agentmon.agent.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapJarTest {

    @Test
    void theCopyIsANewFileOnlyItsOwnerMayReadOrWrite(@TempDir Path directory) throws Exception {
        Path first = BootstrapJar.newFile(directory);
        Path second = BootstrapJar.newFile(directory);
        assertNotEquals(first, second);
        for (Path file : new Path[] {first, second}) {
            assertTrue(Files.isRegularFile(file), file.toString());
            assertEquals(0, Files.size(file));
            assertTrue(file.getFileName().toString().startsWith("agentmon-bootstrap-"), file.toString());
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
    }
}

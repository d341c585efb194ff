package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file the configuration names (the properties file, a token file) without ever holding
 * more than a limit: only regular files (a FIFO would block the worker's start, a device such as
 * {@code /dev/zero} never ends), read through a bounded stream (the size a file reports can
 * change or lie, as files in {@code /proc} do), and a file over the limit is an error rather
 * than cut short.
 */
public final class BoundedFile {

    private BoundedFile() {
    }

    /**
     * The file's bytes; throws naming {@code key}, the path and what is wrong.
     *
     * @param key the configuration key that names the file, for the message
     * @param source where that key was set, e.g. {@code system property}
     * @param maxBytes the most bytes accepted
     */
    public static byte[] read(String key, String source, String file, int maxBytes) throws ConfigException {
        String where = key + ": file " + Echo.quote(file) + " (" + source + ")";
        Path path;
        try {
            path = Paths.get(file);
        } catch (RuntimeException e) { // InvalidPathException: a NUL byte, say
            throw new ConfigException(where + " is not a valid path");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class); // follows links
        } catch (NoSuchFileException e) {
            throw new ConfigException(where + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(where + " cannot be read: " + Echo.cut(String.valueOf(e.getMessage()), Echo.MAX_SHOWN));
        }
        if (!attributes.isRegularFile()) {
            throw new ConfigException(where + " is not a regular file (" + (attributes.isDirectory() ? "a directory"
                    : "a device, FIFO or socket") + ")");
        }
        if (attributes.size() > maxBytes) {
            throw new ConfigException(where + " is " + attributes.size() + " bytes, over the limit of " + maxBytes);
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(maxBytes); // reads in small chunks: holds no more than it found
            if (in.read() >= 0) {
                throw new ConfigException(where + " is over the limit of " + maxBytes + " bytes");
            }
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(where + " cannot be read: " + Echo.cut(String.valueOf(e.getMessage()), Echo.MAX_SHOWN));
        }
    }
}

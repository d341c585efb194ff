package com.acme.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SortedMap;

/** Writes the tally as a properties file ({@code key=value} lines, sorted by key). */
final class TallyFile {

    private TallyFile() {
    }

    /**
     * Writes to {@code FILE.tmp} and then renames it onto {@code FILE}, so that anyone polling
     * for the file sees either nothing or the complete tally.
     */
    static void write(Path file, SortedMap<String, Long> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Long> entry : entries.entrySet()) {
            text.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }

        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.write(tmp, text.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

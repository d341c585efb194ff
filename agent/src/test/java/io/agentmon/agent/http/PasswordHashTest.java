package io.agentmon.agent.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void aHashMatchesItsPasswordOnly() {
        String stored = PasswordHash.create("correct horse".toCharArray());
        assertTrue(stored.startsWith("pbkdf2-sha256:" + PasswordHash.ITERATIONS + ":"), stored);
        PasswordHash hash = PasswordHash.parse(stored);
        assertTrue(hash.matches("correct horse".toCharArray()));
        assertFalse(hash.matches("correct hors".toCharArray()));
        assertFalse(hash.matches("".toCharArray()));
        assertNotEquals(stored, PasswordHash.create("correct horse".toCharArray()), "salted");
    }

    @Test
    void malformedHashesAreRefusedSayingWhy() {
        String good = PasswordHash.create("x".toCharArray());
        String[] parts = good.split(":");
        for (String bad : new String[] {"", "plain", "md5:1000:a:b", "pbkdf2-sha256:10:" + parts[2] + ":" + parts[3],
                "pbkdf2-sha256:abc:" + parts[2] + ":" + parts[3], "pbkdf2-sha256:1000:%%%:" + parts[3],
                "pbkdf2-sha256:1000:" + parts[2] + ":AAAA", "pbkdf2-sha256:99999999999:" + parts[2] + ":" + parts[3]}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(bad), bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
    }
}

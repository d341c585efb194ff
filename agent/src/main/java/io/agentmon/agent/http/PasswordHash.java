package io.agentmon.agent.http;

import io.agentmon.agent.NameSyntax;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes, written {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}
 * (salt and hash in base64), the form {@code agentmon.http.basic.password.hash} takes.
 */
public final class PasswordHash {

    static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 210_000; // OWASP's figure for PBKDF2-HMAC-SHA256 at the time of writing
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** A new hash of {@code password} with a random salt, in the stored form. */
    public static String create(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder();
        return SCHEME + ":" + ITERATIONS + ":" + base64.encodeToString(salt) + ":"
                + base64.encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Parses the stored form; throws {@link IllegalArgumentException} saying what is wrong. */
    public static PasswordHash parse(String stored) {
        String[] parts = stored.trim().split(":", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("expected " + SCHEME + ":<iterations>:<salt>:<hash>, as printed by java -jar agentmon.jar hash-password");
        }
        int iterations;
        if (!NameSyntax.asciiDigits(parts[1], 8)
                || (iterations = Integer.parseInt(parts[1])) < 1000 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be a number from 1000 to " + MAX_ITERATIONS);
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (salt.length < 8 || hash.length != HASH_BITS / 8) {
                throw new IllegalArgumentException("salt of at least 8 bytes and a 32-byte hash expected");
            }
            return new PasswordHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("salt and hash must be base64: " + e.getMessage());
        }
    }

    /** Whether {@code password} is the one hashed; compares in constant time. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}

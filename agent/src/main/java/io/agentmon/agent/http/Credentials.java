package io.agentmon.agent.http;

import io.agentmon.agent.http.server.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Who may read the endpoint: a bearer token, a basic-auth user with a hashed password, either,
 * both (either suffices) or nobody in particular ({@link #OPEN}). Comparisons take constant
 * time. Checking a basic password costs a PBKDF2 derivation, so the last accepted header is
 * remembered (a scraper sends the same one every time) and derivations run one at a time: a
 * flood of wrong passwords costs one core at most, never the worker's threads.
 */
final class Credentials {

    static final Credentials OPEN = new Credentials(null, null, null);

    private final byte[] token;
    private final String basicUser;
    private final PasswordHash basicPassword;
    private final Object deriving = new Object();
    private volatile byte[] acceptedBasic;

    Credentials(String token, String basicUser, PasswordHash basicPassword) {
        this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.basicUser = basicUser;
        this.basicPassword = basicPassword;
    }

    boolean isOpen() {
        return token == null && basicUser == null;
    }

    /** The {@code WWW-Authenticate} challenge for a 401. */
    String challenge() {
        return basicUser != null ? "Basic realm=\"agentmon\", charset=\"UTF-8\"" : "Bearer realm=\"agentmon\"";
    }

    boolean allows(Request request) {
        if (isOpen()) {
            return true;
        }
        for (String header : request.headers("Authorization")) {
            byte[] given = header.trim().getBytes(StandardCharsets.UTF_8);
            if (token != null && MessageDigest.isEqual(token, given)) {
                return true;
            }
            if (basicUser != null && header.regionMatches(true, 0, "Basic ", 0, 6) && basic(given, header.substring(6).trim())) {
                return true;
            }
        }
        return false;
    }

    private boolean basic(byte[] header, String encoded) {
        byte[] accepted = acceptedBasic;
        if (accepted != null && MessageDigest.isEqual(accepted, header)) {
            return true;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean userMatches = MessageDigest.isEqual(basicUser.getBytes(StandardCharsets.UTF_8),
                pair.substring(0, colon).getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches;
        synchronized (deriving) {
            passwordMatches = basicPassword.matches(pair.substring(colon + 1).toCharArray());
        }
        if (userMatches && passwordMatches) {
            acceptedBasic = header;
            return true;
        }
        return false;
    }
}

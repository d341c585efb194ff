package io.agentmon.agent.http;

import io.agentmon.agent.config.BoundedFile;
import io.agentmon.agent.config.ConfigException;
import io.agentmon.agent.config.HttpConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The endpoint's protection, read once when it starts: credentials from the configuration or
 * their files, and the TLS context from PKCS#12 stores. Anything missing, unreadable or wrong
 * is an {@link IOException} naming its key, and the endpoint does not start (it never falls
 * back to serving unprotected).
 */
final class Protection {

    private static final int MAX_SECRET_FILE = 64 * 1024;
    private static final int MAX_KEYSTORE_FILE = 1024 * 1024;

    final Credentials credentials;
    /** Null for plain HTTP. */
    final SSLContext tls;
    final boolean clientCertificates;

    private Protection(Credentials credentials, SSLContext tls, boolean clientCertificates) {
        this.credentials = credentials;
        this.tls = tls;
        this.clientCertificates = clientCertificates;
    }

    static Protection from(HttpConfig config) throws IOException {
        String token = config.token();
        if (config.tokenFile() != null) {
            token = secret(config.tokenFile(), "agentmon.http.token.file");
        }
        PasswordHash hash = null;
        if (config.basicPasswordHash() != null) {
            try {
                hash = PasswordHash.parse(config.basicPasswordHash());
            } catch (IllegalArgumentException e) {
                throw new IOException("agentmon.http.basic.password.hash: " + e.getMessage());
            }
        }
        Credentials credentials = token == null && hash == null ? Credentials.OPEN
                : new Credentials(token, config.basicUser(), hash);
        if (config.keystore() == null) {
            return new Protection(credentials, null, false);
        }
        char[] password = password(config.keystorePassword(), config.keystorePasswordFile(), "agentmon.http.tls.keystore.password");
        KeyStore keys = load(config.keystore(), password, "agentmon.http.tls.keystore");
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            if (keyManagers.getKeyManagers().length == 0 || !hasKey(keys)) {
                throw new IOException("agentmon.http.tls.keystore: " + config.keystore() + " holds no private key");
            }
            TrustManagerFactory trust = null;
            if (config.clientTruststore() != null) {
                char[] trustPassword = password(config.clientTruststorePassword(), config.clientTruststorePasswordFile(),
                        "agentmon.http.tls.client.truststore.password");
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(config.clientTruststore(), trustPassword, "agentmon.http.tls.client.truststore"));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return new Protection(credentials, context, trust != null);
        } catch (GeneralSecurityException e) {
            throw new IOException("agentmon.http.tls.keystore: " + config.keystore() + ": " + e.getMessage());
        }
    }

    private static boolean hasKey(KeyStore keys) throws GeneralSecurityException {
        for (String alias : java.util.Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    private static KeyStore load(String file, char[] password, String key) throws IOException {
        byte[] bytes = bounded(file, key, MAX_KEYSTORE_FILE);
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password") ? "wrong password or not a PKCS#12 keystore" : e.toString();
            throw new IOException(key + ": cannot read " + file + ": " + why);
        }
    }

    private static char[] password(String given, String file, String key) throws IOException {
        if (given != null && file != null) {
            throw new IOException(key + ": set either " + key + " or " + key + ".file, not both");
        }
        if (file != null) {
            return secret(file, key + ".file").toCharArray();
        }
        return given == null ? new char[0] : given.toCharArray();
    }

    /** A secret file's content, trimmed; empty or unreadable is an error naming {@code key}. */
    private static String secret(String file, String key) throws IOException {
        String value = new String(bounded(file, key, MAX_SECRET_FILE), StandardCharsets.UTF_8).trim();
        if (value.isEmpty()) {
            throw new IOException(key + ": " + file + " is empty");
        }
        return value;
    }

    /** A file read with the configuration's own care: regular files only, never more than {@code max} bytes. */
    private static byte[] bounded(String file, String key, int max) throws IOException {
        try {
            return BoundedFile.read(key, "configuration", file, max);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage());
        }
    }
}

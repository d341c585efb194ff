package io.agentmon.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made at test time with the JDK's {@code keytool}, in PKCS#12 stores
 * under one directory: a server certificate for 127.0.0.1 and localhost, a client certificate,
 * and the trust stores and PEM files each side needs.
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    public final Path dir;
    /** The server's key and certificate. */
    public final Path serverKeystore;
    /** The server's certificate in PEM, as a CA file for clients (Prometheus's {@code ca_file}). */
    public final Path serverPem;
    /** Trusts the server's certificate: for clients. */
    public final Path serverTruststore;
    /** A client's key and certificate. */
    public final Path clientKeystore;
    /** Trusts the client's certificate: for the server, to require it. */
    public final Path clientTruststore;
    /** A second client's key and certificate, which the server does not trust. */
    public final Path strangerKeystore;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.serverKeystore = dir.resolve("server.p12");
        this.serverPem = dir.resolve("server.pem");
        this.serverTruststore = dir.resolve("server-trust.p12");
        this.clientKeystore = dir.resolve("client.p12");
        this.clientTruststore = dir.resolve("client-trust.p12");
        this.strangerKeystore = dir.resolve("stranger.p12");
    }

    public static TestCertificates create() throws IOException {
        TestCertificates certificates = new TestCertificates(Files.createTempDirectory("agentmon-tls-"));
        certificates.generate();
        return certificates;
    }

    private void generate() throws IOException {
        keypair(serverKeystore, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", serverKeystore.toString(), "-storepass", PASSWORD,
                "-file", serverPem.toString());
        importCertificate(serverPem, "server", serverTruststore);
        keypair(clientKeystore, "client", "CN=prometheus", null);
        Path clientPem = dir.resolve("client.pem");
        keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", clientKeystore.toString(), "-storepass", PASSWORD,
                "-file", clientPem.toString());
        importCertificate(clientPem, "client", clientTruststore);
        keypair(strangerKeystore, "stranger", "CN=stranger", null);
    }

    private static void keypair(Path store, String alias, String name, String extension) throws IOException {
        List<String> args = new ArrayList<>(Arrays.asList("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", name, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (extension != null) {
            args.add("-ext");
            args.add(extension);
        }
        keytool(args.toArray(new String[0]));
    }

    private static void importCertificate(Path pem, String alias, Path store) throws IOException {
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", pem.toString(), "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD);
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Jdks.current().resolveSibling("keytool").toString());
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish: " + command);
            }
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException("keytool failed: " + command + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A client context that trusts the server, presenting {@code clientKeystore} when not null. */
    public SSLContext clientContext(Path clientKeystore) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(serverTruststore));
        KeyManagerFactory keys = null;
        if (clientKeystore != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(clientKeystore), PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        return keyStore;
    }
}

package io.agentmon.agent.otlp.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** A connection to a collector: TCP, and TLS on top when the endpoint is {@code https://}. */
final class Sockets {

    private Sockets() {
    }

    /**
     * Connects within {@code timeoutMillis}, then, when {@code tls} is not null, shakes hands
     * within the same time, checking the server's certificate against its name (as a browser
     * does) and offering {@code alpn} (none when null).
     */
    static Socket connect(String host, int port, SSLSocketFactory tls, String alpn, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), Math.max(1, timeoutMillis));
            if (tls == null) {
                return socket;
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
            socket = secure;
            SSLParameters parameters = secure.getSSLParameters();
            if (alpn != null) {
                parameters.setApplicationProtocols(new String[] {alpn});
            }
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.setSoTimeout(Math.max(1, timeoutMillis));
            secure.startHandshake();
            if (alpn != null && !alpn.equals(secure.getApplicationProtocol())) {
                throw new IOException("the server at " + host + ":" + port + " did not agree to " + alpn + " by ALPN");
            }
            return secure;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}

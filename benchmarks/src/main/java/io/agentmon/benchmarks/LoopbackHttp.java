package io.agentmon.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A scraper for {@link ScrapeBenchmark}: HTTP/1.1 GETs of one path over one kept-alive
 * connection to 127.0.0.1, as Prometheus makes them ({@code Accept} for the text format, and
 * {@code Accept-Encoding: gzip} when asked), each body read to its last byte and dropped.
 *
 * <p>Hand-written on a plain socket rather than the JDK's {@code HttpClient} so that the client
 * allocates nothing per request (JMH's {@code gc.alloc.rate.norm} is JVM-wide, so what is left
 * is the server's) and starts no thread pool (under the agent, a {@code ThreadPoolExecutor}
 * would be woven and add pool series to the very scrape being measured). Reads
 * {@code Content-Length} and chunked bodies; not thread-safe: one per benchmark thread.
 */
final class LoopbackHttp implements Closeable {

    static final String TEXT_ACCEPT = "text/plain;version=0.0.4";

    private final InetSocketAddress address;
    private final byte[] request;
    private final byte[] buffer = new byte[1 << 16];
    private final byte[] line = new byte[16 * 1024];
    private int position;
    private int limit;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean reused;

    LoopbackHttp(int port, String path, boolean gzip) {
        this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.request = ("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "User-Agent: agentmon-scrape-benchmark\r\n"
                + "Accept: " + TEXT_ACCEPT + "\r\n"
                + (gzip ? "Accept-Encoding: gzip\r\n" : "")
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One scrape; returns the body's length in bytes (as sent: gzipped if the server gzipped). */
    long get() throws IOException {
        return exchange(null);
    }

    /** One scrape, keeping the body (as sent). */
    byte[] body() throws IOException {
        ByteArrayOutputStream keep = new ByteArrayOutputStream(1 << 16);
        exchange(keep);
        return keep.toByteArray();
    }

    private long exchange(ByteArrayOutputStream keep) throws IOException {
        if (socket == null) {
            connect();
        }
        out.write(request);
        out.flush();
        int n = readLine();
        if (n < 0 && reused) { // the server closed the idle connection: once more on a new one
            close();
            connect();
            out.write(request);
            out.flush();
            n = readLine();
        }
        if (n < 12 || !startsWith(n, "HTTP/1.1 200")) {
            String status = n < 0 ? "end of stream" : new String(line, 0, n, StandardCharsets.ISO_8859_1);
            close();
            throw new IOException("GET " + address + ": " + status);
        }
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        while ((n = readLine()) > 0) {
            if (startsWith(n, "content-length:")) {
                length = parseDecimal(15, n);
            } else if (startsWith(n, "transfer-encoding:")) {
                chunked = contains(n, "chunked");
            } else if (startsWith(n, "connection:")) {
                closeAfter = contains(n, "close");
            }
        }
        if (n < 0) {
            throw new EOFException("end of stream in the response head");
        }
        long total = 0;
        if (chunked) {
            for (long size; (size = parseHex(readLine())) > 0; ) {
                skip(size, keep);
                total += size;
                readLine(); // the CRLF after the chunk
            }
            while ((n = readLine()) > 0) {
                // trailers
            }
        } else if (length >= 0) {
            skip(length, keep);
            total = length;
        } else {
            throw new IOException("response with neither Content-Length nor chunked encoding");
        }
        if (closeAfter) {
            close();
        } else {
            reused = true;
        }
        return total;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(120_000);
        socket.connect(address, 10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        position = 0;
        limit = 0;
        reused = false;
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer, 0, buffer.length);
        if (read <= 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    /** Reads one line without its CRLF into {@link #line}; its length, or -1 at the end of the stream. */
    private int readLine() throws IOException {
        int n = 0;
        while (true) {
            if (position == limit && !fill()) {
                return n == 0 ? -1 : n;
            }
            byte b = buffer[position++];
            if (b == '\n') {
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            if (n == line.length) {
                throw new IOException("header line longer than " + line.length + " bytes");
            }
            line[n++] = b;
        }
    }

    private void skip(long count, ByteArrayOutputStream keep) throws IOException {
        while (count > 0) {
            if (position == limit && !fill()) {
                throw new EOFException(count + " bytes of the body missing");
            }
            int take = (int) Math.min(count, limit - position);
            if (keep != null) {
                keep.write(buffer, position, take);
            }
            position += take;
            count -= take;
        }
    }

    private boolean startsWith(int n, String prefix) {
        if (n < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) line[i]) != Character.toLowerCase(prefix.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(int n, String word) {
        outer:
        for (int start = 0; start + word.length() <= n; start++) {
            for (int i = 0; i < word.length(); i++) {
                if (Character.toLowerCase((char) line[start + i]) != word.charAt(i)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private long parseDecimal(int from, int n) throws IOException {
        long value = 0;
        boolean digits = false;
        for (int i = from; i < n; i++) {
            byte b = line[i];
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
                digits = true;
            } else if (b != ' ' && b != '\t') {
                break;
            }
        }
        if (!digits) {
            throw new IOException("bad Content-Length");
        }
        return value;
    }

    private long parseHex(int n) throws IOException {
        if (n <= 0) {
            throw new EOFException("chunk size missing");
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            int digit = Character.digit((char) line[i], 16);
            if (digit < 0) {
                break; // chunk extensions
            }
            value = value * 16 + digit;
        }
        return value;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
            socket = null;
        }
    }
}

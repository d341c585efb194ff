package io.agentmon.agent.http.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;

/**
 * agentmon's own small HTTP/1.1 server, on blocking sockets: one acceptor thread, one pooled
 * thread per open connection (at most {@link ServerOptions#connections}), one {@link Watchdog}.
 * Every phase of a connection has a deadline (request head, idle keep-alive, response, each
 * stream write), so no client can hold a thread for longer than that. When every slot is taken,
 * the acceptor closes the oldest connection that is idle or still waiting for its head, so a new
 * scrape gets a slot; it waits only when every slot is busy answering, which is bounded by the
 * response deadline. All threads are daemons.
 */
public final class HttpServer {

    private static final int BACKLOG = 512;
    private static final long LINGER_MILLIS = 500;
    private static final int LINGER_BYTES = 64 * 1024;

    private final ServerSocket socket;
    private final ServerOptions options;
    private final Handler handler;
    private final Consumer<String> log;
    private final ConnectionTable table;
    private final Watchdog watchdog;
    private final ThreadPoolExecutor pool;
    private final Semaphore handlers = new Semaphore(ServerOptions.HANDLERS_AT_ONCE);
    private volatile boolean running = true;

    private HttpServer(ServerSocket socket, ServerOptions options, Handler handler, Consumer<String> log) {
        this.socket = socket;
        this.options = options;
        this.handler = handler;
        this.log = log;
        this.table = new ConnectionTable(options.connections);
        this.watchdog = new Watchdog(table);
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(options.connections, options.connections, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> daemon(runnable, "agentmon-http-" + number.incrementAndGet()));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Binds and starts serving; throws if the address cannot be bound. */
    public static HttpServer start(InetSocketAddress address, ServerOptions options, Handler handler, Consumer<String> log)
            throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(address, BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        HttpServer server = new HttpServer(socket, options, handler, log);
        daemon(server.watchdog, "agentmon-http-watchdog").start();
        daemon(server::accept, "agentmon-http-acceptor").start();
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Open connections, streams included. */
    public int openConnections() {
        return table.size();
    }

    public void stop() {
        running = false;
        watchdog.stop();
        try {
            socket.close();
        } catch (IOException ignored) {
            // stopping
        }
        for (Connection connection : table.snapshot()) {
            connection.close();
        }
        pool.shutdownNow();
    }

    private void accept() {
        while (running) {
            Socket accepted;
            try {
                accepted = socket.accept();
            } catch (IOException e) {
                if (running) {
                    log.accept("http: accept failed: " + e);
                    pause(100); // e.g. out of file descriptors: try again, slowly
                }
                continue;
            }
            Connection connection = new Connection(accepted, System.nanoTime(), options.requestTimeoutNanos);
            try {
                if (admit(connection)) {
                    pool.execute(() -> serve(connection));
                } else {
                    connection.close();
                }
            } catch (RuntimeException e) {
                log.accept("http: " + e);
                connection.close();
                table.remove(connection);
            }
        }
    }

    /**
     * Finds a slot: a free one, else one taken from the oldest idle or stalled connection, else
     * waits (every busy slot frees itself within the response deadline). Gives up when the new
     * connection's own request deadline passes while it waits.
     */
    private boolean admit(Connection connection) {
        while (running) {
            if (table.tryAdd(connection)) {
                return true;
            }
            long now = System.nanoTime();
            Connection victim = table.evictOldest(now, ServerOptions.EVICTION_GRACE_NANOS);
            if (victim != null) {
                victim.close();
                continue;
            }
            if (connection.expired(now)) {
                return false;
            }
            try {
                table.awaitRemoval(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void serve(Connection connection) {
        boolean handedOff = false;
        InputStream in = null;
        try {
            Socket socket = connection.plain;
            socket.setTcpNoDelay(true);
            if (options.isTls()) {
                SSLSocket tls = (SSLSocket) options.tls.getSocketFactory().createSocket(socket,
                        socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                tls.setUseClientMode(false);
                tls.setNeedClientAuth(options.clientCertificates);
                tls.startHandshake(); // under the request deadline, like the head
                socket = tls;
            }
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            boolean first = true;
            while (!connection.isClosed()) {
                if (!first) {
                    connection.enter(Connection.Phase.IDLE, options.idleTimeoutNanos);
                    in.mark(1);
                    if (in.read() < 0) {
                        return;
                    }
                    in.reset();
                    connection.enter(Connection.Phase.HEAD, options.requestTimeoutNanos);
                }
                first = false;
                Request request;
                try {
                    request = RequestHeadReader.read(in);
                } catch (HttpError e) {
                    connection.enter(Connection.Phase.BUSY, options.responseTimeoutNanos);
                    ResponseWriter.write(out, null, Response.text(e.status(), e.getMessage() + "\n"), false);
                    lingerAndClose(socket, in);
                    return;
                }
                if (request == null) {
                    return;
                }
                connection.enter(Connection.Phase.BUSY, options.responseTimeoutNanos);
                Response response = handle(request);
                if (response.stream() != null && !request.isHead()) {
                    handedOff = stream(connection, socket, out, request, response);
                    return;
                }
                if (response.stream() != null) {
                    response.stream().cancel();
                }
                boolean keepAlive = request.keepAlive() && !response.closes();
                ResponseWriter.write(out, request, response, keepAlive);
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away, or the watchdog closed the connection past its deadline
        } catch (RuntimeException e) {
            log.accept("http: connection failed: " + e);
        } finally {
            if (!handedOff) {
                connection.close();
                table.remove(connection);
            }
        }
    }

    private Response handle(Request request) {
        try {
            if (!handlers.tryAcquire(options.responseTimeoutNanos, TimeUnit.NANOSECONDS)) {
                return Response.text(503, "busy\n").close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.text(503, "stopping\n").close();
        }
        try {
            Response response = handler.handle(request);
            return response == null ? Response.text(500, "no response\n") : response;
        } catch (IOException | RuntimeException e) {
            log.accept("request " + request + " failed: " + e);
            return Response.text(500, "internal error\n").close();
        } finally {
            handlers.release();
        }
    }

    /** Writes the head, then hands the connection to the stream's own thread; true once handed off. */
    private boolean stream(Connection connection, Socket socket, OutputStream out, Request request, Response response)
            throws IOException {
        StreamBody body = response.stream();
        try {
            // A small send buffer, so a client that stops reading shows as a blocked write soon.
            connection.plain.setSendBufferSize(32 * 1024);
            ResponseWriter.writeStreamHead(out, request, response);
        } catch (IOException | RuntimeException e) {
            body.cancel();
            throw e;
        }
        connection.enter(Connection.Phase.STREAM, Connection.NONE);
        OutputStream timed = new DeadlineOutputStream(out, connection, options.streamWriteTimeoutNanos);
        OutputStream framed = "HTTP/1.0".equals(request.version()) ? timed : new ChunkedOutputStream(timed);
        body.start(framed, () -> {
            connection.close();
            table.remove(connection);
        });
        return true;
    }

    /**
     * Closes after an error response without losing it: closing with unread request bytes
     * would reset the connection and could discard the response before the client reads it.
     */
    private static void lingerAndClose(Socket socket, InputStream in) {
        try {
            if (!(socket instanceof SSLSocket)) {
                socket.shutdownOutput();
                socket.setSoTimeout((int) LINGER_MILLIS);
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                byte[] sink = new byte[4096];
                int total = 0;
                while (total < LINGER_BYTES && System.nanoTime() - end < 0) {
                    int n = in.read(sink);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                }
            }
        } catch (SocketException ignored) {
            // reset or timed out: closing anyway
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

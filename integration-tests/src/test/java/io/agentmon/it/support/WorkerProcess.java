package io.agentmon.it.support;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started as a separate process, as a user would start a worker: optionally with
 * {@code -javaagent:agentmon.jar}, with its output kept in files for the assertions.
 * Every wait is bounded and the process is killed on {@link #close()}.
 */
public final class WorkerProcess implements AutoCloseable {

    public static final Path AGENT_JAR = Paths.get(System.getProperty("agentmon.jar", "../agent/target/agentmon.jar"));
    public static final Path SAMPLE_WORKER_JAR = Paths.get(
            System.getProperty("sample.worker.jar", "../sample-worker/target/sample-worker.jar"));
    public static final Path FIXTURE_CLASSES = Paths.get(System.getProperty("fixtures.classes", "target/test-classes"));

    private static final Pattern SERVING = Pattern.compile("agentmon: \\S+ serving https?://[^:/]+:(\\d+)/metrics");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private WorkerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Builder builder(Path java) {
        return new Builder(java);
    }

    /** The port the agent printed in its start-up line; waits for that line. */
    public int agentPort() {
        waitFor(30, "the agent's 'serving' line on stderr", () -> SERVING.matcher(stderr()).find());
        Matcher matcher = SERVING.matcher(stderr());
        matcher.find();
        return Integer.parseInt(matcher.group(1));
    }

    /**
     * The agent's port, once a scrape shows a task's series. The agent serves as soon as it can,
     * which may be before the worker's first task has run (a worker whose matchers need Byte Buddy
     * builds it on its own thread, after the agent's start thread is done).
     */
    public int agentPortOnceATaskRan() {
        int port = agentPort();
        waitFor(30, "a task's series in a scrape", () -> {
            try {
                return Http.get(port, "/metrics", null).body.contains("agentmon_task_duration_seconds");
            } catch (IOException e) {
                return false;
            }
        });
        return port;
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path path) {
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the file exists, then reads it as properties (the sample worker's tally). */
    public Properties awaitProperties(Path file, int seconds) {
        waitFor(seconds, "file " + file, () -> Files.exists(file));
        Properties properties = new Properties();
        try (java.io.Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    /** Waits up to {@code seconds} for the process to exit and returns its exit code. */
    public int awaitExit(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("process still running after " + seconds + "s\nstdout:\n" + stdout()
                        + "\nstderr:\n" + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** Writes a line to the process's standard input (for fixtures that wait to be told to go on). */
    public void writeLine(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Polls {@code condition} every 50 ms for at most {@code seconds}; fails with the process's output. */
    public void waitFor(int seconds, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + "s waiting for " + what
                        + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            if (!process.isAlive() && !condition.getAsBoolean()) {
                throw new AssertionError("process exited (" + process.exitValue() + ") while waiting for " + what
                        + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            Http.pause(50);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds the command line of a worker JVM. */
    public static final class Builder {
        private final Path java;
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> environment = new HashMap<>();
        private final List<String> main = new ArrayList<>();
        private String agentArgs;
        private boolean agent = true;
        private Path directory;

        Builder(Path java) {
            this.java = java;
        }

        /** Leaves out {@code -javaagent}: the same worker, unmonitored. */
        public Builder withoutAgent() {
            agent = false;
            return this;
        }

        public Builder agentArgs(String args) {
            agentArgs = args;
            return this;
        }

        public Builder property(String name, String value) {
            jvmArgs.add("-D" + name + "=" + value);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Runs the JVM in {@code directory} instead of the test's working directory. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * The endpoint on a free port ({@code agentmon.port=0}; {@link WorkerProcess#agentPort()}
         * reads the one chosen) on loopback only ({@code agentmon.host=127.0.0.1}), as every test
         * worker that is scraped wants it.
         */
        public Builder onLoopback() {
            return property("agentmon.port", "0").property("agentmon.host", "127.0.0.1");
        }

        /**
         * The configuration {@code demo.sh} gives the sample worker: its jobs as tasks, a 45 ms
         * deadline, its container allocator and remote calls as an event, service
         * {@code sample-worker}; on a free port on loopback.
         */
        public Builder demoConfiguration() {
            return onLoopback()
                    .property("agentmon.service", "sample-worker")
                    .property("agentmon.tasks", "com.acme.worker.jobs.Job+#execute")
                    .property("agentmon.docker", "com.acme.worker.containers.ContainerAllocator#allocate")
                    .property("agentmon.docker.cpu", "arg0")
                    .property("agentmon.docker.memory", "arg1")
                    .property("agentmon.docker.release", "com.acme.worker.containers.ContainerAllocator#release")
                    .property("agentmon.task.deadline", "45ms")
                    .property("agentmon.events.remote_call", "com.acme.worker.remote.RemoteService#call")
                    .property("agentmon.events.remote_call.value", "arg1");
        }

        /** Runs the sample worker jar with these arguments. */
        public Builder sampleWorker(String... args) {
            main.add("-jar");
            main.add(SAMPLE_WORKER_JAR.toString());
            main.addAll(Arrays.asList(args));
            return this;
        }

        /** Runs a main class from the test fixtures, with extra classpath entries first. */
        public Builder fixture(Class<?> mainClass, List<Path> classpath, String... args) {
            List<String> entries = new ArrayList<>();
            for (Path entry : classpath) {
                entries.add(entry.toString());
            }
            entries.add(FIXTURE_CLASSES.toString());
            main.add("-cp");
            main.add(String.join(File.pathSeparator, entries));
            main.add(mainClass.getName());
            main.addAll(Arrays.asList(args));
            return this;
        }

        public WorkerProcess start() throws IOException {
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            if (agent) {
                command.add("-javaagent:" + AGENT_JAR.toAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs));
            }
            command.addAll(jvmArgs);
            command.addAll(main);
            Path dir = Files.createTempDirectory("agentmon-it-");
            Path out = dir.resolve("stdout.txt");
            Path err = dir.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("AGENTMON_") || name.equals("JAVA_TOOL_OPTIONS"));
            builder.environment().putAll(environment);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            return new WorkerProcess(builder.start(), out, err);
        }
    }

    /** Plain HTTP GETs against the agent's endpoint. */
    public static final class Http {
        private Http() {
        }

        public static Response get(int port, String path, String accept) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(10_000);
            if (accept != null) {
                connection.setRequestProperty("Accept", accept);
            }
            int status = connection.getResponseCode();
            byte[] body;
            try (java.io.InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
            return new Response(status, connection.getContentType(), new String(body, StandardCharsets.UTF_8));
        }

        /**
         * Any request, with the given headers; the response keeps its headers and its body's
         * bytes as sent (no decompression), for tests of the endpoint itself.
         */
        public static Response request(int port, String method, String path, Map<String, String> headers)
                throws IOException {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(10_000);
            connection.setRequestMethod(method);
            for (Map.Entry<String, String> header : headers.entrySet()) {
                connection.setRequestProperty(header.getKey(), header.getValue());
            }
            if ("POST".equals(method) || "PUT".equals(method)) {
                connection.setDoOutput(true);
                connection.getOutputStream().close(); // an empty body
            }
            int status = connection.getResponseCode();
            byte[] body;
            try (java.io.InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
            Map<String, List<String>> responseHeaders = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, List<String>> header : connection.getHeaderFields().entrySet()) {
                if (header.getKey() != null) {
                    responseHeaders.put(header.getKey(), header.getValue());
                }
            }
            return new Response(status, connection.getContentType(), new String(body, StandardCharsets.UTF_8),
                    body, responseHeaders);
        }

        public static Scrape scrape(int port) throws IOException {
            Response response = get(port, "/metrics", null);
            if (response.status != 200) {
                throw new AssertionError("GET /metrics answered " + response.status + ": " + response.body);
            }
            return Scrape.parse(response.body);
        }

        /** Sleeps between polls of a bounded wait. */
        public static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** An HTTP response. */
    public static final class Response {
        public final int status;
        public final String contentType;
        public final String body;
        /** The body's bytes as received; set by {@link Http#request} only. */
        public final byte[] bytes;
        /** Response headers, by case-insensitive name; set by {@link Http#request} only. */
        public final Map<String, List<String>> headers;

        Response(int status, String contentType, String body) {
            this(status, contentType, body, body.getBytes(StandardCharsets.UTF_8), java.util.Collections.emptyMap());
        }

        Response(int status, String contentType, String body, byte[] bytes, Map<String, List<String>> headers) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
            this.bytes = bytes;
            this.headers = headers;
        }

        /** The first value of a response header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + headers + "\n" + body;
        }
    }
}

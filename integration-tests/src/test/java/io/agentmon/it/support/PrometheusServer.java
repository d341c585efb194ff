package io.agentmon.it.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server (Debian package {@code prometheus}, binary {@code prometheus}) on
 * 127.0.0.1 with a free port and a temporary data directory, scraping the given targets every
 * second under one job name. Without the binary the calling test is skipped, except in CI
 * ({@code CI=true}), where its absence is a failure. Every wait is bounded; {@link #close()}
 * stops the process and deletes its files.
 */
public final class PrometheusServer implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;

    private PrometheusServer(Process process, Path dir, Path log, int port) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
    }

    /** Starts Prometheus scraping {@code targets} ({@code host:port}) as job {@code job}, and waits until it is ready. */
    public static PrometheusServer start(String job, String... targets) throws IOException {
        return start(false, job, targets);
    }

    /**
     * As {@link #start(String, String...)}; with {@code nativeHistograms} Prometheus runs with
     * {@code --enable-feature=native-histograms}: it asks for the protobuf exposition and stores
     * a histogram that has native buckets as one native series (no {@code _bucket}, {@code _count}
     * or {@code _sum} series).
     */
    public static PrometheusServer start(boolean nativeHistograms, String job, String... targets) throws IOException {
        StringBuilder jobs = new StringBuilder()
                .append("  - job_name: ").append(job).append('\n')
                .append("    metrics_path: /metrics\n")
                .append("    static_configs:\n")
                .append("      - targets:\n");
        for (String target : targets) {
            jobs.append("          - '").append(target).append("'\n");
        }
        return nativeHistograms ? startWithJobs(jobs.toString(), "--enable-feature=native-histograms")
                : startWithJobs(jobs.toString());
    }

    /**
     * Starts Prometheus with these entries of {@code scrape_configs} (YAML, each starting
     * {@code "  - job_name: "}), scraping every second, and waits until it is ready.
     */
    public static PrometheusServer startWithJobs(String scrapeConfigs, String... flags) throws IOException {
        Path binary = find();
        Path dir = Files.createTempDirectory("agentmon-prometheus-");
        String config = "global:\n"
                + "  scrape_interval: 1s\n"
                + "  scrape_timeout: 1s\n"
                + "  evaluation_interval: 1s\n"
                + "scrape_configs:\n"
                + scrapeConfigs;
        Path configFile = dir.resolve("prometheus.yml");
        Files.write(configFile, config.getBytes(StandardCharsets.UTF_8));
        Path log = dir.resolve("prometheus.log");
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--config.file=" + configFile);
        command.add("--storage.tsdb.path=" + dir.resolve("data"));
        command.add("--web.listen-address=127.0.0.1:" + port);
        command.add("--log.level=warn");
        command.addAll(Arrays.asList(flags));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, dir, log, port);
        try {
            server.awaitReady(30);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return port;
    }

    /** Prometheus's own log so far. */
    public String log() {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** An instant query through {@code /api/v1/query}, evaluated now. */
    public QueryResult query(String promql) throws IOException {
        String path = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(20_000);
        int status = connection.getResponseCode();
        String body;
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return QueryResult.parse(promql, status, body);
    }

    /** Polls {@code promql} every 200 ms until it returns data, for at most {@code seconds}; fails with Prometheus's log. */
    public QueryResult awaitData(String promql, int seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        QueryResult last;
        while (true) {
            last = query(promql);
            if (last.success() && last.count > 0) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no data after " + seconds + "s for " + promql + ": " + last
                        + "\nprometheus log:\n" + log());
            }
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited (" + process.exitValue() + ")\n" + log());
            }
            WorkerProcess.Http.pause(200);
        }
    }

    private void awaitReady(int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited (" + process.exitValue() + ") before it was ready\n" + log());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/-/ready").openConnection();
                connection.setConnectTimeout(1_000);
                connection.setReadTimeout(2_000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("prometheus not ready after " + seconds + "s\n" + log());
            }
            WorkerProcess.Http.pause(100);
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
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, "prometheus");
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        Path debian = Paths.get("/usr/bin/prometheus");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but prometheus is not installed (Debian package prometheus)");
        }
        Assumptions.abort("prometheus is not installed (Debian package prometheus); skipped outside CI");
        throw new AssertionError("unreachable");
    }

    /** What {@code /api/v1/query} answered: status, error, result type, and the number of results. */
    public static final class QueryResult {
        public final String query;
        public final int httpStatus;
        /** {@code success} or {@code error}. */
        public final String status;
        public final String error;
        public final String resultType;
        /** Series in a vector or matrix result; 1 for a scalar or string. */
        public final int count;
        /** The results of a vector or matrix: each a map with {@code metric} and {@code value}/{@code values}. */
        public final List<Map<String, Object>> results;
        public final String body;

        private QueryResult(String query, int httpStatus, String status, String error, String resultType,
                int count, List<Map<String, Object>> results, String body) {
            this.query = query;
            this.httpStatus = httpStatus;
            this.status = status;
            this.error = error;
            this.resultType = resultType;
            this.count = count;
            this.results = results;
            this.body = body;
        }

        @SuppressWarnings("unchecked")
        static QueryResult parse(String query, int httpStatus, String body) {
            Object parsed;
            try {
                parsed = Json.parse(body);
            } catch (IllegalArgumentException e) {
                return new QueryResult(query, httpStatus, "unparsable", e.getMessage(), null, 0, List.of(), body);
            }
            Map<String, Object> root = (Map<String, Object>) parsed;
            String status = String.valueOf(root.get("status"));
            String error = (String) root.get("error");
            Map<String, Object> data = (Map<String, Object>) root.get("data");
            if (data == null) {
                return new QueryResult(query, httpStatus, status, error, null, 0, List.of(), body);
            }
            String resultType = (String) data.get("resultType");
            Object result = data.get("result");
            List<Map<String, Object>> results = new ArrayList<>();
            int count;
            if ("vector".equals(resultType) || "matrix".equals(resultType)) {
                for (Object item : (List<Object>) result) {
                    results.add((Map<String, Object>) item);
                }
                count = results.size();
            } else {
                count = result == null ? 0 : 1;
            }
            return new QueryResult(query, httpStatus, status, error, resultType, count,
                    Collections.unmodifiableList(results), body);
        }

        public boolean success() {
            return "success".equals(status);
        }

        /** The value of label {@code name} in each result, in order. */
        @SuppressWarnings("unchecked")
        public List<String> labelValues(String name) {
            List<String> values = new ArrayList<>();
            for (Map<String, Object> result : results) {
                Object value = ((Map<String, Object>) result.get("metric")).get(name);
                if (value != null) {
                    values.add((String) value);
                }
            }
            return values;
        }

        @Override
        public String toString() {
            return "HTTP " + httpStatus + " " + status + (error == null ? "" : " (" + error + ")") + ", "
                    + resultType + " of " + count + ": " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
    }
}

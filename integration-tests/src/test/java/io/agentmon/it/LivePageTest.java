package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.SummaryWorker;
import io.agentmon.it.support.WorkerProcess;
import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's own page ({@code GET /}) in a real browser: headless Chromium loads it from the
 * sample worker's agent, runs its script for 15 s of virtual time (several refreshes of
 * {@code /metrics/summary}) and dumps the DOM. The page records what it drew: each chart's
 * {@code data-points} (points plotted), the tables' rows ({@code data-task}, {@code data-pool}),
 * {@code data-refreshes} and {@code data-errors} (uncaught errors) on the body.
 * Skipped without a {@code chromium} on the PATH, unless {@code CI=true}.
 */
class LivePageTest {

    private static final String[] CHARTS = {"rates", "latency", "timeouts", "failures", "inflight", "queued", "busy",
        "queuewait", "containers", "containermemory", "allocations", "heap", "cpu"};
    private static final Pattern TAG = Pattern.compile("<[a-z]+\\b[^>]*>");

    @TempDir
    Path dir;

    @Test
    void thePageDrawsEveryChartAndBothTablesWithoutErrors() throws Exception {
        Path chromium = chromium();
        try (WorkerProcess worker = SummaryWorker.start()) {
            int port = worker.agentPort();

            WorkerProcess.Response page = WorkerProcess.Http.get(port, "/", null);
            assertEquals(200, page.status, page.toString());
            assertEquals("text/html; charset=utf-8", page.contentType);
            for (String external : new String[] {"src=\"http", "href=\"http", "<script src", "url(", "@import", "@font-face"}) {
                assertFalse(page.body.contains(external), "self-contained: the page must not load " + external);
            }

            // Two samples: every chart then has at least one interval's rates to draw.
            SummaryWorker.awaitHistory(worker, port, 3, 60); // every task has a full interval behind it

            Path out = dir.resolve("dom.html");
            Path err = dir.resolve("chromium-stderr.txt");
            List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0",
                    "--virtual-time-budget=15000", "--window-size=1280,1600", "--dump-dom",
                    "http://127.0.0.1:" + port + "/"));
            Process browser = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!browser.waitFor(120, TimeUnit.SECONDS)) {
                browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish within 120 s\n" + read(err));
            }
            String stderr = read(err);
            String dom = read(out);
            assertEquals(0, browser.exitValue(), "chromium's exit code\n" + stderr);

            // Chromium logs every console message of the page as "...:INFO:CONSOLE:<line>] "<message>", source: ..."
            // (uncaught exceptions as "Uncaught <Error>: ..."). The page writes nothing to the console, so any such line fails.
            for (String line : stderr.split("\n")) {
                assertFalse(line.contains(":CONSOLE") || line.contains("Uncaught"), "browser console: " + line);
            }

            Map<String, String> body = attributes(firstTag(dom, "<body"));
            assertEquals("0", body.get("data-errors"), "uncaught errors in the page\n" + dom);
            assertTrue(Integer.parseInt(body.getOrDefault("data-refreshes", "0")) >= 1, "the page rendered a summary\n" + dom);

            Map<String, Integer> points = new LinkedHashMap<>();
            Map<String, Map<String, String>> charts = new LinkedHashMap<>();
            Matcher tags = TAG.matcher(dom);
            while (tags.find()) {
                Map<String, String> attributes = attributes(tags.group());
                String id = attributes.getOrDefault("id", "");
                if (id.startsWith("chart-")) {
                    points.put(id.substring("chart-".length()), Integer.parseInt(attributes.get("data-points")));
                    charts.put(id.substring("chart-".length()), attributes);
                }
            }
            // A few series per chart, each in its own colour.
            for (Map.Entry<String, Map<String, String>> chart : charts.entrySet()) {
                int series = Integer.parseInt(chart.getValue().get("data-series"));
                assertTrue(series <= 5, "chart " + chart.getKey() + " has " + series + " series");
                List<String> colors = List.of(chart.getValue().get("data-colors").split(" "));
                assertEquals(colors.size(), new java.util.HashSet<>(colors).size(), "chart " + chart.getKey() + " repeats a colour: " + colors);
            }

            // The header names the worker, as the process and the agent jar know themselves.
            Map<String, String> who = attributes(firstTag(dom, "<span id=\"worker\""));
            assertEquals(String.valueOf(worker.pid()), who.get("data-pid"), "the worker's real pid");
            assertEquals(InetAddress.getLocalHost().getHostName(), who.get("data-host"));
            try (JarFile jar = new JarFile(WorkerProcess.AGENT_JAR.toFile())) {
                assertEquals(jar.getManifest().getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION), who.get("data-version"));
            }
            assertTrue(who.get("data-service") != null && !who.get("data-service").isEmpty(), who.toString());
            // The header and the heap chart read the same sample: the same heap figure.
            Map<String, String> status = attributes(firstTag(dom, "<span id=\"status\""));
            String heapChartLast = charts.get("heap").get("data-last").split(" ")[0];
            assertEquals(heapChartLast, status.get("data-heap"), "header and heap chart agree\n" + dom);
            assertEquals(List.of(CHARTS), new ArrayList<>(points.keySet()), "the charts on the page");
            for (Map.Entry<String, Integer> chart : points.entrySet()) {
                assertTrue(chart.getValue() > 0, "chart " + chart.getKey() + " drew no points: " + points);
            }

            for (String task : SummaryWorker.TASKS) {
                assertTrue(dom.contains("data-task=\"" + task + "\"") && dom.contains(">" + task + "</td>"),
                        "a tasks-table row for " + task + "\n" + dom);
            }
            assertTrue(dom.contains("data-pool=\"worker\""), "a pools-table row for the worker pool\n" + dom);
        }
    }

    /** The chromium executable, or a skip (a failure when CI=true). */
    private static Path chromium() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "chromium");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but chromium is not on the PATH (apt-get install chromium)");
        }
        Assumptions.assumeTrue(false, "chromium is not installed");
        return null;
    }

    private static String firstTag(String dom, String start) {
        int at = dom.indexOf(start);
        assertTrue(at >= 0, "no " + start + " in\n" + dom);
        return dom.substring(at, dom.indexOf('>', at) + 1);
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("([a-z-]+)=\"([^\"]*)\"").matcher(tag);
        while (matcher.find()) {
            attributes.put(matcher.group(1), matcher.group(2));
        }
        return attributes;
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample worker at full speed under the agent while three hostile peers stay on it at once: a
 * client that sends part of a request and waits, an {@code /events} client that never reads, and
 * an OTLP collector that accepts connections and never answers. Every 10 s: a scrape (must
 * answer), the worker's own progress, the agent's heap figures. At the end the scraped counts
 * must equal the worker's own tally exactly.
 *
 * <p>In {@code mvn verify} it runs for about 20 s so that it cannot rot; RELIABILITY.md's
 * 10-minute figures come from {@code -Dagentmon.soak.seconds=600}. The same job count also runs
 * without the agent, for the throughput ratio. The report goes to {@code target/soak-report.md}.
 */
class ReliabilitySoakTest {

    /** The sample worker with 4 threads finishes about 200 jobs a second on this kind of machine. */
    private static final int JOBS_PER_SECOND = 200;
    private static final int SAMPLE_SECONDS = 10;
    private static final Pattern PROGRESS = Pattern.compile("\\[\\s*(\\d+)s] finished=(\\d+)");
    private static final Pattern FINISHED = Pattern.compile("finished (\\d+) jobs in ([\\d.]+) s");
    private static final String[] KINDS = {"BuildJob", "FetchJob", "IngestJob", "TransformJob"};
    private static final String[] OUTCOMES = {"success", "failure", "timeout"};

    @TempDir
    Path dir;

    @Test
    void hostilePeersCostTheWorkerNothingAndSilenceNothing() throws Exception {
        int seconds = Integer.getInteger("agentmon.soak.seconds", 20);
        long jobs = (long) seconds * JOBS_PER_SECOND;
        List<String> report = new ArrayList<>();
        report.add("| t (s) | scrape | scrape ms | worker jobs/s | heap used MiB | stalled reconnects | events reconnects |");
        report.add("|---|---|---|---|---|---|---|");

        double bareSeconds = bareRun(jobs);
        try (BlackHole collector = new BlackHole()) {
            Path tallyFile = dir.resolve("tally.properties");
            try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                    .demoConfiguration()
                    .property("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.port())
                    .property("otel.exporter.otlp.protocol", "http/protobuf")
                    .sampleWorker("--jobs", String.valueOf(jobs), "--threads", "4", "--print-every", String.valueOf(SAMPLE_SECONDS),
                            "--tally", tallyFile.toString(), "--hold-seconds", "120")
                    .start()) {
                int port = worker.agentPort();
                double heapBefore = heapAfterGc(worker, port);
                int scrapes = 0;
                int answered = 0;
                long maxScrapeMillis = 0;
                try (Stalled stalled = new Stalled(port, "G"); Stalled events = new Stalled(port, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")) {
                    long start = System.nanoTime();
                    while (!Files.exists(tallyFile) && worker.isAlive()) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAMPLE_SECONDS);
                        while (System.nanoTime() < deadline && !Files.exists(tallyFile)) {
                            stalled.keepOpen();
                            events.keepOpen();
                            WorkerProcess.Http.pause(250);
                        }
                        scrapes++;
                        long t0 = System.nanoTime();
                        Scrape scrape = null;
                        try {
                            scrape = WorkerProcess.Http.scrape(port);
                            answered++;
                        } catch (IOException e) {
                            // counted as not answered
                        }
                        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        maxScrapeMillis = Math.max(maxScrapeMillis, millis);
                        report.add(String.format(Locale.ROOT, "| %d | %s | %d | %.0f | %s | %d | %d |",
                                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), scrape != null ? "ok" : "FAILED",
                                millis, lastRate(worker.stdout()),
                                scrape == null ? "-" : String.format(Locale.ROOT, "%.1f", heapUsed(scrape) / (1 << 20)),
                                stalled.reconnects, events.reconnects));
                    }
                }
                Properties tally = worker.awaitProperties(tallyFile, seconds * 3 + 120);
                double heapAfter = heapAfterGc(worker, port);
                Scrape scrape = WorkerProcess.Http.scrape(port);
                long scraped = 0;
                for (String kind : KINDS) {
                    for (String outcome : OUTCOMES) {
                        double count = scrape.valueOrZero("agentmon_task_duration_seconds_count",
                                "task", kind + ".execute", "outcome", outcome);
                        assertEquals(Double.parseDouble(tally.getProperty(kind + "." + outcome + ".count", "0")), count,
                                kind + " " + outcome);
                        scraped += (long) count;
                    }
                }
                double agentSeconds = finishedSeconds(worker.stdout());
                double dropped = scrape.valueOrZero("agentmon_dropped_total", "what", "spans");
                report.add("");
                report.add(String.format(Locale.ROOT, "jobs %d, scraped %d (the worker's tally: %s); scrapes answered %d of %d, slowest %d ms",
                        jobs, scraped, tally.getProperty("total.count"), answered, scrapes, maxScrapeMillis));
                report.add(String.format(Locale.ROOT, "heap used after a full GC: %.1f MiB before, %.1f MiB after",
                        heapBefore / (1 << 20), heapAfter / (1 << 20)));
                report.add(String.format(Locale.ROOT, "worker time for the jobs: %.1f s bare, %.1f s under the agent with the peers (%.1f %% of the bare rate)",
                        bareSeconds, agentSeconds, 100 * bareSeconds / agentSeconds));
                report.add(String.format(Locale.ROOT, "spans dropped (black-hole collector): %.0f", dropped));
                Path out = Paths.get("target", "soak-report.md");
                Files.write(out, String.join("\n", report).concat("\n").getBytes(StandardCharsets.UTF_8));
                System.out.println(String.join("\n", report));
                assertEquals(jobs, scraped);
                assertEquals(scrapes, answered, "every scrape answered while the peers stayed: " + report);
            }
        }
    }

    private double bareRun(long jobs) throws IOException {
        try (WorkerProcess bare = WorkerProcess.builder(Jdks.current()).withoutAgent()
                .sampleWorker("--jobs", String.valueOf(jobs), "--threads", "4").start()) {
            assertEquals(0, bare.awaitExit((int) (jobs / JOBS_PER_SECOND) * 3 + 60), bare.stderr());
            return finishedSeconds(bare.stdout());
        }
    }

    private static double finishedSeconds(String stdout) {
        Matcher matcher = FINISHED.matcher(stdout);
        assertTrue(matcher.find(), stdout);
        return Double.parseDouble(matcher.group(2));
    }

    /** Jobs per second between the worker's last two progress lines (its own clock), or 0 before two. */
    private static double lastRate(String stdout) {
        long[] previous = null;
        long[] last = null;
        Matcher matcher = PROGRESS.matcher(stdout);
        while (matcher.find()) {
            previous = last;
            last = new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
        }
        if (last == null) {
            return 0;
        }
        if (previous == null) {
            return last[1] / (double) last[0];
        }
        return (last[1] - previous[1]) / (double) (last[0] - previous[0]);
    }

    private static double heapUsed(Scrape scrape) {
        return scrape.sum("jvm_memory_used_bytes", "area", "heap");
    }

    /** Heap in use right after a full GC of the worker ({@code jcmd GC.run}), as its scrape reports it. */
    private static double heapAfterGc(WorkerProcess worker, int port) throws Exception {
        Path jcmd = Jdks.current().resolveSibling("jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(worker.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(gc.waitFor(60, TimeUnit.SECONDS), "jcmd GC.run finished");
        return heapUsed(WorkerProcess.Http.scrape(port));
    }

    /** A client that keeps one connection open with a request it never finishes or never reads the answer to. */
    private static final class Stalled implements AutoCloseable {
        private final int port;
        private final byte[] request;
        private Socket socket;
        private long lastCheck;
        int reconnects = -1;

        Stalled(int port, String request) throws IOException {
            this.port = port;
            this.request = request.getBytes(StandardCharsets.US_ASCII);
            keepOpen();
        }

        /** Reopens the connection when the agent has closed it (a write fails once it is gone). */
        void keepOpen() throws IOException {
            if (socket != null && System.nanoTime() - lastCheck < TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            lastCheck = System.nanoTime();
            if (socket != null) {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(' '); // harmless where a request line may start; fails once the agent closed it
                    out.flush();
                    return;
                } catch (IOException closed) {
                    socket.close();
                }
            }
            socket = new Socket();
            socket.setReceiveBufferSize(4096); // never read: let the agent's send buffer fill soon
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            reconnects++;
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
            }
        }
    }

    /** An OTLP collector that accepts every connection and never reads or answers. */
    private static final class BlackHole implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();
        private final Thread acceptor = new Thread(this::accept, "black-hole-collector");

        BlackHole() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            try {
                while (!server.isClosed()) {
                    Socket socket = server.accept();
                    synchronized (accepted) {
                        accepted.add(socket);
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (accepted) {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }
}

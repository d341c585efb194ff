package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.latency.LatencyFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.PrometheusServer;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.SummaryWorker;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The figures operators read, against a worker that measured every run and queue wait itself
 * (issue 10): run times spanning three decades and more, queue waits from microseconds to tens
 * of milliseconds. agentmon's summary p50/p95/p99 and a real Prometheus's
 * {@code histogram_quantile} over the native histograms are within 5 % of the worker's exact
 * quantiles, and the classic buckets count what the worker counted per bound (exactly, but for
 * the rare run a descheduled thread leaves ambiguous, which the worker's own times bound).
 */
class LatencyQuantilesTest {

    private static final String TASK = "LatencyJob.work";
    private static final int RUNS = 4000;
    private static final long SEED = 20261201L;
    private static final long MS = 1_000_000L;
    /** agentmon's default task bounds (agentmon.task.buckets), in nanoseconds. */
    private static final long[] TASK_BOUNDS = {MS, 5 * MS, 10 * MS, 50 * MS, 100 * MS, 250 * MS, 500 * MS, 1000 * MS,
            2500 * MS, 10_000 * MS, 60_000 * MS, 300_000 * MS};
    private static final double TOLERANCE = 0.05;

    @Test
    void quantilesAreWithinFivePercentAndClassicCountsAreExact() throws Exception {
        Path tallyFile = Files.createTempDirectory("latency").resolve("tally.properties");
        StringBuilder bounds = new StringBuilder();
        for (long bound : TASK_BOUNDS) {
            bounds.append(bounds.length() == 0 ? "" : ",").append(bound);
        }
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", "io.agentmon.it.fixtures.latency.LatencyJob#work")
                .property("agentmon.executor.name.latency", "latency")
                .fixture(LatencyFixture.class, Collections.emptyList(), tallyFile.toString(), Integer.toString(RUNS),
                        Long.toString(SEED), bounds.toString())
                .start()) {
            int port = worker.agentPort();
            worker.waitFor(30, "'ready'", () -> worker.stdout().contains("ready"));
            try (PrometheusServer prometheus = PrometheusServer.start(true, "agentmon", "127.0.0.1:" + port)) {
                // A history sample with the task at zero, so the summary's window covers every run.
                awaitTaskInHistory(worker, port);
                worker.writeLine("go");
                Properties tally = worker.awaitProperties(tallyFile, 180);
                assertEquals(RUNS, Integer.parseInt(tally.getProperty("runs")));

                Scrape scrape = WorkerProcess.Http.scrape(port);
                assertEquals(RUNS, scrape.value("agentmon_task_duration_seconds_count", "task", TASK, "outcome", "success"));
                // The agent's time of a run lies between the run's own time (read inside the task
                // method) and the call's (read around it): its count up to a bound lies between the
                // two counts, which are equal unless a thread was descheduled between the worker's
                // clock read and the agent's at a bound, which a loaded machine can do now and then.
                long straddled = 0;
                for (long bound : TASK_BOUNDS) {
                    long byRun = Long.parseLong(tally.getProperty("run.le." + bound));
                    long byCall = Long.parseLong(tally.getProperty("call.le." + bound));
                    double agent = scrape.value("agentmon_task_duration_seconds_bucket", "task", TASK, "outcome", "success",
                            "le", le(bound));
                    assertTrue(byCall <= agent && agent <= byRun, "classic bucket le=" + le(bound) + ": " + agent
                            + ", the worker counted " + byCall + " calls and " + byRun + " runs up to it");
                    straddled += byRun - byCall;
                }
                System.out.println("runs whose call and run times lay on two sides of a bound: " + straddled);
                assertTrue(straddled <= RUNS / 100, straddled + " runs straddled a bound: the exact check is too loose");
                assertEquals(RUNS, scrape.value("agentmon_executor_queue_wait_seconds_count", "pool", "latency"));

                List<String> off = new ArrayList<>();
                Map<String, Object> task = summaryTask(port);
                Map<String, Object> pool = summaryPool(port);
                String runSelector = "agentmon_task_duration_seconds{task=\"" + TASK + "\", outcome=\"success\"}";
                String waitSelector = "agentmon_executor_queue_wait_seconds{pool=\"latency\"}";
                prometheus.awaitData("histogram_count(" + runSelector + ") == " + RUNS, 60);
                prometheus.awaitData("histogram_count(" + waitSelector + ") == " + RUNS, 60);
                assertTrue(prometheus.query("agentmon_task_duration_seconds_bucket").count == 0,
                        "Prometheus stored the native histogram, not the classic buckets");
                for (String q : new String[] {"50", "95", "99"}) {
                    double runTruth = seconds(tally, "run.p" + q);
                    check(off, "summary task p" + q, runTruth, ((Number) task.get("p" + q)).doubleValue());
                    check(off, "Prometheus task p" + q, runTruth, quantile(prometheus, "0." + q, runSelector));
                    check(off, "Prometheus queue wait p" + q, seconds(tally, "wait.p" + q),
                            quantile(prometheus, "0." + q, waitSelector));
                }
                check(off, "summary queue wait p95", seconds(tally, "wait.p95"), ((Number) pool.get("queueWaitP95")).doubleValue());
                assertTrue(seconds(tally, "run.max") / seconds(tally, "run.min") > 1000,
                        "the run times span three decades: " + tally);
                assertTrue(off.isEmpty(), "off by more than 5 %:\n" + String.join("\n", off) + "\nworker: " + tally);
            }
        }
    }

    private static void check(List<String> off, String what, double truth, double estimate) {
        String line = String.format("%s: worker %.6f s, agentmon %.6f s (%+.1f %%)", what, truth, estimate,
                100 * (estimate - truth) / truth);
        System.out.println(line);
        if (!(Math.abs(estimate - truth) <= TOLERANCE * truth)) {
            off.add(line);
        }
    }

    private static double quantile(PrometheusServer prometheus, String q, String selector) throws Exception {
        PrometheusServer.QueryResult result = prometheus.awaitData("histogram_quantile(" + q + ", " + selector + ")", 30);
        assertEquals(1, result.count, result.toString());
        return Double.parseDouble((String) ((List<?>) result.results.get(0).get("value")).get(1));
    }

    private static double seconds(Properties tally, String key) {
        return Long.parseLong(tally.getProperty(key)) / 1e9;
    }

    /** The bound as the text format spells it: 0.001, 0.005, 1.0, 10.0, 60.0. */
    private static String le(long boundNanos) {
        return Double.toString(boundNanos / 1e9);
    }

    @SuppressWarnings("unchecked")
    private static void awaitTaskInHistory(WorkerProcess worker, int port) {
        worker.waitFor(30, "the task in two history samples", () -> {
            try {
                Map<String, Object> summary = SummaryWorker.summary(port);
                List<Object> times = (List<Object>) ((Map<String, Object>) summary.get("history")).get("times");
                return times.size() >= 2 && summaryTask(port) != null;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summaryTask(int port) throws Exception {
        for (Object task : (List<Object>) SummaryWorker.summary(port).get("tasks")) {
            if (TASK.equals(((Map<String, Object>) task).get("task"))) {
                return (Map<String, Object>) task;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summaryPool(int port) throws Exception {
        for (Object pool : (List<Object>) SummaryWorker.summary(port).get("pools")) {
            if ("latency".equals(((Map<String, Object>) pool).get("pool"))) {
                return (Map<String, Object>) pool;
            }
        }
        throw new AssertionError("no pool 'latency' in the summary");
    }
}

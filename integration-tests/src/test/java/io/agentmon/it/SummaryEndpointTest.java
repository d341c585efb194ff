package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.SummaryWorker;
import io.agentmon.it.support.WorkerProcess;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics/summary} against the sample worker: valid JSON whose cumulative counts sit
 * between two scrapes of {@code /metrics} taken just before and just after it, rates and
 * quantiles for every task that ran, the worker's pool, containers, the JVM, and a history ring
 * whose series line up with its timestamps. The history is sampled every 5 s (fixed), so the
 * test polls, bounded, until three samples exist.
 */
class SummaryEndpointTest {

    private static final String[] OUTCOMES = {"success", "failure", "timeout"};

    @Test
    @SuppressWarnings("unchecked")
    void summaryAgreesWithTheScrapeAndCarriesHistory() throws Exception {
        try (WorkerProcess worker = SummaryWorker.start()) {
            int port = worker.agentPort();
            // Three samples: the first may come before any job ran, so a task can first appear in
            // the second, and its rates need one more sample to span a whole interval.
            SummaryWorker.awaitHistory(worker, port, 3, 60);

            Scrape before = WorkerProcess.Http.scrape(port);
            Map<String, Object> summary = SummaryWorker.summary(port);
            Scrape after = WorkerProcess.Http.scrape(port);

            assertEquals(5.0, summary.get("intervalSeconds"));
            assertTrue(number(summary, "time") > 1.6e12, "time in epoch milliseconds: " + summary.get("time"));

            // ---- tasks: totals between the two scrapes, rates and quantiles present
            Map<String, Map<String, Object>> tasks = new HashMap<>();
            for (Object task : (List<Object>) summary.get("tasks")) {
                Map<String, Object> t = (Map<String, Object>) task;
                tasks.put((String) t.get("task"), t);
            }
            assertEquals(SummaryWorker.TASKS.length, tasks.size(), "one entry per task: " + tasks.keySet());
            for (String name : SummaryWorker.TASKS) {
                Map<String, Object> task = tasks.get(name);
                assertNotNull(task, name + " in " + tasks.keySet());
                Map<String, Object> total = (Map<String, Object>) task.get("total");
                double window = number(task, "windowSeconds");
                assertTrue(window >= 4 && window <= 130, name + " window " + window);
                Map<String, Object> rates = (Map<String, Object>) task.get("runsPerSecond");
                assertNotNull(rates, name + " has rates once two samples exist");
                for (String outcome : OUTCOMES) {
                    double count = number(total, outcome);
                    String[] labels = {"task", name, "outcome", outcome};
                    double low = before.value("agentmon_task_duration_seconds_count", labels);
                    double high = after.value("agentmon_task_duration_seconds_count", labels);
                    assertTrue(low <= count && count <= high,
                            name + " " + outcome + ": summary " + count + " not within scrapes [" + low + ", " + high + "]");
                    double rate = number(rates, outcome);
                    // The JSON carries rate and window rounded to a few digits: allow for that only.
                    assertTrue(rate >= 0 && rate * window <= count * (1 + 1e-4) + 1e-3,
                            name + " " + outcome + ": " + rate + "/s over " + window + " s exceeds the total " + count);
                }
                assertTrue(number(rates, "success") > 0, name + " ran, so its success rate is > 0: " + rates);

                double timeouts = number(task, "timeoutsTotal");
                double timeoutsLow = before.sum("agentmon_task_timeouts_total", "task", name);
                double timeoutsHigh = after.sum("agentmon_task_timeouts_total", "task", name);
                assertTrue(timeoutsLow <= timeouts && timeouts <= timeoutsHigh,
                        name + " timeouts " + timeouts + " not within [" + timeoutsLow + ", " + timeoutsHigh + "]");
                assertTrue(number(task, "timeoutsPerSecond") >= 0, name);

                double p50 = number(task, "p50");
                double p95 = number(task, "p95");
                double p99 = number(task, "p99");
                assertTrue(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= 300, name + " quantiles " + p50 + " " + p95 + " " + p99);
                double inFlight = number(task, "inFlight");
                assertTrue(inFlight >= 0 && inFlight <= 4, name + " in flight on a 4-thread pool: " + inFlight);
                assertEquals(0.0, number(task, "stuck"), name + " has no deadline, so nothing is stuck");
            }

            // ---- pools, containers, JVM
            Map<String, Object> workerPool = null;
            for (Object pool : (List<Object>) summary.get("pools")) {
                if ("worker".equals(((Map<String, Object>) pool).get("pool"))) {
                    workerPool = (Map<String, Object>) pool;
                }
            }
            assertNotNull(workerPool, "the worker pool: " + summary.get("pools"));
            assertEquals(4.0, number(workerPool, "threads"));
            assertTrue(number(workerPool, "queued") >= 0 && number(workerPool, "active") <= 4, workerPool.toString());
            double completed = number(workerPool, "completed");
            assertTrue(before.value("agentmon_executor_completed_tasks_total", "pool", "worker") <= completed
                    && completed <= after.value("agentmon_executor_completed_tasks_total", "pool", "worker"),
                    "completed " + completed + " within the scrapes");
            assertTrue(number(workerPool, "queueWaitP95") >= 0, "every run waited, if only briefly: " + workerPool);
            assertEquals(after.value("agentmon_executor_max_threads", "pool", "worker"), number(workerPool, "maxThreads"));
            assertTrue(workerPool.containsKey("queueRemaining") && workerPool.containsKey("scheduled")
                    && workerPool.get("scheduled") == null, "a plain pool has no scheduled tasks: " + workerPool);

            // ---- the worker: who it is, checked against the process itself and its own scrape
            Map<String, Object> who = (Map<String, Object>) summary.get("worker");
            assertNotNull(who, "the summary names its worker");
            assertEquals((double) worker.pid(), number(who, "pid"), "the worker's real pid");
            assertEquals(InetAddress.getLocalHost().getHostName(), who.get("host"), "this machine's host name");
            String agentVersion;
            try (JarFile jar = new JarFile(WorkerProcess.AGENT_JAR.toFile())) {
                agentVersion = jar.getManifest().getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            }
            assertNotNull(agentVersion, "the agent jar's manifest has a version");
            assertEquals(agentVersion, who.get("version"), "the agent jar's own version");
            Scrape.Sample info = after.find("agentmon_info").get(0);
            assertEquals(info.labels.get("version"), who.get("version"), "as agentmon_info says");
            assertEquals(info.labels.get("service"), who.get("service"), "the service label every series carries");
            assertEquals(info.labels.get("java_version"), who.get("javaVersion"));
            assertEquals(Math.round(after.value("process_start_time_seconds") * 1000), (long) number(who, "startTime"),
                    "the JVM's start, as process_start_time_seconds has it");
            double uptime = number(who, "uptimeSeconds");
            assertTrue(before.value("process_uptime_seconds") - 1 <= uptime && uptime <= after.value("process_uptime_seconds") + 1,
                    "uptime " + uptime + " s within the scrapes' process_uptime_seconds");

            // ---- failures by exception, summed over tasks, between the scrapes
            Map<String, Object> failures = (Map<String, Object>) summary.get("failuresByException");
            assertTrue(failures.containsKey("IllegalStateException") && failures.containsKey("IllegalArgumentException"),
                    "the sample worker's jobs fail with these: " + failures);
            for (Map.Entry<String, Object> failed : failures.entrySet()) {
                double total = (Double) failed.getValue();
                double low = before.sum("agentmon_task_failures_total", "exception", failed.getKey());
                double high = after.sum("agentmon_task_failures_total", "exception", failed.getKey());
                assertTrue(low <= total && total <= high, failed + " not within [" + low + ", " + high + "]");
            }

            Map<String, Object> containers = (Map<String, Object>) summary.get("containers");
            assertNotNull(containers, "the allocator is configured");
            assertTrue(number(containers, "active") >= 0 && number(containers, "memoryBytes") >= 0, containers.toString());
            Map<String, Object> allocations = (Map<String, Object>) containers.get("allocations");
            for (String outcome : new String[] {"success", "failure"}) {
                double total = number(allocations, outcome);
                double low = before.value("agentmon_docker_allocations_total", "outcome", outcome);
                double high = after.value("agentmon_docker_allocations_total", "outcome", outcome);
                assertTrue(low <= total && total <= high, "allocations " + outcome + " " + total + " not within [" + low + ", " + high + "]");
            }

            Map<String, Object> jvm = (Map<String, Object>) summary.get("jvm");
            double heapUsed = number(jvm, "heapUsedBytes");
            assertTrue(heapUsed > 0, "heap used " + heapUsed);
            assertTrue(jvm.get("heapMaxBytes") == null || number(jvm, "heapMaxBytes") >= heapUsed, jvm.toString());
            assertTrue(number(jvm, "heapCommittedBytes") >= heapUsed, "the used heap lies in the committed heap: " + jvm);
            assertTrue(jvm.get("processCpu") == null || (number(jvm, "processCpu") >= 0 && number(jvm, "processCpu") <= 1),
                    jvm.toString());

            // ---- history: timestamps increasing, every series aligned with them
            Map<String, Object> history = (Map<String, Object>) summary.get("history");
            List<Object> times = (List<Object>) history.get("times");
            int n = times.size();
            assertTrue(n >= 2 && n <= number(history, "capacity"), "samples: " + n);
            for (int i = 1; i < n; i++) {
                assertTrue((double) times.get(i) > (double) times.get(i - 1), "increasing times " + times);
            }
            Map<String, Object> historyTasks = (Map<String, Object>) history.get("tasks");
            for (String name : SummaryWorker.TASKS) {
                Map<String, Object> series = (Map<String, Object>) historyTasks.get(name);
                assertNotNull(series, name + " in the history: " + historyTasks.keySet());
                for (String field : new String[] {"success", "failure", "timeout", "p50", "p95", "p99", "timeouts", "inFlight", "stuck"}) {
                    assertEquals(n, ((List<Object>) series.get(field)).size(), name + " " + field + " aligned with times");
                }
                List<Object> success = (List<Object>) series.get("success");
                assertTrue(success.get(n - 1) != null && (double) success.get(n - 1) > 0,
                        name + " ran in the last interval: " + success);
                assertTrue(((List<Object>) series.get("p95")).get(n - 1) != null, name + " has a p95 for the last interval");
            }
            Map<String, Object> workerHistory = (Map<String, Object>) ((Map<String, Object>) history.get("pools")).get("worker");
            assertNotNull(workerHistory, "the worker pool's history");
            assertEquals(n, ((List<Object>) workerHistory.get("queued")).size());
            List<Object> heap = (List<Object>) ((Map<String, Object>) history.get("jvm")).get("heapUsedBytes");
            assertEquals(n, heap.size());
            for (Object value : heap) {
                assertTrue(value != null && (double) value > 0, "heap used in every sample: " + heap);
            }
            Map<String, Object> containerHistory = (Map<String, Object>) history.get("containers");
            for (String field : new String[] {"active", "cpuCores", "memoryBytes", "allocationsPerSecond", "allocationFailuresPerSecond"}) {
                assertEquals(n, ((List<Object>) containerHistory.get(field)).size(), "containers " + field + " aligned with times");
            }
            List<Object> allocated = (List<Object>) containerHistory.get("allocationsPerSecond");
            assertTrue(allocated.get(n - 1) != null && (double) allocated.get(n - 1) > 0, "the worker allocates containers: " + allocated);
            assertEquals(n, ((List<Object>) ((Map<String, Object>) history.get("jvm")).get("heapCommittedBytes")).size());
            Map<String, Object> failureHistory = (Map<String, Object>) history.get("failures");
            assertEquals(failures.keySet(), failureHistory.keySet(), "a failure rate per exception name");
            for (Object rates : failureHistory.values()) {
                assertEquals(n, ((List<Object>) rates).size(), "failures aligned with times");
            }
        }
    }

    private static double number(Map<String, Object> object, String key) {
        Object value = object.get(key);
        if (!(value instanceof Double)) {
            throw new AssertionError(key + " is not a number: " + value + " in " + object);
        }
        return (Double) value;
    }
}

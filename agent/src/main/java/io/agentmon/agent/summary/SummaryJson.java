package io.agentmon.agent.summary;

import io.agentmon.agent.JsonText;
import io.agentmon.bootstrap.Outcome;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics/summary} as JSON: the current values of one {@link Reading}, their rates
 * over the last minute and the minute before (from the {@link History}'s windows), and the
 * history's rings. Field names are the page's contract (README documents them).
 */
final class SummaryJson {

    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private SummaryJson() {
    }

    static String render(WorkerIdentity worker, Reading reading, History history) {
        StringBuilder json = new StringBuilder(16 * 1024);
        json.append("{\"time\":").append(reading.timeMillis)
                .append(",\"intervalSeconds\":").append(History.INTERVAL_SECONDS)
                .append(",\"worker\":{\"service\":").append(JsonText.string(worker.service))
                .append(",\"host\":").append(JsonText.string(worker.host()))
                .append(",\"pid\":").append(worker.pid())
                .append(",\"version\":").append(JsonText.string(worker.version))
                .append(",\"javaVersion\":").append(JsonText.string(worker.javaVersion))
                .append(",\"startTime\":").append(worker.startMillis())
                .append(",\"uptimeSeconds\":").append(number(Math.max(0, reading.timeMillis - worker.startMillis()) / 1000.0))
                .append('}')
                .append(",\"tasks\":[");
        boolean first = true;
        for (Reading.TaskReading task : reading.tasks.values()) {
            json.append(first ? "" : ",");
            first = false;
            task(json, task, history.tasks.get(task.task), reading.nanos, history);
        }
        json.append("],\"pools\":[");
        first = true;
        for (Reading.PoolReading pool : reading.pools.values()) {
            json.append(first ? "" : ",");
            first = false;
            pool(json, pool, history.pools.get(pool.pool), reading.nanos, history);
        }
        json.append("],\"failuresByException\":{");
        first = true;
        for (Map.Entry<String, Long> failures : reading.failuresByException.entrySet()) {
            json.append(first ? "" : ",").append(JsonText.string(failures.getKey())).append(':').append(failures.getValue());
            first = false;
        }
        json.append("},\"containers\":");
        if (reading.containers != null) {
            json.append("{\"active\":").append(reading.containers.active())
                    .append(",\"cpuCores\":").append(number(reading.containers.cpuCores()))
                    .append(",\"memoryBytes\":").append(reading.containers.memoryBytes())
                    .append(",\"allocations\":{\"success\":").append(reading.containers.succeeded())
                    .append(",\"failure\":").append(reading.containers.failed()).append("}}");
        } else {
            json.append("null");
        }
        json.append(",\"jvm\":{\"heapUsedBytes\":").append(reading.heapUsed)
                .append(",\"heapCommittedBytes\":").append(reading.heapCommitted)
                .append(",\"heapMaxBytes\":").append(reading.heapMax < 0 ? "null" : Long.toString(reading.heapMax))
                .append(",\"processCpu\":").append(number(reading.processCpu)).append('}');
        json.append(",\"history\":");
        history(json, history);
        return json.append('}').toString();
    }

    /** One task now, with its rates over the last minute and the minute before ({@code series}: null without history). */
    private static void task(StringBuilder json, Reading.TaskReading task, History.TaskSeries series, long nanos,
            History history) {
        long[] now = task.cumulative();
        long minuteAgoIndex = series == null ? -1 : history.sampleAtOrBefore(series.window, nanos - MINUTE_NANOS, -1);
        long[] minuteAgo = minuteAgoIndex < 0 ? null : series.window.at(minuteAgoIndex);
        long twoMinutesAgoIndex = series == null || minuteAgoIndex < 0 ? -1
                : history.sampleAtOrBefore(series.window, history.nanosOf(minuteAgoIndex) - MINUTE_NANOS, minuteAgoIndex);
        long[] twoMinutesAgo = twoMinutesAgoIndex < 0 ? null : series.window.at(twoMinutesAgoIndex);
        double window = minuteAgo == null ? Double.NaN : (nanos - history.nanosOf(minuteAgoIndex)) / 1e9;
        double windowBefore = twoMinutesAgo == null ? Double.NaN
                : (history.nanosOf(minuteAgoIndex) - history.nanosOf(twoMinutesAgoIndex)) / 1e9;
        long[] delta = minuteAgo == null ? null : Quantiles.bucketDelta(now, minuteAgo, Reading.TaskReading.BUCKETS_FROM);
        int timeouts = Reading.TaskReading.TIMEOUTS;
        json.append("{\"task\":").append(JsonText.string(task.task)).append(",\"total\":");
        for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
            json.append(outcome == 0 ? "{" : ",").append('"').append(Outcome.label(outcome)).append("\":").append(now[outcome]);
        }
        json.append('}')
                .append(",\"windowSeconds\":").append(number(window))
                .append(",\"runsPerSecond\":");
        outcomeRates(json, now, minuteAgo, window);
        json.append(",\"windowBeforeSeconds\":").append(number(windowBefore)).append(",\"runsPerSecondBefore\":");
        outcomeRates(json, minuteAgo, twoMinutesAgo, windowBefore);
        json.append(",\"p50\":").append(number(Quantiles.quantile(0.50, task.boundsSeconds, delta)))
                .append(",\"p95\":").append(number(Quantiles.quantile(0.95, task.boundsSeconds, delta)))
                .append(",\"p99\":").append(number(Quantiles.quantile(0.99, task.boundsSeconds, delta)))
                .append(",\"inFlight\":").append(task.inFlight)
                .append(",\"stuck\":").append(task.stuck)
                .append(",\"timeoutsTotal\":").append(now[timeouts])
                .append(",\"timeoutsPerSecond\":")
                .append(number(minuteAgo == null ? Double.NaN : Math.max(0, now[timeouts] - minuteAgo[timeouts]) / window))
                .append('}');
    }

    private static void pool(StringBuilder json, Reading.PoolReading pool, History.PoolSeries series, long nanos,
            History history) {
        long[] now = pool.cumulative();
        long index = series == null ? -1 : history.sampleAtOrBefore(series.window, nanos - MINUTE_NANOS, -1);
        long[] minuteAgo = index < 0 ? null : series.window.at(index);
        double waitP95 = minuteAgo == null || pool.waitBoundsSeconds == null ? Double.NaN
                : Quantiles.quantile(0.95, pool.waitBoundsSeconds,
                        Quantiles.bucketDelta(now, minuteAgo, Reading.PoolReading.BUCKETS_FROM));
        json.append("{\"pool\":").append(JsonText.string(pool.pool))
                .append(",\"queued\":").append(pool.queued)
                .append(",\"active\":").append(pool.active)
                .append(",\"threads\":").append(pool.threads)
                .append(",\"completed\":").append(pool.waitBoundsSeconds == null ? "null" : Long.toString(pool.completed))
                .append(",\"maxThreads\":").append(pool.maxThreads < 0 ? "null" : Long.toString(pool.maxThreads))
                .append(",\"queueRemaining\":").append(pool.queueRemaining < 0 ? "null" : Long.toString(pool.queueRemaining))
                .append(",\"scheduled\":").append(pool.scheduled < 0 ? "null" : Long.toString(pool.scheduled))
                .append(",\"queueWaitP95\":").append(number(waitP95))
                .append('}');
    }

    private static void outcomeRates(StringBuilder json, long[] now, long[] before, double seconds) {
        if (now == null || before == null || !(seconds > 0)) {
            json.append("null");
            return;
        }
        for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
            json.append(outcome == 0 ? "{" : ",").append('"').append(Outcome.label(outcome)).append("\":")
                    .append(number(Math.max(0, now[outcome] - before[outcome]) / seconds));
        }
        json.append('}');
    }

    private static void history(StringBuilder json, History history) {
        long oldest = Math.max(0, history.samples - History.CAPACITY);
        json.append("{\"intervalSeconds\":").append(History.INTERVAL_SECONDS)
                .append(",\"capacity\":").append(History.CAPACITY)
                .append(",\"times\":[");
        for (long n = oldest; n < history.samples; n++) {
            json.append(n == oldest ? "" : ",").append(history.timesMillis[History.slot(n)]);
        }
        json.append("],\"tasks\":{");
        boolean first = true;
        for (Map.Entry<String, History.TaskSeries> entry : history.tasks.entrySet()) {
            History.TaskSeries series = entry.getValue();
            json.append(first ? "" : ",").append(JsonText.string(entry.getKey())).append(":{");
            first = false;
            for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
                ring(json, Outcome.label(outcome), series.runs[outcome], oldest, history, outcome > 0);
            }
            ring(json, "p50", series.p50, oldest, history, true);
            ring(json, "p95", series.p95, oldest, history, true);
            ring(json, "p99", series.p99, oldest, history, true);
            ring(json, "timeouts", series.timeouts, oldest, history, true);
            ring(json, "inFlight", series.inFlight, oldest, history, true);
            ring(json, "stuck", series.stuck, oldest, history, true);
            json.append('}');
        }
        json.append("},\"pools\":{");
        first = true;
        for (Map.Entry<String, History.PoolSeries> entry : history.pools.entrySet()) {
            History.PoolSeries series = entry.getValue();
            json.append(first ? "" : ",").append(JsonText.string(entry.getKey())).append(":{");
            first = false;
            ring(json, "queued", series.queued, oldest, history, false);
            ring(json, "scheduled", series.scheduled, oldest, history, true);
            ring(json, "active", series.active, oldest, history, true);
            ring(json, "queueWaitP95", series.waitP95, oldest, history, true);
            json.append('}');
        }
        json.append("},\"failures\":{");
        first = true;
        for (Map.Entry<String, History.ExceptionSeries> entry : history.failures.entrySet()) {
            json.append(first ? "" : ",");
            first = false;
            ring(json, entry.getKey(), entry.getValue().perSecond, oldest, history, false);
        }
        json.append("},\"containers\":{");
        ring(json, "active", history.containersActive, oldest, history, false);
        ring(json, "cpuCores", history.containersCpu, oldest, history, true);
        ring(json, "memoryBytes", history.containersMemory, oldest, history, true);
        ring(json, "allocationsPerSecond", history.allocations, oldest, history, true);
        ring(json, "allocationFailuresPerSecond", history.allocationFailures, oldest, history, true);
        json.append("},\"jvm\":{");
        ring(json, "heapUsedBytes", history.heapUsed, oldest, history, false);
        ring(json, "heapCommittedBytes", history.heapCommitted, oldest, history, true);
        ring(json, "heapMaxBytes", history.heapMax, oldest, history, true);
        ring(json, "processCpu", history.processCpu, oldest, history, true);
        json.append("}}");
    }

    private static void ring(StringBuilder json, String name, float[] ring, long oldest, History history, boolean comma) {
        json.append(comma ? "," : "").append(JsonText.string(name)).append(":[");
        for (long n = oldest; n < history.samples; n++) {
            json.append(n == oldest ? "" : ",").append(number(ring[History.slot(n)]));
        }
        json.append(']');
    }

    /** A JSON number with at most 6 significant digits, or null for NaN and infinities. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}

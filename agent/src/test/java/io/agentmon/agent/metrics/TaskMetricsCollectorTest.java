package io.agentmon.agent.metrics;

import static io.agentmon.agent.Runs.run;
import static io.agentmon.agent.metrics.Points.all;
import static io.agentmon.agent.metrics.Points.counter;
import static io.agentmon.agent.metrics.Points.gauge;
import static io.agentmon.agent.metrics.Points.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.TaskMethods;
import io.agentmon.bootstrap.TaskProbes;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import io.agentmon.bootstrap.TimeoutProbes;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The task collector read from recorder states made by the probes themselves, in this thread. */
class TaskMetricsCollectorTest {

    private static final long MS = 1_000_000L;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final String DURATION = "agentmon_task_duration_seconds";

    private static MetricSnapshots collect(SpanExemplars exemplars) {
        return new TaskMetricsCollector("svc", HistogramKinds.BOTH, exemplars).collect();
    }

    @Test
    void aTextScrapeGetsNoNativeBucketsAndEveryOtherReadingDoes() {
        String task = "collector.textscrape";
        int id = TaskRecorders.registerTask(task, TaskRecorder.NO_DEADLINE);
        run(id, 2 * MS, null, 3);

        HistogramSnapshot.HistogramDataPointSnapshot asText = histogram(ScrapeFormat.asText(() -> collect(SpanExemplars.NONE)),
                DURATION, "task", task, "outcome", "success");
        assertFalse(asText.hasNativeHistogramData(), "a text scrape drops native buckets: they are not built for it");
        assertEquals(3, asText.getCount());
        assertTrue(asText.hasClassicHistogramData());

        // After it, on the same thread (a protobuf scrape, the OTLP push): native buckets again.
        HistogramSnapshot.HistogramDataPointSnapshot after = histogram(collect(SpanExemplars.NONE), DURATION, "task", task,
                "outcome", "success");
        assertTrue(after.hasNativeHistogramData());
        long counted = after.getNativeZeroCount();
        for (int i = 0; i < after.getNativeBucketsForPositiveValues().size(); i++) {
            counted += after.getNativeBucketsForPositiveValues().getCount(i);
        }
        assertEquals(3, counted);
    }

    /**
     * A task's series labels are built once and given to every later scrape by the same
     * collector, equal to what building them afresh gives; the labels of another collector (its
     * own service) are its own.
     */
    @Test
    void aTasksLabelsAreBuiltOnceAndEqualFreshOnes() {
        String task = "collector.labelsonce";
        int id = TaskRecorders.registerTask(task, TaskRecorder.NO_DEADLINE);
        run(id, 2 * MS, null, 1);
        TaskMetricsCollector collector = new TaskMetricsCollector("svc", HistogramKinds.BOTH, SpanExemplars.NONE);
        MetricSnapshots first = collector.collect();
        MetricSnapshots second = collector.collect();
        for (String outcome : new String[] {"success", "failure", "timeout"}) {
            io.prometheus.metrics.model.snapshots.Labels labels = histogram(first, DURATION, "task", task, "outcome", outcome).getLabels();
            assertEquals(io.prometheus.metrics.model.snapshots.Labels.of("service", "svc", "task", task, "outcome", outcome), labels);
            assertSame(labels, histogram(second, DURATION, "task", task, "outcome", outcome).getLabels());
        }
        assertEquals(1, histogram(second, DURATION, "task", task, "outcome", "success").getCount());
        assertEquals(0, counter(second, "agentmon_task_timeouts", "task", task, "reason", "future"));
        assertEquals(0, counter(second, "agentmon_task_timeouts", "task", task, "reason", "exception"));
        assertEquals(0, gauge(second, "agentmon_tasks_active", "task", task));
        MetricSnapshots other = new TaskMetricsCollector("other-svc", HistogramKinds.BOTH, SpanExemplars.NONE).collect();
        assertEquals("other-svc", histogram(other, DURATION, "task", task, "outcome", "success").getLabels().get("service"));
    }

    @Test
    void runsAreReadIntoOneHistogramPerOutcomeAndFailuresByException() {
        String task = "collector.outcomes";
        int id = TaskRecorders.registerTask(task, TaskRecorder.NO_DEADLINE);
        run(id, 2 * MS, null, 2);
        run(id, 3 * MS, new IllegalStateException(), 2);
        run(id, MS, new IllegalArgumentException(), 1);
        run(id, 5 * MS, new TimeoutException(), 1);

        MetricSnapshots snapshots = collect(SpanExemplars.NONE);
        HistogramSnapshot.HistogramDataPointSnapshot success = histogram(snapshots, DURATION, "task", task, "outcome", "success");
        assertEquals(2, success.getCount());
        assertTrue(success.getSum() >= 0.004, "each run lasted at least its 2 ms: " + success.getSum());
        assertEquals("svc", success.getLabels().get("service"));
        assertEquals(3, histogram(snapshots, DURATION, "task", task, "outcome", "failure").getCount());
        assertEquals(1, histogram(snapshots, DURATION, "task", task, "outcome", "timeout").getCount());
        assertEquals(2, counter(snapshots, "agentmon_task_failures", "task", task, "exception", "IllegalStateException"));
        assertEquals(1, counter(snapshots, "agentmon_task_failures", "task", task, "exception", "IllegalArgumentException"));
        assertEquals(1, counter(snapshots, "agentmon_task_timeouts", "task", task, "reason", "exception"));
        assertEquals(0, counter(snapshots, "agentmon_task_timeouts", "task", task, "reason", "future"));
        assertTrue(all(snapshots, "agentmon_task_timeouts", "task", task, "reason", "deadline").isEmpty(), "no deadline, no series");
        assertEquals(0, gauge(snapshots, "agentmon_tasks_stuck", "task", task), "no deadline, still a stuck series");
        assertEquals(0, gauge(snapshots, "agentmon_task_oldest_inflight_seconds", "task", task), "none in flight: 0");
        assertEquals(0, gauge(snapshots, "agentmon_tasks_active", "task", task));
    }

    @Test
    void runsInFlightAreActiveAndThosePastTheirDeadlineStuck() {
        String task = "collector.deadline";
        int id = TaskRecorders.registerTask(task, HOUR);
        long twoHoursAgo = System.nanoTime() - 2 * HOUR;
        long now = System.nanoTime();
        int late = TaskProbes.enter(id, TaskMethods.UNKNOWN, twoHoursAgo);
        int fresh = TaskProbes.enter(id, TaskMethods.UNKNOWN, now);

        MetricSnapshots during = collect(SpanExemplars.NONE);
        assertEquals(2, gauge(during, "agentmon_tasks_active", "task", task));
        assertEquals(1, gauge(during, "agentmon_tasks_stuck", "task", task));
        assertTrue(gauge(during, "agentmon_task_oldest_inflight_seconds", "task", task) >= 2 * 3600,
                "the oldest run started two hours ago");
        assertEquals(0, counter(during, "agentmon_task_timeouts", "task", task, "reason", "deadline"));

        TaskProbes.exit(id, late, twoHoursAgo, null);
        TaskProbes.exit(id, fresh, now, null);
        MetricSnapshots after = collect(SpanExemplars.NONE);
        assertEquals(0, gauge(after, "agentmon_tasks_active", "task", task));
        assertEquals(0, gauge(after, "agentmon_tasks_stuck", "task", task));
        assertEquals(1, counter(after, "agentmon_task_timeouts", "task", task, "reason", "deadline"), "the late run missed it");
        assertEquals(2, histogram(after, DURATION, "task", task, "outcome", "success").getCount());
    }

    @Test
    void aTaskWithNoDeadlineIsStuckAfterTheDefaultOrTheConfiguredTimeAndItsDeadlineWinsWhenItHasOne() {
        String task = "collector.nodeadline";
        int id = TaskRecorders.registerTask(task, TaskRecorder.NO_DEADLINE);
        String patient = "collector.patient";
        int patientId = TaskRecorders.registerTask(patient, 3 * HOUR);
        long now = System.nanoTime();
        int old = TaskProbes.enter(id, TaskMethods.UNKNOWN, now - 11 * 60 * 1_000_000_000L);
        int recent = TaskProbes.enter(id, TaskMethods.UNKNOWN, now - 9 * 60 * 1_000_000_000L);
        int long1 = TaskProbes.enter(patientId, TaskMethods.UNKNOWN, now - 2 * HOUR);
        try {
            MetricSnapshots byDefault = collect(SpanExemplars.NONE);
            assertEquals(1, gauge(byDefault, "agentmon_tasks_stuck", "task", task), "11 min is past the default 10 min, 9 min is not");
            assertTrue(gauge(byDefault, "agentmon_task_oldest_inflight_seconds", "task", task) >= 11 * 60);
            assertEquals(0, gauge(byDefault, "agentmon_tasks_stuck", "task", patient), "its 3 h deadline replaces the default");
            InFlightSnapshot.useStuckAfter(60 * 1_000_000_000L);
            MetricSnapshots configured = collect(SpanExemplars.NONE);
            assertEquals(2, gauge(configured, "agentmon_tasks_stuck", "task", task), "both past 1 min");
            assertEquals(0, gauge(configured, "agentmon_tasks_stuck", "task", patient), "still its deadline");
        } finally {
            InFlightSnapshot.useStuckAfter(InFlightSnapshot.DEFAULT_STUCK_AFTER_NANOS);
            TaskProbes.exit(id, old, now, null);
            TaskProbes.exit(id, recent, now, null);
            TaskProbes.exit(patientId, long1, now, null);
        }
    }

    @Test
    void eachOutcomeCarriesTheExemplarsItsSourceGives() {
        String task = "collector.exemplars";
        int id = TaskRecorders.registerTask(task, TaskRecorder.NO_DEADLINE);
        run(id, MS, new IllegalStateException(), 1);
        Exemplars failures = Exemplars.of(Exemplar.builder().value(0.001)
                .traceId("0af7651916cd43dd8448eb211c80319c").spanId("b7ad6b7169203331").build());
        AtomicInteger bucketsAsked = new AtomicInteger();
        SpanExemplars source = (probe, outcome, buckets) -> {
            if (probe != id || outcome != Outcome.FAILURE) {
                return Exemplars.EMPTY;
            }
            bucketsAsked.set(buckets);
            return failures;
        };

        MetricSnapshots snapshots = collect(source);
        HistogramSnapshot.HistogramDataPointSnapshot failure = histogram(snapshots, DURATION, "task", task, "outcome", "failure");
        assertSame(failures, failure.getExemplars());
        assertEquals(failure.getClassicBuckets().size(), bucketsAsked.get(), "asked over the classic buckets, +Inf included");
        assertEquals(0, histogram(snapshots, DURATION, "task", task, "outcome", "success").getExemplars().size());
    }

    @Test
    void aLabelThatOnlyReceivesTimeoutsHasTimeoutsAndNoHistogram() {
        String label = "collector.handler";
        int id = TaskRecorders.registerTimeoutTarget(label);
        MetricSnapshots before = collect(SpanExemplars.NONE);
        assertTrue(all(before, "agentmon_task_timeouts", "task", label).isEmpty(), "nothing to show yet");

        TimeoutProbes.labelledHandlerCalled(id);
        MetricSnapshots after = collect(SpanExemplars.NONE);
        assertEquals(1, counter(after, "agentmon_task_timeouts", "task", label, "reason", "handler"));
        assertTrue(all(after, DURATION, "task", label).isEmpty());
        assertTrue(all(after, "agentmon_tasks_active", "task", label).isEmpty());
    }
}

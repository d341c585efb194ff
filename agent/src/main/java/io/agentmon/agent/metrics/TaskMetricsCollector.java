package io.agentmon.agent.metrics;

import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.bootstrap.DurationHistogram;
import io.agentmon.bootstrap.ExceptionCounts;
import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the task recorders into Prometheus snapshots at scrape time, on the scraping thread.
 * The worker's threads only ever write the recorders; everything here (label strings, bucket
 * arrays, exception names) is built by the scraper.
 */
public final class TaskMetricsCollector implements MultiCollector {

    private final String service;
    private final HistogramKinds histograms;
    private final SpanExemplars exemplars;
    /** Per task id, the labels of its series; grown as tasks appear (see {@link #labelsOf}). */
    private volatile TaskLabels[] taskLabels = new TaskLabels[0];

    public TaskMetricsCollector(String service, HistogramKinds histograms, SpanExemplars exemplars) {
        this.service = service;
        this.histograms = histograms;
        this.exemplars = exemplars;
    }

    @Override
    public MetricSnapshots collect() {
        HistogramSnapshot.Builder durations = HistogramSnapshot.builder()
                .name("agentmon_task_duration_seconds").unit(Unit.SECONDS)
                .help("Duration of task method runs, by outcome (success, failure, timeout).");
        CounterSnapshot.Builder failures = CounterSnapshot.builder()
                .name("agentmon_task_failures")
                .help("Task runs that ended in failure, by the simple class name of the exception thrown.");
        CounterSnapshot.Builder timeouts = CounterSnapshot.builder()
                .name("agentmon_task_timeouts")
                .help("Timeouts by task and source (reason), each counted once: exception = the task threw a TimeoutException "
                        + "that no timed-out get or handler call in the same run had counted already, "
                        + "deadline = it finished after its deadline, handler = a configured timeout handler ran, "
                        + "future = a Future.get(timeout) gave up or orTimeout fired.");
        GaugeSnapshot.Builder active = GaugeSnapshot.builder()
                .name("agentmon_tasks_active")
                .help("Task runs in progress.");
        GaugeSnapshot.Builder stuck = GaugeSnapshot.builder()
                .name("agentmon_tasks_stuck")
                .help("Task runs in progress for longer than their deadline, or than agentmon.task.stuck.after (default 10m) for a task with none.");
        GaugeSnapshot.Builder oldest = GaugeSnapshot.builder()
                .name("agentmon_task_oldest_inflight_seconds").unit(Unit.SECONDS)
                .help("How long the oldest run of the task in progress has been running; 0 when none is.");

        InFlightSnapshot inFlight = InFlightSnapshot.take();
        for (int id = 0; id < TaskRecorders.size(); id++) {
            TaskRecorder recorder = TaskRecorders.recorder(id);
            String task = recorder.label();
            if (recorder.isTask()) {
                TaskLabels known = labelsOf(id, task);
                for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
                    DurationHistogram histogram = recorder.duration(outcome);
                    durations.dataPoint(HistogramPoints.of(histogram, known.byOutcome[outcome],
                            exemplars.of(id, outcome, histogram.boundsNanos().length + 1),
                            ScrapeFormat.nativeBuckets(histograms.nativeBuckets())));
                }
                for (Map.Entry<String, Long> failure : failuresByName(recorder.exceptions()).entrySet()) {
                    failures.dataPoint(counter(failure.getValue(), "task", task, "exception", failure.getKey()));
                }
                active.dataPoint(gauge(inFlight.active(id), known.task));
                stuck.dataPoint(gauge(inFlight.stuck(id), known.task));
                oldest.dataPoint(gauge(inFlight.oldestNanos(id) / 1e9, known.task));
                timeouts.dataPoint(counter(recorder.exceptionTimeouts(), known.exceptionTimeouts));
                timeouts.dataPoint(counter(recorder.futureTimeouts(), known.futureTimeouts));
                if (recorder.deadlineNanos() != TaskRecorder.NO_DEADLINE) {
                    timeouts.dataPoint(counter(recorder.deadlineMisses(), "task", task, "reason", "deadline"));
                }
            } else if (recorder.futureTimeouts() > 0) {
                timeouts.dataPoint(counter(recorder.futureTimeouts(), "task", task, "reason", "future"));
            }
            if (recorder.handlerTimeouts() > 0) {
                timeouts.dataPoint(counter(recorder.handlerTimeouts(), "task", task, "reason", "handler"));
            }
        }

        return new MetricSnapshots(durations.build(), failures.build(), timeouts.build(), active.build(), stuck.build(),
                oldest.build());
    }

    /** Sums by simple name: two classes of one simple name share a series. */
    private static Map<String, Long> failuresByName(ExceptionCounts exceptions) {
        Map<String, Long> byName = new LinkedHashMap<>();
        for (int slot = 0; slot < ExceptionCounts.SLOTS; slot++) {
            Class<?> type = exceptions.type(slot);
            if (type != null) {
                byName.merge(simpleName(type), exceptions.count(slot), Long::sum);
            }
        }
        long overflow = exceptions.count(ExceptionCounts.SLOTS);
        if (overflow > 0) {
            byName.merge("other", overflow, Long::sum);
        }
        return byName;
    }

    static String simpleName(Class<?> type) {
        String simple = type.getSimpleName();
        if (!simple.isEmpty()) {
            return simple;
        }
        String name = type.getName(); // anonymous and hidden classes have no simple name
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private CounterSnapshot.CounterDataPointSnapshot counter(long value, String... labels) {
        return counter(value, labels(labels));
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(long value, Labels labels) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    /**
     * The labels every scrape gives task {@code id}'s series, built once per task: {@code Labels.of}
     * sorts and validates every name, with a new UTF-8 encoder per name: 7 calls per task label per
     * scrape cost 0.7 to 0.8 KB each (a scrape of 1,020 task series allocated 849 KB with them, 751
     * KB without). Costs about 0.7 KB of heap per task label. Concurrent scrapes may each build
     * an entry; they are equal and immutable.
     */
    private TaskLabels labelsOf(int id, String task) {
        TaskLabels[] known = taskLabels;
        if (id >= known.length) {
            known = Arrays.copyOf(known, Math.max(id + 1, Math.min(TaskRecorders.CAPACITY, known.length * 2 + 8)));
            taskLabels = known;
        }
        TaskLabels labels = known[id];
        if (labels == null || !labels.label.equals(task)) {
            labels = new TaskLabels(task);
            known[id] = labels;
        }
        return labels;
    }

    /** One task label's series labels (with {@code service}); immutable. */
    private final class TaskLabels {
        final String label;
        final Labels[] byOutcome = new Labels[Outcome.COUNT];
        final Labels task;
        final Labels exceptionTimeouts;
        final Labels futureTimeouts;

        TaskLabels(String label) {
            this.label = label;
            for (int outcome = 0; outcome < Outcome.COUNT; outcome++) {
                byOutcome[outcome] = labels("task", label, "outcome", Outcome.label(outcome));
            }
            task = labels("task", label);
            exceptionTimeouts = labels("task", label, "reason", "exception");
            futureTimeouts = labels("task", label, "reason", "future");
        }
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gauge(double value, Labels labels) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private Labels labels(String... namesAndValues) {
        String[] withService = new String[namesAndValues.length + 2];
        withService[0] = "service";
        withService[1] = service;
        System.arraycopy(namesAndValues, 0, withService, 2, namesAndValues.length);
        return Labels.of(withService);
    }
}

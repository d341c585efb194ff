package io.agentmon.agent.metrics;

import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.TaskRecorders;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest exported span of each task, outcome and duration bucket, as the exemplar of that
 * bucket: Grafana follows its trace id from a slow bucket to the trace. Written by the span
 * exporter thread only (so every exemplar points at a span that was sent), read at scrape time;
 * nothing here runs on the worker's threads.
 */
public final class TaskExemplars {

    /** Per probe id: [outcome * buckets + bucket], created on the first span of that task. */
    private static final AtomicReferenceArray<AtomicReferenceArray<Exemplar>> BY_PROBE =
            new AtomicReferenceArray<>(TaskRecorders.CAPACITY);

    private TaskExemplars() {
    }

    /** Records a span as its bucket's exemplar. For the span exporter thread. */
    public static void offer(int probeId, int outcome, long durationNanos, String traceId, String spanId, long epochMillis) {
        long[] bounds = TaskRecorders.recorder(probeId).success().boundsNanos();
        int buckets = bounds.length + 1;
        AtomicReferenceArray<Exemplar> exemplars = BY_PROBE.get(probeId);
        if (exemplars == null) {
            exemplars = new AtomicReferenceArray<>(Outcome.COUNT * buckets);
            BY_PROBE.set(probeId, exemplars);
        }
        int bucket = Arrays.binarySearch(bounds, durationNanos);
        if (bucket < 0) {
            bucket = -bucket - 1; // the first bound above: "le" buckets
        }
        exemplars.set(outcome * buckets + bucket, Exemplar.builder()
                .value(durationNanos / 1e9)
                .traceId(traceId)
                .spanId(spanId)
                .timestampMillis(epochMillis)
                .build());
    }

    /** The exemplars of one task and outcome ({@code success}, {@code failure}, {@code timeout}); empty when none. */
    static Exemplars of(int probeId, int outcome, int buckets) {
        AtomicReferenceArray<Exemplar> exemplars = BY_PROBE.get(probeId);
        if (exemplars == null) {
            return Exemplars.EMPTY;
        }
        List<Exemplar> found = new ArrayList<>();
        for (int bucket = 0; bucket < buckets; bucket++) {
            Exemplar exemplar = exemplars.get(outcome * buckets + bucket);
            if (exemplar != null) {
                found.add(exemplar);
            }
        }
        return found.isEmpty() ? Exemplars.EMPTY : Exemplars.of(found);
    }
}

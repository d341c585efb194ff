package io.agentmon.agent.otlp;

import io.agentmon.agent.metrics.SpanExemplars;
import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.TaskRecorders;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest span the OTLP collector accepted of each task, outcome and duration bucket, as the
 * exemplar of that bucket: Grafana follows its trace id from a slow bucket to the trace. Written
 * by the span exporter thread only, after the exporter reported the batch accepted (so every
 * exemplar points at a span that was sent); read at scrape time through {@link SpanExemplars};
 * nothing here runs on the worker's threads.
 */
public final class TaskExemplars implements SpanExemplars {

    /** Per probe id: [outcome * buckets + bucket], created on the first span of that task. */
    private final AtomicReferenceArray<AtomicReferenceArray<Exemplar>> byProbe =
            new AtomicReferenceArray<>(TaskRecorders.CAPACITY);

    /** Records a sent span as its bucket's exemplar; {@code outcome} is an {@link Outcome}. For the span exporter thread. */
    void offer(int probeId, int outcome, long durationNanos, String traceId, String spanId, long epochMillis) {
        long[] bounds = TaskRecorders.recorder(probeId).success().boundsNanos();
        int buckets = bounds.length + 1;
        AtomicReferenceArray<Exemplar> exemplars = byProbe.get(probeId);
        if (exemplars == null) {
            exemplars = new AtomicReferenceArray<>(Outcome.COUNT * buckets);
            byProbe.set(probeId, exemplars);
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

    @Override
    public Exemplars of(int probeId, int outcome, int buckets) {
        AtomicReferenceArray<Exemplar> exemplars = byProbe.get(probeId);
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

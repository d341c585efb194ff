package io.agentmon.agent.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.bootstrap.Outcome;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.prometheus.metrics.model.snapshots.Exemplars;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exemplar selection: one per task, outcome and classic bucket, the latest sent span; and only spans the collector accepted. */
class TaskExemplarsTest {

    private static final long MS = 1_000_000L;
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static int probe;

    @BeforeAll
    static void aTaskWithTwoBounds() {
        TaskRecorders.useBuckets(new long[] {MS, 10 * MS}); // buckets le=0.001, le=0.01, +Inf
        probe = TaskRecorders.registerTask("exemplars.buckets", TaskRecorder.NO_DEADLINE);
        TaskRecorders.useBuckets(new long[0]); // the default again, for recorders made after this
    }

    private static String span(int n) {
        return String.format("%016x", n);
    }

    @Test
    void eachBucketKeepsItsLatestSpan() {
        TaskExemplars exemplars = new TaskExemplars();
        assertEquals(0, exemplars.of(probe, Outcome.SUCCESS, 3).size());
        exemplars.offer(probe, Outcome.SUCCESS, 5 * MS, TRACE, span(1), 1000);
        exemplars.offer(probe, Outcome.SUCCESS, 7 * MS, TRACE, span(2), 2000); // the same bucket: replaces the first
        exemplars.offer(probe, Outcome.SUCCESS, 50 * MS, TRACE, span(3), 3000); // beyond the last bound: +Inf
        exemplars.offer(probe, Outcome.SUCCESS, MS, TRACE, span(4), 4000); // on a bound: that bound's bucket (le)
        exemplars.offer(probe, Outcome.FAILURE, 5 * MS, TRACE, span(5), 5000);

        Exemplars success = exemplars.of(probe, Outcome.SUCCESS, 3);
        assertEquals(3, success.size());
        assertEquals(span(4), success.get(0).getLabels().get("span_id"));
        assertEquals(0.001, success.get(0).getValue(), 1e-12);
        assertEquals(span(2), success.get(1).getLabels().get("span_id"));
        assertEquals(0.007, success.get(1).getValue(), 1e-12);
        assertEquals(2000, success.get(1).getTimestampMillis());
        assertEquals(span(3), success.get(2).getLabels().get("span_id"));
        assertEquals(TRACE, success.get(2).getLabels().get("trace_id"));
        assertEquals(1, exemplars.of(probe, Outcome.FAILURE, 3).size());
        assertEquals(0, exemplars.of(probe, Outcome.TIMEOUT, 3).size());
        assertEquals(0, new TaskExemplars().of(probe, Outcome.SUCCESS, 3).size(), "each table is its own");
    }

    @Test
    void onlyABatchTheCollectorAcceptedLeavesExemplars() {
        TaskExemplars exemplars = new TaskExemplars();
        List<SpanData> batch = List.of(taskSpan(Outcome.TIMEOUT, 5 * MS, span(7)), containerSpan());
        long exported = SpanCounts.exported();
        long dropped = SpanCounts.dropped();

        assertFalse(SpanExport.export(spans -> CompletableResultCode.ofFailure(), batch, 1000, exemplars).isSuccess());
        assertEquals(0, exemplars.of(probe, Outcome.TIMEOUT, 3).size(), "refused: no exemplar points at it");
        assertEquals(dropped + 2, SpanCounts.dropped());
        assertEquals(exported, SpanCounts.exported());

        assertTrue(SpanExport.export(spans -> CompletableResultCode.ofSuccess(), batch, 1000, exemplars).isSuccess());
        Exemplars timeouts = exemplars.of(probe, Outcome.TIMEOUT, 3);
        assertEquals(1, timeouts.size(), "the task span, not the container's");
        assertEquals(span(7), timeouts.get(0).getLabels().get("span_id"));
        assertEquals(0.005, timeouts.get(0).getValue(), 1e-12);
        assertEquals(exported + 2, SpanCounts.exported());
    }

    private static ExportedSpan taskSpan(int outcome, long durationNanos, String spanId) {
        long start = 1_700_000_000_000_000_000L;
        return new ExportedSpan(probe, outcome, "exemplars.buckets", context(spanId), SpanContext.getInvalid(),
                StatusData.unset(), start, start + durationNanos, Attributes.empty(), Collections.emptyList(), Resource.empty(),
                InstrumentationScopeInfo.create("test"));
    }

    private static ExportedSpan containerSpan() {
        long start = 1_700_000_000_000_000_000L;
        return new ExportedSpan(ExportedSpan.NOT_A_TASK, Outcome.SUCCESS, SpanExport.CONTAINER_SPAN, context(span(8)),
                SpanContext.getInvalid(), StatusData.unset(), start, start + MS, Attributes.empty(), Collections.emptyList(),
                Resource.empty(), InstrumentationScopeInfo.create("test"));
    }

    private static SpanContext context(String spanId) {
        return SpanContext.create(TRACE, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    }
}

package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trace context through the probes: parents on one thread and across a hop, sampling, the ring's bound. */
class TracesTest {

    private final int task = TaskRecorders.registerTask("traces.task", TaskRecorder.NO_DEADLINE);

    @BeforeEach
    void emptyRing() {
        drain();
    }

    @AfterEach
    void tracingOff() {
        Traces.disable();
        drain();
    }

    @Test
    void nestedRunsAreParentAndChildInOneTrace() {
        Traces.enable(Traces.ALWAYS_ON, true, 1.0);
        run(() -> run(() -> { }));
        List<SpanRing.Span> spans = drain();
        assertEquals(2, spans.size());
        SpanRing.Span inner = spans.get(0);
        SpanRing.Span outer = spans.get(1);
        assertEquals(0, outer.parentSpanId, "the outer run is a root");
        assertEquals(outer.spanId, inner.parentSpanId);
        assertEquals(outer.traceIdHigh, inner.traceIdHigh);
        assertEquals(outer.traceIdLow, inner.traceIdLow);
        assertNotEquals(outer.spanId, inner.spanId);
        assertEquals(task, inner.probeId);
        assertEquals(SpanRing.TASK, inner.kind);
    }

    @Test
    void aTaskHandedToAnotherThreadIsTheChildOfTheRunThatSubmittedIt() throws Exception {
        Traces.enable(Traces.ALWAYS_ON, true, 1.0);
        Object handedOver = new Object();
        Object notCaptured = new Object();
        run(() -> Traces.capture(handedOver));
        Thread pool = new Thread(() -> {
            Traces.resume(handedOver);
            run(() -> { });
            Traces.resume(notCaptured); // the next task, submitted from nowhere: a root again
            run(() -> { });
        });
        pool.start();
        pool.join();
        List<SpanRing.Span> spans = drain();
        assertEquals(3, spans.size());
        SpanRing.Span submitter = spans.get(0);
        SpanRing.Span child = spans.get(1);
        assertEquals(submitter.spanId, child.parentSpanId);
        assertEquals(submitter.traceIdLow, child.traceIdLow);
        assertNotEquals(submitter.threadId, child.threadId);
        assertEquals(0, spans.get(2).parentSpanId);
        assertNotEquals(submitter.traceIdLow, spans.get(2).traceIdLow);
    }

    @Test
    void aNestedResumeGivesBackWhatTheThreadHad() throws Exception {
        Traces.enable(Traces.ALWAYS_ON, true, 1.0);
        Object outerTask = new Object();
        Object innerTask = new Object();
        run(() -> Traces.capture(outerTask));
        run(() -> Traces.capture(innerTask));
        Thread pool = new Thread(() -> {
            Traces.resume(outerTask);
            Traces.resumeNested(innerTask); // e.g. an async stage run inline by a direct executor
            run(() -> { });
            Traces.resumeEnded();
            run(() -> { });
        });
        pool.start();
        pool.join();
        List<SpanRing.Span> spans = drain();
        assertEquals(4, spans.size());
        assertEquals(spans.get(1).spanId, spans.get(2).parentSpanId, "inside the nested task: its submitter");
        assertEquals(spans.get(0).spanId, spans.get(3).parentSpanId, "after it: the outer task's submitter again");
    }

    @Test
    void samplingDecidesAtTheRootAndChildrenFollowTheirParent() {
        Traces.enable(Traces.ALWAYS_OFF, true, 1.0);
        run(() -> run(() -> { }));
        assertEquals(0, drain().size(), "an unsampled root, and its child with it");

        Traces.enable(Traces.RATIO, true, 0.25);
        int roots = 4000;
        for (int i = 0; i < roots; i++) {
            run(() -> run(() -> { }));
        }
        List<SpanRing.Span> spans = drain();
        long sampledRoots = spans.stream().filter(s -> s.parentSpanId == 0).count();
        assertEquals(sampledRoots * 2, spans.size(), "every sampled root with its child, no orphan");
        assertTrue(sampledRoots > roots * 0.2 && sampledRoots < roots * 0.3, sampledRoots + " of " + roots);
    }

    @Test
    void aFullRingDropsAndCountsWithoutBlocking() {
        Traces.enable(Traces.ALWAYS_ON, true, 1.0);
        long droppedBefore = SpanRing.dropped();
        for (int i = 0; i < SpanRing.CAPACITY + 10; i++) {
            run(() -> { });
        }
        assertEquals(10, SpanRing.dropped() - droppedBefore);
        assertEquals(SpanRing.CAPACITY, drain().size());
    }

    @Test
    void aFailedRunCarriesWhatItThrew() {
        Traces.enable(Traces.ALWAYS_ON, true, 1.0);
        TimeoutException thrown = new TimeoutException("late");
        long start = System.nanoTime();
        TaskProbes.exit(task, TaskProbes.enter(task, TaskMethods.UNKNOWN, start), start, thrown);
        List<SpanRing.Span> spans = drain();
        assertSame(thrown, spans.get(0).thrown);
        assertEquals(Thread.currentThread().getName(), spans.get(0).threadName);
    }

    @Test
    void offNothingIsRecorded() {
        run(() -> run(() -> { }));
        assertEquals(0, drain().size());
    }

    private void run(Runnable body) {
        long start = System.nanoTime();
        int slot = TaskProbes.enter(task, TaskMethods.UNKNOWN, start);
        body.run();
        TaskProbes.exit(task, slot, start, null);
    }

    private static List<SpanRing.Span> drain() {
        List<SpanRing.Span> spans = new ArrayList<>();
        SpanRing.Span span = new SpanRing.Span();
        while (SpanRing.poll(span)) {
            spans.add(span);
            span = new SpanRing.Span();
        }
        return spans;
    }
}

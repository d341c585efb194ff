package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.agentmon.it.fixtures.check.CheckFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Json;
import io.agentmon.it.support.WorkerProcess;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A matcher that matches nothing, or a deadline for a label no task has, is said on stderr once
 * classes have had time to load, and shown in /health/ready; a matcher whose class loads later
 * says so when it does (issue 13: they were accepted in silence).
 */
class TaskMatchersCheckTest {

    private static final String PACKAGE = "io.agentmon.it.fixtures.check.";

    @Test
    void matchersThatMatchNothingAreNamedUntilTheyDo() throws Exception {
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", PACKAGE + "Present#work," + PACKAGE + "Nope#work," + PACKAGE + "Late#work")
                .property("agentmon.task.deadline.Present.work", "1s")
                .property("agentmon.task.deadline.Missing.work", "1s")
                .property("agentmon.tasks.check.after", "1s")
                .fixture(CheckFixture.class, Collections.emptyList())
                .start()) {
            int port = worker.agentPort();
            String nope = "task matcher '" + PACKAGE + "Nope#work' (agentmon.tasks) has matched no method yet";
            String late = "task matcher '" + PACKAGE + "Late#work' (agentmon.tasks) has matched no method yet";
            worker.waitFor(30, "the unmatched matchers named on stderr",
                    () -> worker.stderr().contains(nope) && worker.stderr().contains(late));
            worker.waitFor(30, "the unknown deadline label named",
                    () -> worker.stderr().contains("agentmon.task.deadline.Missing.work: no task has the label 'Missing.work'"));
            assertFalse(worker.stderr().contains("'" + PACKAGE + "Present#work' (agentmon.tasks) has matched"), worker.stderr());
            assertFalse(worker.stderr().contains("agentmon.task.deadline.Present.work:"), worker.stderr());

            Map<String, Object> ready = ready(port);
            assertEquals(List.of(PACKAGE + "Nope#work", PACKAGE + "Late#work"), ready.get("unmatchedTaskMatchers"));
            assertEquals(List.of("Missing.work"), ready.get("unknownDeadlineLabels"));
            assertEquals("READY", ready.get("status"));

            worker.writeLine("load");
            worker.waitFor(30, "the late class's matcher saying it matches now", () -> worker.stderr().contains(
                    "task matcher '" + PACKAGE + "Late#work' matches " + PACKAGE + "Late#work now"));
            assertEquals(List.of(PACKAGE + "Nope#work"), ready(port).get("unmatchedTaskMatchers"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ready(int port) throws Exception {
        WorkerProcess.Response response = WorkerProcess.Http.get(port, "/health/ready", null);
        assertEquals(200, response.status, response.toString());
        return (Map<String, Object>) Json.parse(response.body);
    }
}

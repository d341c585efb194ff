package io.agentmon.agent.http;

import io.agentmon.agent.JsonText;
import io.agentmon.agent.http.server.Handler;
import io.agentmon.agent.http.server.Request;
import io.agentmon.agent.http.server.Response;
import io.agentmon.agent.metrics.InFlightSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /tasks}: every task run in progress, longest-running first, as JSON:
 * task, thread, start time, elapsed and deadline in seconds, whether it is stuck, and with
 * {@code agentmon.tasks.stacks=true} the thread's current stack.
 */
final class TasksHandler implements Handler {

    private final boolean stacks;

    TasksHandler(boolean stacks) {
        this.stacks = stacks;
    }

    @Override
    public Response handle(Request request) {
        InFlightSnapshot snapshot = InFlightSnapshot.take();
        List<InFlightSnapshot.Run> runs = new ArrayList<>(snapshot.runs());
        runs.sort(Comparator.comparingLong((InFlightSnapshot.Run run) -> run.elapsedNanos).reversed());
        Instant now = Instant.now();
        StringBuilder json = new StringBuilder("{\"tasks\":[");
        for (int i = 0; i < runs.size(); i++) {
            InFlightSnapshot.Run run = runs.get(i);
            json.append(i == 0 ? "" : ",").append("{\"task\":").append(JsonText.string(run.task))
                    .append(",\"thread\":").append(JsonText.string(run.thread.getName()))
                    .append(",\"started\":").append(JsonText.string(now.minusNanos(run.elapsedNanos).toString()))
                    .append(",\"elapsedSeconds\":").append(seconds(run.elapsedNanos))
                    .append(",\"deadlineSeconds\":").append(run.hasDeadline() ? seconds(run.deadlineNanos()) : "null")
                    .append(",\"stuck\":").append(run.stuck);
            if (stacks) {
                json.append(",\"stack\":[");
                StackTraceElement[] stack = run.thread.getStackTrace();
                for (int frame = 0; frame < stack.length; frame++) {
                    json.append(frame == 0 ? "" : ",").append(JsonText.string(stack[frame].toString()));
                }
                json.append(']');
            }
            json.append('}');
        }
        json.append("]}");
        return Response.json(200, json.toString());
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
    }
}

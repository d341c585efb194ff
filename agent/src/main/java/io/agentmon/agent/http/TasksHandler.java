package io.agentmon.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.agentmon.agent.JsonText;
import io.agentmon.agent.metrics.InFlightSnapshot;
import io.agentmon.bootstrap.TaskRecorder;
import java.io.IOException;
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
final class TasksHandler implements HttpHandler {

    private final boolean stacks;

    TasksHandler(boolean stacks) {
        this.stacks = stacks;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        InFlightSnapshot snapshot = InFlightSnapshot.take();
        List<InFlightSnapshot.Run> runs = new ArrayList<>(snapshot.runs());
        runs.sort(Comparator.comparingLong((InFlightSnapshot.Run run) -> run.elapsedNanos).reversed());
        Instant now = Instant.now();
        StringBuilder json = new StringBuilder("{\"tasks\":[");
        for (int i = 0; i < runs.size(); i++) {
            InFlightSnapshot.Run run = runs.get(i);
            long deadline = run.task.deadlineNanos();
            json.append(i == 0 ? "" : ",").append("{\"task\":").append(JsonText.string(run.task.label()))
                    .append(",\"thread\":").append(JsonText.string(run.thread.getName()))
                    .append(",\"started\":").append(JsonText.string(now.minusNanos(run.elapsedNanos).toString()))
                    .append(",\"elapsedSeconds\":").append(seconds(run.elapsedNanos))
                    .append(",\"deadlineSeconds\":").append(deadline == TaskRecorder.NO_DEADLINE ? "null" : seconds(deadline))
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
        Responses.json(exchange, 200, json.toString());
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
    }
}

package io.agentmon.agent.live;

import io.agentmon.bootstrap.LiveFeed;
import io.agentmon.bootstrap.Outcome;
import java.time.Instant;
import java.util.Locale;

/**
 * One event as a Server-Sent Events frame: {@code id: <sequence>}, {@code event: <name>} and one
 * {@code data:} line of JSON. The JSON always has {@code seq}, {@code time} (ISO-8601) and
 * {@code thread} (the worker thread's id); task events add {@code task}; see the README's
 * endpoint table for the rest.
 */
final class FeedJson {

    private FeedJson() {
    }

    static String name(int kind) {
        switch (kind) {
            case LiveFeed.TASK_START: return "task-start";
            case LiveFeed.TASK_FINISH: return "task-finish";
            case LiveFeed.TIMEOUT: return "timeout";
            case LiveFeed.CONTAINER_ALLOCATED: return "container-allocated";
            case LiveFeed.CONTAINER_STARTED: return "container-started";
            case LiveFeed.CONTAINER_STOPPED: return "container-stopped";
            case LiveFeed.CONTAINER_RELEASED: return "container-released";
            default: return "unknown";
        }
    }

    static String frame(LiveFeed.Event event, String task) {
        StringBuilder json = new StringBuilder(200)
                .append("id: ").append(event.sequence)
                .append("\nevent: ").append(name(event.kind))
                .append("\ndata: {\"seq\":").append(event.sequence)
                .append(",\"time\":\"").append(Instant.ofEpochMilli(event.epochMillis)).append('"')
                .append(",\"thread\":").append(event.threadId);
        if (task != null) {
            json.append(",\"task\":").append(string(task));
        }
        switch (event.kind) {
            case LiveFeed.TASK_FINISH:
                json.append(",\"outcome\":\"").append(Outcome.label(event.outcome)).append('"');
                seconds(json, event.durationNanos);
                break;
            case LiveFeed.TIMEOUT:
                json.append(",\"reason\":\"").append(reason(event.outcome)).append('"');
                if (event.outcome == LiveFeed.REASON_EXCEPTION || event.outcome == LiveFeed.REASON_DEADLINE) {
                    seconds(json, event.durationNanos);
                }
                break;
            case LiveFeed.CONTAINER_ALLOCATED:
                json.append(",\"outcome\":\"").append(Outcome.label(event.outcome)).append('"');
                seconds(json, event.durationNanos);
                json.append(",\"cpus\":").append(event.cpus).append(",\"memoryBytes\":").append(event.memoryBytes);
                container(json, event.container);
                break;
            case LiveFeed.CONTAINER_STARTED:
            case LiveFeed.CONTAINER_STOPPED:
            case LiveFeed.CONTAINER_RELEASED:
                container(json, event.container);
                break;
            default:
                break;
        }
        return json.append("}\n\n").toString();
    }

    private static void seconds(StringBuilder json, long nanos) {
        json.append(",\"durationSeconds\":").append(String.format(Locale.ROOT, "%.9f", nanos / 1e9));
    }

    private static void container(StringBuilder json, String id) {
        json.append(",\"container\":").append(id == null ? "null" : string(id));
    }

    static String reason(int reason) {
        switch (reason) {
            case LiveFeed.REASON_EXCEPTION: return "exception";
            case LiveFeed.REASON_DEADLINE: return "deadline";
            case LiveFeed.REASON_HANDLER: return "handler";
            default: return "future";
        }
    }

    /** {@code value} as a quoted JSON string. */
    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}

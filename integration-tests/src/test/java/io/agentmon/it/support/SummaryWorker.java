package io.agentmon.it.support;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The sample worker running on and on under the agent, as the summary and page tests use it. */
public final class SummaryWorker {

    public static final String[] TASKS = {"IngestJob.execute", "TransformJob.execute", "FetchJob.execute", "BuildJob.execute"};

    private SummaryWorker() {
    }

    /** Unbounded jobs at 50 a second on 4 threads, with the container allocator described. */
    public static WorkerProcess start() throws IOException {
        return WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", "com.acme.worker.jobs.Job+#execute")
                .property("agentmon.docker", "com.acme.worker.containers.ContainerAllocator#allocate")
                .property("agentmon.docker.cpu", "arg0")
                .property("agentmon.docker.memory", "arg1")
                .property("agentmon.docker.release", "com.acme.worker.containers.ContainerAllocator#release")
                .sampleWorker("--jobs", "0", "--rate", "50", "--threads", "4")
                .start();
    }

    /** GET /metrics/summary, parsed by the strict parser; fails unless it is 200 JSON. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> summary(int port) throws IOException {
        WorkerProcess.Response response = WorkerProcess.Http.get(port, "/metrics/summary", null);
        if (response.status != 200 || response.contentType == null || !response.contentType.startsWith("application/json")) {
            throw new AssertionError("GET /metrics/summary: " + response);
        }
        return (Map<String, Object>) Json.parse(response.body);
    }

    /** Polls the summary (bounded) until its history holds at least {@code samples} samples; returns that summary. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> awaitHistory(WorkerProcess worker, int port, int samples, int seconds) {
        Object[] last = new Object[1];
        worker.waitFor(seconds, samples + " history samples in /metrics/summary", () -> {
            try {
                Map<String, Object> summary = summary(port);
                last[0] = summary;
                return ((List<Object>) ((Map<String, Object>) summary.get("history")).get("times")).size() >= samples;
            } catch (IOException e) {
                return false;
            }
        });
        return (Map<String, Object>) last[0];
    }
}

package io.agentmon.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * The Micrometer side of {@link ScrapeBenchmark}: a {@link PrometheusMeterRegistry} holding, per
 * task label, the meters a user would write by hand for what agentmon exports per label, under
 * the same names, labels and help texts, with the same JVM, process and system binders agentmon's
 * own registry binds ({@code AgentMeterRegistry}) and the same common tag {@code service}:
 *
 * <ul>
 *   <li>{@code agentmon_task_duration_seconds{task, outcome}}: a {@link Timer} per outcome
 *   (success, failure, timeout), {@code serviceLevelObjectives} = agentmon's default
 *   {@code agentmon.task.buckets}, {@code publishPercentileHistogram(false)}: 12 buckets and
 *   {@code +Inf}, {@code _count}, {@code _sum}, and the {@code _max} gauge every Micrometer timer
 *   adds (16 series; agentmon's histogram has 15);</li>
 *   <li>{@code agentmon_task_failures_total{task, exception="TaskFailure"}}: a {@link Counter};</li>
 *   <li>{@code agentmon_tasks_active{task}}: a {@link Gauge} on an {@code AtomicInteger};</li>
 *   <li>{@code agentmon_tasks_stuck{task}} and {@code agentmon_task_oldest_inflight_seconds{task}}:
 *   a {@link Gauge} each on an {@code AtomicInteger} (0: nothing is in flight when scraped);</li>
 *   <li>{@code agentmon_task_timeouts_total{task, reason}}: two counters, {@code exception} and
 *   {@code future}, the two reasons agentmon exports for a task without a deadline.</li>
 * </ul>
 *
 * 54 series per label. The timers get the planned durations of {@link ScrapeWork} recorded
 * directly.
 *
 * <p>{@link #serve} exposes it as agentmon exposes its registry, over the JDK's
 * {@code com.sun.net.httpserver}: the same handler shape as agentmon's {@code MetricsHandler}
 * (the body into a {@code ByteArrayOutputStream} of 16 KiB, through a {@code GZIPOutputStream}
 * when the request accepts gzip, then sent with its length), with Micrometer's
 * {@code scrape(OutputStream, contentType)} writing the text format.
 */
final class MicrometerSide {

    static final int SERIES_PER_LABEL = 3 * 16 + 1 + 3 + 2;
    /**
     * For the Micrometer forks: the JDK's server leaves Nagle's algorithm on by default, and writes
     * the response head and the body separately, so a small body can wait for the client's
     * delayed ACK of the head; agentmon's server sets {@code TCP_NODELAY}. Equal terms.
     */
    static final String NO_DELAY = "-Dsun.net.httpserver.nodelay=true";
    static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    // agentmon's help texts (TaskMetricsCollector), so the bytes compare like with like
    static final String DURATION_HELP = "Duration of task method runs, by outcome (success, failure, timeout).";
    static final String FAILURES_HELP = "Task runs that ended in failure, by the simple class name of the exception thrown.";
    static final String TIMEOUTS_HELP = "Timeouts by task and source (reason), each counted once: exception = the task threw a TimeoutException "
            + "that no timed-out get or handler call in the same run had counted already, "
            + "deadline = it finished after its deadline, handler = a configured timeout handler ran, "
            + "future = a Future.get(timeout) gave up or orTimeout fired.";
    static final String ACTIVE_HELP = "Task runs in progress.";
    static final String STUCK_HELP = "Task runs in progress for longer than their deadline, or than agentmon.task.stuck.after (default 10m) for a task with none.";
    static final String OLDEST_HELP = "How long the oldest run of the task in progress has been running; 0 when none is.";
    static final String[] OUTCOMES = {"success", "failure", "timeout"};

    final PrometheusMeterRegistry registry;
    /** Gauges hold their object weakly: these keep the in-flight counts alive. */
    private final List<AtomicInteger> active = new ArrayList<>();
    private HttpServer server;

    MicrometerSide(String service, int labels) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmHeapPressureMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new JvmCompilationMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new DiskSpaceMetrics(new File(".").getAbsoluteFile()).bindTo(registry);
        for (int k = 0; k < labels; k++) {
            String task = GeneratedTasks.label(k);
            Timer[] timers = new Timer[OUTCOMES.length];
            for (int outcome = 0; outcome < OUTCOMES.length; outcome++) {
                timers[outcome] = Timer.builder("agentmon.task.duration")
                        .description(DURATION_HELP)
                        .tags("task", task, "outcome", OUTCOMES[outcome])
                        .serviceLevelObjectives(ScrapeWork.DEFAULT_BUCKETS)
                        .publishPercentileHistogram(false)
                        .register(registry);
            }
            Counter failures = Counter.builder("agentmon.task.failures").description(FAILURES_HELP)
                    .tags("task", task, "exception", "TaskFailure").register(registry);
            AtomicInteger inFlight = new AtomicInteger();
            active.add(inFlight);
            Gauge.builder("agentmon.tasks.active", inFlight, AtomicInteger::get).description(ACTIVE_HELP)
                    .tags("task", task).register(registry);
            Gauge.builder("agentmon.tasks.stuck", inFlight, AtomicInteger::get).description(STUCK_HELP)
                    .tags("task", task).register(registry);
            Gauge.builder("agentmon.task.oldest.inflight", inFlight, AtomicInteger::get).baseUnit("seconds")
                    .description(OLDEST_HELP).tags("task", task).register(registry);
            Counter.builder("agentmon.task.timeouts").description(TIMEOUTS_HELP)
                    .tags("task", task, "reason", "exception").register(registry);
            Counter.builder("agentmon.task.timeouts").description(TIMEOUTS_HELP)
                    .tags("task", task, "reason", "future").register(registry);
            for (int run = 0; run < ScrapeWork.RUNS; run++) {
                boolean failed = run == ScrapeWork.FAILING_RUN;
                timers[failed ? 1 : 0].record(ScrapeWork.nanos(k, run), TimeUnit.NANOSECONDS);
                if (failed) {
                    failures.increment();
                }
            }
        }
    }

    /** Serves {@code /metrics} on 127.0.0.1 and a free port; returns the port. */
    int serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            try {
                String acceptEncoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
                boolean gzip = acceptEncoding != null && acceptEncoding.toLowerCase(Locale.ROOT).contains("gzip");
                ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
                try (OutputStream out = gzip ? new GZIPOutputStream(body) : body) {
                    registry.scrape(out, TEXT_CONTENT_TYPE);
                }
                exchange.getResponseHeaders().set("Content-Type", TEXT_CONTENT_TYPE);
                if (gzip) {
                    exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                }
                exchange.sendResponseHeaders(200, body.size());
                try (OutputStream out = exchange.getResponseBody()) {
                    body.writeTo(out);
                }
            } finally {
                exchange.close();
            }
        });
        server.start(); // no executor: the server's dispatcher thread runs the handler, one request at a time
        return server.getAddress().getPort();
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        registry.close();
    }
}

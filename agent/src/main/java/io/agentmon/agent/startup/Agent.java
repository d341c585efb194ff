package io.agentmon.agent.startup;

import io.agentmon.agent.AgentLog;
import io.agentmon.agent.JsonText;
import io.agentmon.agent.cli.AgentCli;
import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.config.Framework;
import io.agentmon.agent.Echo;
import io.agentmon.agent.config.OtelConfig;
import io.agentmon.agent.frameworks.Frameworks;
import io.agentmon.agent.http.Endpoint;
import io.agentmon.agent.instrument.InstrumentationStats;
import io.agentmon.agent.instrument.AgentInstrumentation;
import io.agentmon.agent.instrument.ClassLoadActivity;
import io.agentmon.agent.live.FeedFanout;
import io.agentmon.agent.metrics.AgentMeterRegistry;
import io.agentmon.agent.metrics.ExporterCounts;
import io.agentmon.agent.metrics.SpanExemplars;
import io.agentmon.agent.otlp.OtlpSetup;
import io.agentmon.agent.otlp.PushCounts;
import io.agentmon.agent.otlp.SpanCounts;
import io.agentmon.agent.summary.Summary;
import io.agentmon.bootstrap.TaskRecorders;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** One running agent: the installed instrumentation, then the endpoint started in the background. */
final class Agent {

    private static final long STRICT_START_TIMEOUT_SECONDS = 30;

    private final AgentConfig config;
    private final OtelConfig otel;
    private final InstrumentationStats stats;
    private final ClassLoadActivity classLoads;
    private final int matcherCount;
    /** When the agent began counting: the start of every cumulative total it pushes. */
    private final long startEpochMillis;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Throwable startFailure;
    private volatile boolean serving;

    private Agent(AgentConfig config, OtelConfig otel, InstrumentationStats stats, ClassLoadActivity classLoads,
            int matcherCount, long startEpochMillis) {
        this.config = config;
        this.otel = otel;
        this.stats = stats;
        this.classLoads = classLoads;
        this.matcherCount = matcherCount;
        this.startEpochMillis = startEpochMillis;
    }

    /** The part that must run before the worker's classes load. */
    static Agent install(AgentConfig config, OtelConfig otel, Instrumentation instrumentation) throws IOException {
        long startEpochMillis = System.currentTimeMillis(); // before weaving, so before the first count
        BootstrapJar.appendTo(instrumentation);
        OtlpSetup.enableProbes(otel); // before weaving: woven code reads the switch
        InstrumentationStats stats = new InstrumentationStats();
        ClassLoadActivity classLoads = new ClassLoadActivity();
        AgentInstrumentation.install(instrumentation, config, stats, classLoads, Frameworks.extensions(config));
        return new Agent(config, otel, stats, classLoads, config.tasks().size(), startEpochMillis);
    }

    void startInBackground() {
        // A daemon thread, like every thread the agent starts: the agent never keeps a worker alive.
        Thread thread = new Thread(this::serve, "agentmon-start");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits for the endpoint; throws what stopped it from starting. */
    void awaitStarted() throws Throwable {
        if (!started.await(STRICT_START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the endpoint did not start within " + STRICT_START_TIMEOUT_SECONDS + "s");
        }
        if (startFailure != null) {
            throw startFailure;
        }
    }

    private void serve() {
        // First, and whatever fails after it: the tables fill whether or not anything reads them.
        new Housekeeping().start();
        String service = config.service() != null ? config.service()
                : ServiceName.fromCommand(System.getProperty("sun.java.command"));
        SpanExemplars exemplars = SpanExemplars.NONE;
        try {
            // Spans do not depend on the endpoint: a taken port must not stop them.
            exemplars = OtlpSetup.startExport(otel, service, version());
        } catch (Throwable e) {
            AgentLog.warn("tracing could not start: " + e + "; metrics are recorded, spans are dropped");
        }
        // The rest waits for the worker's start-up to settle, so as not to compete with it for the
        // cores (binding the port and Micrometer's binders cost 0.1-0.6 s of a core at a JVM's
        // start); spans are exported from the start, since their buffer is bounded. In strict mode
        // premain waits for the port, and the worker with it, so there is nothing to wait for.
        if (!config.strict() && !SettledStartup.await(classLoads::quietNanos, SettledStartup.QUIET_NANOS,
                SettledStartup.AT_MOST_NANOS)) {
            started.countDown();
            return; // interrupted: the JVM is going away
        }
        boolean pushing = false;
        AgentMeterRegistry metrics = null;
        Summary summary = null;
        try {
            // Built before binding, so that a worker that pushes its metrics still does when the
            // port is taken. The exporters' own counts, read at each scrape: startup is the one
            // package that knows them all.
            ExporterCounts exporters = new ExporterCounts(FeedFanout::dropped, SpanCounts::dropped, SpanCounts::exported,
                    PushCounts::failed);
            metrics = AgentMeterRegistry.create(service, version(), config, exemplars, exporters);
            for (MultiCollector collector : Frameworks.collectors(config, service)) {
                metrics.registry().register(collector);
            }
            try {
                OtlpSetup.startMetricsPush(otel, metrics::withJvmMetrics, service, version(), startEpochMillis);
                pushing = otel != null && otel.metrics() != null;
            } catch (Throwable e) {
                AgentLog.warn("metrics push could not start: " + e + "; metrics are still served");
            }
            summary = new Summary(service, version(), config.executorNames(), !config.docker().isEmpty());
            // Throws, naming the key, when the port is taken or the protection cannot be set up.
            Endpoint endpoint = Endpoint.start(config.host(), config.port(), config.http(), metrics::withJvmMetrics,
                    config.histograms(), this::readiness, config.taskStacks(), summary::json);
            serving = true;
            EndpointAtExit.register(endpoint);
            // For `java -jar agentmon.jar attach`, which reads it through the Attach API.
            String url = (endpoint.isTls() ? "https://" : "http://") + StartLine.openableHost(endpoint.address(), config.host())
                    + ":" + endpoint.address().getPort() + "/metrics";
            System.setProperty(AgentCli.ENDPOINT_PROPERTY, url);
            AgentLog.info(version() + " serving " + url + " for service=" + service + " with " + matcherCount + " task matcher"
                    + (matcherCount == 1 ? "" : "s") + (matcherCount == 0 ? " (agentmon.tasks is empty)" : "")
                    + frameworksKnown()
                    + StartLine.listening(endpoint.address(), config.host(), endpoint.isAuthenticated()));
        } catch (Throwable e) {
            startFailure = e;
            if (!config.strict()) {
                AgentLog.warn((e instanceof IOException ? e.getMessage() : "could not start: " + e)
                        + (pushing ? "; metrics are pushed over OTLP only" : "; the worker runs on unmonitored"));
            }
        } finally {
            started.countDown();
        }
        if (serving) {
            checkTaskMatchersLater();
        }
        if (serving || pushing) {
            // A scrape or push that comes before this binds the binders itself, so none reads the
            // registry without them.
            metrics.bindJvmMetrics();
            if (serving) {
                summary.start(); // one daemon thread sampling what /metrics/summary and the page chart
            }
        }
    }

    /**
     * Once classes have had time to load ({@code agentmon.tasks.check.after}), names the task
     * matchers that wove nothing and the deadline labels no task has: a typo there is otherwise
     * silent, a READY agent with no task series.
     */
    private void checkTaskMatchersLater() {
        Thread thread = new Thread(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(config.tasksCheckAfterNanos());
            } catch (InterruptedException e) {
                return;
            }
            stats.unmatched(config.tasks(), true);
            for (String label : unknownDeadlineLabels()) {
                AgentLog.warn("agentmon.task.deadline." + label + ": no task has the label " + Echo.quote(label)
                        + " (a label is Class.method of a matched method, or the label= of its matcher); the deadline applies to none");
            }
        }, "agentmon-check-tasks");
        thread.setDaemon(true);
        thread.start();
    }

    /** The start line's word on agentmon.frameworks, whose jobs are tasks too: ", and the jobs of quartz, kafka". */
    private String frameworksKnown() {
        if (config.frameworks().isEmpty()) {
            return "";
        }
        return ", and the jobs of " + config.frameworks().stream().map(Framework::key).collect(Collectors.joining(", "))
                + " when present (agentmon.frameworks)";
    }

    private List<String> unknownDeadlineLabels() {
        List<String> unknown = new ArrayList<>();
        for (String label : new TreeSet<>(config.deadlineLabels())) {
            if (!TaskRecorders.hasLabel(label)) {
                unknown.add(label);
            }
        }
        return unknown;
    }

    private String readiness() {
        // DEGRADED: serving, but a JDK class of the fixed instrumentation could not be woven
        // (another agent's change to it, say); lostHooks names them. Still HTTP 200: the worker
        // itself is fine, and a readiness probe must not take it out of service for that.
        Set<String> lost = stats.lostHooks();
        String status = !serving ? "STARTING" : lost.isEmpty() ? "READY" : "DEGRADED";
        return "{\"status\":\"" + status + "\",\"serving\":" + serving
                + ",\"lostHooks\":" + jsonList(lost)
                + ",\"taskMatchers\":" + matcherCount
                + ",\"unmatchedTaskMatchers\":" + jsonList(stats.unmatched(config.tasks(), false))
                + ",\"unknownDeadlineLabels\":" + jsonList(unknownDeadlineLabels())
                + ",\"wovenMethods\":" + stats.wovenMethods()
                + ",\"instrumentationErrors\":" + stats.errors() + "}";
    }

    private static String jsonList(Collection<String> values) {
        return "[" + values.stream().map(JsonText::string).collect(Collectors.joining(",")) + "]";
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}

package io.agentmon.benchmarks;

import benchworker.WovenTask;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What tracing adds to a woven task call: the span's ids and parent, and, when sampled, its
 * record in the span ring. Each benchmark forks its own JVM under {@code agentmon.jar} with the
 * {@code otel.*} settings it measures; spans go over OTLP/HTTP to a sink in the same JVM
 * ({@link Sink}: 127.0.0.1:{@value #SINK_PORT}, answers every export with an empty success).
 *
 * <ul>
 * <li>{@code untraced}: tracing off (the number TaskProbeBenchmark measures);</li>
 * <li>{@code sampledOut}: tracing on, {@code otel.traces.sampler=always_off}: ids and parent,
 *     nothing recorded;</li>
 * <li>{@code sampledFlood}: every call sampled, as fast as one thread can call: the exporter
 *     cannot keep up with ~10 million spans a second, so most calls find the ring full and drop
 *     (counted); tear-down prints how many were recorded;</li>
 * <li>{@code sampledRecorded}: every call sampled and its span recorded in the ring: what a
 *     worker's thread pays per sampled span when the exporter keeps up. No exporter could keep
 *     up with one thread calling a tiny task in a loop, so here tracing is switched on by
 *     {@code Traces.enable} (the call the agent makes for {@code otel.traces.exporter=otlp})
 *     and the ring is emptied by a benchmark thread that discards what it polls
 *     ({@link RingConsumer}), standing in for the agent's exporter thread; tear-down fails the
 *     trial if more than 1 % of the spans of a measured iteration were dropped.</li>
 * </ul>
 *
 * <p>B/op counts the allocation of every thread in the JVM (JMH's GC profiler), so in
 * {@code sampledFlood} it includes the exporter thread building and sending spans; the
 * worker's thread allocates nothing (see {@code sampledRecorded}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TracingBenchmark {

    static final int SINK_PORT = 14318;
    private static final String ENDPOINT = "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + SINK_PORT;

    /** The OTLP/HTTP sink, started before the first span is exported (the exporter connects lazily). */
    @State(Scope.Benchmark)
    public static class Sink {
        final WovenTask woven = new WovenTask();
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private HttpServer server;
        private long recordedBefore;
        private long droppedBefore;

        @Setup(Level.Trial)
        public void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", SINK_PORT), 64);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    bytes.addAndGet(in.readAllBytes().length);
                }
                requests.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse: all accepted
                exchange.close();
            });
            server.start();
            TaskProbeBenchmark.Recorders.load();
        }

        @Setup(Level.Iteration)
        public void mark() {
            recordedBefore = SpanCounts.recorded();
            droppedBefore = SpanCounts.dropped();
        }

        /** Per iteration: how many calls recorded a span, and how many found the ring full. */
        @TearDown(Level.Iteration)
        public void check(BenchmarkParams params, IterationParams iteration) {
            String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            long offered = SpanCounts.recorded() - recordedBefore;
            long dropped = SpanCounts.dropped() - droppedBefore;
            System.out.printf("%n%s: spans offered %d, recorded %d, dropped %d (%.1f %%); sink: %d exports, %d bytes%n",
                    name, offered, offered - dropped, dropped, offered == 0 ? 0 : 100.0 * dropped / offered,
                    requests.get(), bytes.get());
            boolean traced = name.equals("sampledFlood") || name.equals("sampledRecorded");
            if (traced != (offered > 0)) {
                throw new IllegalStateException(name + ": " + offered + " spans offered; tracing is not as configured");
            }
            // Warm-up iterations may drop while both threads are being compiled; measured ones may not.
            if (name.equals("sampledRecorded") && iteration.getType() == IterationType.MEASUREMENT
                    && dropped > offered / 100) {
                throw new IllegalStateException(name + ": " + dropped + " of " + offered
                        + " spans dropped: the exporter did not keep up, so the number is not that of a recorded span");
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.stop(0);
        }
    }

    @State(Scope.Thread)
    public static class Input {
        long value = 42;
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-javaagent:" + TaskProbeBenchmark.AGENT_JAR,
            "-Dagentmon.tasks=" + TaskProbeBenchmark.TASKS, "-Dagentmon.port=0", "-Dagentmon.host=127.0.0.1",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,benchworker.*::*"})
    public long untraced(Sink sink, Input input) {
        return sink.woven.run(input.value);
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-javaagent:" + TaskProbeBenchmark.AGENT_JAR,
            "-Dagentmon.tasks=" + TaskProbeBenchmark.TASKS, "-Dagentmon.port=0", "-Dagentmon.host=127.0.0.1",
            "-Dotel.traces.exporter=otlp", ENDPOINT, "-Dotel.traces.sampler=always_off",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,benchworker.*::*"})
    public long sampledOut(Sink sink, Input input) {
        return sink.woven.run(input.value);
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-javaagent:" + TaskProbeBenchmark.AGENT_JAR,
            "-Dagentmon.tasks=" + TaskProbeBenchmark.TASKS, "-Dagentmon.port=0", "-Dagentmon.host=127.0.0.1",
            "-Dotel.traces.exporter=otlp", ENDPOINT,
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,benchworker.*::*"})
    public long sampledFlood(Sink sink, Input input) {
        return sink.woven.run(input.value);
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-javaagent:" + TaskProbeBenchmark.AGENT_JAR,
            "-Dagentmon.tasks=" + TaskProbeBenchmark.TASKS, "-Dagentmon.port=0", "-Dagentmon.host=127.0.0.1",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,benchworker.*::*"})
    public long sampledRecorded(RingConsumer consumer, Sink sink, Input input) {
        return sink.woven.run(input.value);
    }

    /**
     * Switches tracing on (always sampled) without the agent's exporter thread, and empties the
     * span ring on a thread of its own every {@value #BURST_EVERY_NANOS} ns (a few thousand
     * spans at a time, well before the 8192-slot ring fills), discarding every span.
     */
    @State(Scope.Benchmark)
    public static class RingConsumer {
        static final long BURST_EVERY_NANOS = 200_000;
        private volatile boolean running = true;
        private Thread thread;

        @Setup(Level.Trial)
        public void start() throws Throwable {
            Class<?> traces = Class.forName("io.agentmon.bootstrap.Traces", true, null);
            traces.getMethod("enable", int.class, boolean.class, double.class)
                    .invoke(null, traces.getField("ALWAYS_ON").getInt(null), true, 1.0);
            Class<?> ring = Class.forName("io.agentmon.bootstrap.SpanRing", true, null);
            Class<?> span = Class.forName("io.agentmon.bootstrap.SpanRing$Span", true, null);
            MethodHandle poll = MethodHandles.publicLookup()
                    .findStatic(ring, "poll", MethodType.methodType(boolean.class, span))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            Object into = span.getConstructor().newInstance();
            thread = new Thread(() -> {
                try {
                    while (running) {
                        // In bursts, like the exporter thread (which takes up to 512 at a time): a
                        // consumer spinning on the ring would fight the producer for its cache lines.
                        LockSupport.parkNanos(BURST_EVERY_NANOS);
                        while ((boolean) poll.invokeExact(into)) {
                            // discard
                        }
                    }
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }, "benchmark-ring-consumer");
            thread.setDaemon(true);
            thread.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /** {@code io.agentmon.bootstrap.SpanRing}'s counters, read by reflection (the bootstrap loader has it). */
    static final class SpanCounts {
        private static final java.lang.reflect.Method RECORDED;
        private static final java.lang.reflect.Method DROPPED;

        static {
            try {
                Class<?> ring = Class.forName("io.agentmon.bootstrap.SpanRing", true, null);
                RECORDED = ring.getMethod("recorded");
                DROPPED = ring.getMethod("dropped");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("agentmon is not attached: " + e, e);
            }
        }

        static long recorded() {
            return call(RECORDED);
        }

        static long dropped() {
            return call(DROPPED);
        }

        private static long call(java.lang.reflect.Method method) {
            try {
                return (Long) method.invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

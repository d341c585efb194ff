package io.agentmon.benchmarks;

import benchworker.PlainTask;
import benchworker.WovenTask;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.BenchmarkParams;

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
 * <li>{@code sampledPaced}: every call sampled, each call followed by ≈ 2 µs of
 *     {@link Blackhole#consumeCPU} so that the exporter keeps up and every span is recorded
 *     (tear-down fails the trial if more than 1 % dropped); subtract {@code plainPaced}, the
 *     same pacing around the plain task, to get the cost of a recorded span.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TracingBenchmark {

    static final int SINK_PORT = 14318;
    private static final String ENDPOINT = "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + SINK_PORT;
    private static final long PACING_TOKENS = 1000;

    /** The OTLP/HTTP sink, started before the first span is exported (the exporter connects lazily). */
    @State(Scope.Benchmark)
    public static class Sink {
        final WovenTask woven = new WovenTask();
        final PlainTask plain = new PlainTask();
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
        public void check(BenchmarkParams params) {
            String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            long offered = SpanCounts.recorded() - recordedBefore;
            long dropped = SpanCounts.dropped() - droppedBefore;
            System.out.printf("%n%s: spans offered %d, recorded %d, dropped %d (%.1f %%); sink: %d exports, %d bytes%n",
                    name, offered, offered - dropped, dropped, offered == 0 ? 0 : 100.0 * dropped / offered,
                    requests.get(), bytes.get());
            boolean traced = name.startsWith("sampled");
            if (traced != (offered > 0)) {
                throw new IllegalStateException(name + ": " + offered + " spans offered; tracing is not as configured");
            }
            if (name.equals("sampledPaced") && dropped > offered / 100) {
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
            "-Dotel.traces.exporter=otlp", ENDPOINT,
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,benchworker.*::*"})
    public long sampledPaced(Sink sink, Input input) {
        Blackhole.consumeCPU(PACING_TOKENS);
        return sink.woven.run(input.value);
    }

    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-javaagent:" + TaskProbeBenchmark.AGENT_JAR,
            "-Dagentmon.tasks=" + TaskProbeBenchmark.TASKS, "-Dagentmon.port=0", "-Dagentmon.host=127.0.0.1",
            "-Dotel.traces.exporter=otlp", ENDPOINT,
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,benchworker.*::*"})
    public long plainPaced(Sink sink, Input input) {
        Blackhole.consumeCPU(PACING_TOKENS);
        return sink.plain.run(input.value);
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

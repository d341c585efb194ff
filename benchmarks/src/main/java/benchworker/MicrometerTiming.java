package benchworker;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The "hand-written Micrometer timer" a worker's author would write instead of an agent: one
 * Micrometer {@link Timer} per task ({@code task_duration_seconds{task="<class name>"}}, no
 * percentile histogram: Micrometer's default) in a {@link PrometheusMeterRegistry} the worker
 * creates, each run wrapped in {@link Timer#record(Runnable)}, and the registry's
 * {@code scrape()} served on {@code http://127.0.0.1:<port>/metrics} by the JDK's
 * {@link HttpServer} ({@code -Dbenchworker.port}, default 0: any free port; the line
 * {@code micrometer: serving http://127.0.0.1:<port>/metrics} says which). No JVM binders: only
 * the timers. Loaded by {@link Timing#forTasks} by name, so its Micrometer classes are needed
 * only in the configuration that asks for it.
 */
public final class MicrometerTiming extends Timing {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer[] timers;

    public MicrometerTiming(String[] names) throws IOException {
        timers = new Timer[names.length];
        for (int i = 0; i < names.length; i++) {
            timers[i] = Timer.builder("task.duration").tag("task", names[i]).register(registry);
        }
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.getInteger("benchworker.port", 0)), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("micrometer: serving http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    @Override
    public void run(int task, Runnable body) {
        timers[task].record(body);
    }
}

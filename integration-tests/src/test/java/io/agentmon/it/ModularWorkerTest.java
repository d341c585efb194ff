package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * A modular worker ({@code java -m}) resolves only the JDK modules it requires: the endpoint
 * must serve with {@code java.base} alone. (On the JDK's {@code com.sun.net.httpserver} it needed
 * {@code --add-modules jdk.httpserver}, and without it served nothing.)
 */
class ModularWorkerTest {

    @Test
    void aModularWorkerIsServedWithoutExtraModules() throws Exception {
        Path dir = Files.createTempDirectory("agentmon-modular-");
        Path source = dir.resolve("src");
        Files.createDirectories(source.resolve("demo/worker"));
        Files.write(source.resolve("module-info.java"), "module demo.worker { }\n".getBytes(StandardCharsets.UTF_8));
        Files.write(source.resolve("demo/worker/Main.java"), ("package demo.worker;\n"
                + "public class Main {\n"
                + "    public static void main(String[] args) throws Exception {\n"
                + "        System.out.println(\"modular worker running\");\n"
                + "        Thread.sleep(60_000);\n"
                + "    }\n"
                + "}\n").getBytes(StandardCharsets.UTF_8));
        Path classes = dir.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "--release", "11", "-d", classes.toString(),
                source.resolve("module-info.java").toString(), source.resolve("demo/worker/Main.java").toString());
        assertEquals(0, compiled, "the module compiles");
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", "demo.worker.Main#main")
                .jvmArg("--module-path")
                .jvmArg(classes.toString())
                .jvmArg("-m")
                .jvmArg("demo.worker/demo.worker.Main")
                .start()) {
            int port = worker.agentPort();
            WorkerProcess.Response health = WorkerProcess.Http.get(port, "/health", null);
            assertEquals(200, health.status, health.toString());
            assertTrue(WorkerProcess.Http.get(port, "/metrics", null).body.contains("agentmon_info"));
        }
    }
}

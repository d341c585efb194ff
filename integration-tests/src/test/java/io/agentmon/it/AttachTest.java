package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.attach.LateWorker;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar agentmon.jar attach <pid>} on a worker started without the agent: its
 * already-loaded task class is woven by retransformation and its existing pool is found; a
 * second attach changes nothing and counts nothing twice.
 */
class AttachTest {

    private static final String TASK = "LateWorker.step";
    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics");

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachingToARunningWorkerWeavesItOnceAndServes(Path java) throws Exception {
        try (WorkerProcess worker = WorkerProcess.builder(java).withoutAgent()
                .fixture(LateWorker.class, Collections.emptyList())
                .start()) {
            worker.waitFor(30, "'ready'", () -> worker.stdout().contains("ready 1"));
            String pid = String.valueOf(worker.pid());

            String first = cli(java, "attach", pid, "port=0", "host=127.0.0.1", "tasks=" + LateWorker.class.getName() + "#step");
            Matcher serving = SERVING.matcher(first);
            assertTrue(serving.find(), first);
            int port = Integer.parseInt(serving.group(1));
            String listed = cli(java, "list");
            assertTrue(listed.lines().anyMatch(line -> line.startsWith(pid + "\t")
                    && line.endsWith("\tagentmon serving http://127.0.0.1:" + port + "/metrics")), "list marks it now:\n" + listed);

            worker.writeLine("run 50");
            worker.waitFor(30, "50 runs", () -> worker.stdout().contains("ran 51"));
            Scrape afterFirst = WorkerProcess.Http.scrape(port);
            assertEquals(50, afterFirst.value("agentmon_task_duration_seconds_count", "task", TASK, "outcome", "success"),
                    "runs after the attach, in a class loaded before it");
            assertEquals(51, afterFirst.value("agentmon_executor_completed_tasks_total", "pool", "late"),
                    "the pool built before the attach is found and read");

            String second = cli(java, "attach", pid, "port=0", "host=127.0.0.1", "tasks=" + LateWorker.class.getName() + "#step");
            assertTrue(second.contains("already attached") && second.contains(":" + port + "/metrics"), second);

            worker.writeLine("run 30");
            worker.waitFor(30, "30 more runs", () -> worker.stdout().contains("ran 81"));
            Scrape afterSecond = WorkerProcess.Http.scrape(port);
            assertEquals(80, afterSecond.value("agentmon_task_duration_seconds_count", "task", TASK, "outcome", "success"),
                    "a second attach counts nothing twice");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void listFindsTheSampleWorkerAndAttachMonitorsIt(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("attach").resolve("tally.properties");
        WorkerProcess worker = WorkerProcess.builder(java).withoutAgent()
                .sampleWorker("--jobs", "0", "--rate", "100", "--print-every", "0", "--tally", tallyFile.toString())
                .start();
        double scraped;
        try {
            worker.waitFor(30, "the worker's start line", () -> worker.stdout().contains("sample-worker:"));
            String pid = String.valueOf(worker.pid());
            String list = cli(java, "list");
            assertTrue(list.lines().anyMatch(line -> line.startsWith(pid + "\t") && line.contains("sample-worker.jar")
                    && !line.contains("agentmon serving")), list);

            String attached = cli(java, "attach", pid, "port=0", "host=127.0.0.1", "tasks=com.acme.worker.jobs.Job+#execute");
            Matcher serving = SERVING.matcher(attached);
            assertTrue(serving.find(), attached);
            int port = Integer.parseInt(serving.group(1));
            worker.waitFor(60, "100 jobs recorded", () -> totalRuns(port) >= 100);
            assertTrue(WorkerProcess.Http.scrape(port).find("agentmon_executor_completed_tasks_total", "pool", "worker").size() == 1,
                    "the worker's pool, built before the attach, is reported");
            scraped = totalRuns(port);
        } finally {
            worker.close(); // SIGTERM: the worker writes its tally from its shutdown hook
        }
        Properties tally = worker.awaitProperties(tallyFile, 30);
        long total = Long.parseLong(tally.getProperty("total.count"));
        // The worker counted from its start, the agent from the attach: never more than the worker ran.
        assertTrue(scraped >= 100 && scraped <= total, "scraped " + scraped + " of the worker's " + total + " jobs");
    }

    private static double totalRuns(int port) {
        try {
            return WorkerProcess.Http.scrape(port).sum("agentmon_task_duration_seconds_count");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the agent jar's command line with the same JDK; returns its stdout and stderr. */
    private static String cli(Path java, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Arrays.asList(java.toString(), "-jar", WorkerProcess.AGENT_JAR.toString()));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the attach command finished");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}

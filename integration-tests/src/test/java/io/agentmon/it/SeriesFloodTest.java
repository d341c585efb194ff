package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.fixtures.flood.FloodWorker;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Far more task labels than the series budget holds: thousands of generated task classes, one
 * label each. The labels beyond the budget fold into {@code other}, so the scrape stops growing,
 * and every run is still counted, under its own label or {@code other}.
 */
class SeriesFloodTest {

    private static final int CLASSES = 3000;
    private static final int RUNS_PER_CLASS = 3;
    /** 3 outcomes x (12 default bounds + 3) + 17 failures + 3 gauges + 4 timeout reasons. */
    private static final int SERIES_PER_TASK = 69;

    @TempDir
    static Path classes;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateTaskClasses() throws IOException {
        Path sources = Files.createDirectories(classes.resolve("src/flood/gen"));
        List<String> arguments = new ArrayList<>(List.of("--release", "11", "-nowarn", "-d", classes.toString()));
        for (int i = 0; i < CLASSES; i++) {
            Path source = sources.resolve("Job" + i + ".java");
            Files.write(source, ("package flood.gen;\npublic class Job" + i + " implements Runnable {\n"
                    + "    public static int runs;\n    public void run() { runs++; }\n}\n").getBytes(StandardCharsets.UTF_8));
            arguments.add(source.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, arguments.toArray(new String[0])), "the generated classes compile");
    }

    @Test
    void labelsBeyondTheBudgetFoldIntoOtherAndTheScrapeStopsGrowing() throws Exception {
        try (WorkerProcess worker = flood("400,1000," + CLASSES, null)) {
            int port = worker.agentPort();
            List<Scrape> scrapes = new ArrayList<>();
            List<Properties> tallies = new ArrayList<>();
            for (int phase = 0; phase < 3; phase++) {
                tallies.add(worker.awaitProperties(dir.resolve("phase" + phase + ".properties"), 120));
                scrapes.add(WorkerProcess.Http.scrape(port));
                worker.writeLine("go on");
            }
            assertEquals(0, worker.awaitExit(60), worker.stderr());

            // The default budget holds 144 task labels, less any a pool name took first (History samples pools).
            Set<String> firstLabels = labels(scrapes.get(0));
            int admitted = firstLabels.size() - 1;
            assertTrue(admitted <= 10_000 / SERIES_PER_TASK && admitted >= 10_000 / SERIES_PER_TASK - 3,
                    "task labels within the budget: " + admitted);
            for (int phase = 0; phase < 3; phase++) {
                Scrape scrape = scrapes.get(phase);
                long runs = Long.parseLong(tallies.get(phase).getProperty("runs"));
                assertEquals(runs, scrape.sum("agentmon_task_duration_seconds_count"),
                        "every run counted, under its own label or other (phase " + phase + ")");
                Set<String> tasks = labels(scrape);
                assertTrue(tasks.contains("other"), "labels beyond the budget share other: " + tasks.size());
                assertEquals(firstLabels, tasks, "the labels that fit, and other: the same in every phase");
                long folded = Long.parseLong(tallies.get(phase).getProperty("classes")) - admitted;
                assertEquals(folded, scrape.sum("agentmon_dropped_total", "what", "series"), "each folded label counted once");
                assertEquals((folded) * RUNS_PER_CLASS, scrape.sum("agentmon_task_duration_seconds_count", "task", "other"),
                        "the folded labels' runs are other's");
            }
            // Flat: the same agentmon series after 400, 1000 and 3000 task classes; bytes grow only with counts' digits.
            assertEquals(agentmonSeries(scrapes.get(0)), agentmonSeries(scrapes.get(2)));
            assertEquals(agentmonSeries(scrapes.get(1)), agentmonSeries(scrapes.get(2)));
            int first = scrapes.get(0).text().length();
            int last = scrapes.get(2).text().length();
            assertTrue(last < first * 1.05, "scrape bytes " + first + " then " + last);
            assertTrue(agentmonSeries(scrapes.get(2)) < 10_000 + 2 * SERIES_PER_TASK + 200,
                    "within the budget, other and unknown: " + agentmonSeries(scrapes.get(2)));
        }
    }

    /** With a budget too large to bind, the label cap does: 2048 task labels exactly, then other. */
    @Test
    void theLabelCapIs2048AndLateTasksAreStillCounted() throws Exception {
        try (WorkerProcess worker = flood(String.valueOf(CLASSES), "10000000")) {
            int port = worker.agentPort();
            Properties tally = worker.awaitProperties(dir.resolve("phase0.properties"), 180);
            Scrape scrape = WorkerProcess.Http.scrape(port);
            worker.writeLine("end");
            assertEquals(0, worker.awaitExit(60), worker.stderr());
            Set<String> tasks = labels(scrape);
            tasks.remove("other");
            assertEquals(2048, tasks.size(), "task labels besides other");
            assertEquals(Long.parseLong(tally.getProperty("runs")), scrape.sum("agentmon_task_duration_seconds_count"));
            assertEquals(CLASSES - 2048, scrape.sum("agentmon_dropped_total", "what", "series"));
        }
    }

    private WorkerProcess flood(String phases, String seriesMax) throws IOException {
        WorkerProcess.Builder builder = WorkerProcess.builder(Jdks.current())
                .onLoopback()
                .property("agentmon.tasks", "flood.gen.Job*#run");
        if (seriesMax != null) {
            builder.property("agentmon.series.max", seriesMax);
        }
        return builder.fixture(FloodWorker.class, List.of(classes), phases, String.valueOf(RUNS_PER_CLASS),
                dir.toString()).start();
    }

    private static Set<String> labels(Scrape scrape) {
        Set<String> tasks = new TreeSet<>();
        for (Scrape.Sample sample : scrape.find("agentmon_task_duration_seconds_count")) {
            tasks.add(sample.labels.get("task"));
        }
        return tasks;
    }

    private static long agentmonSeries(Scrape scrape) {
        return scrape.samples().stream().filter(sample -> sample.name.startsWith("agentmon_task")).count();
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.it.fixtures.matchers.MatcherFixture;
import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every matcher form against a fixture that counts its own calls: the scraped task labels and
 * their counts must be exactly the fixture's tally. That also proves what must NOT happen: a
 * method matched twice (by name and by annotation) or reached through a bridge method counts
 * once; a lambda (a hidden class) is not matched.
 */
class TaskMatcherFormsTest {

    private static final String PKG = "io.agentmon.it.fixtures.matchers.";
    private static final String TASKS = String.join(",",
            PKG + "Reporter#publish",
            PKG + "*Step#apply",
            PKG + "Handler+#handle",
            "ledger=" + PKG + "Ledger#record",
            "@" + PKG + "Audited",
            PKG + "GenericHandler+#handle",
            "ingest=" + PKG + "Ingest#run",
            PKG + "Recursive#fib",
            PKG + "Isolated#work");

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyMatcherFormCountsExactlyTheFixturesCalls(Path java) throws Exception {
        Path tallyFile = Files.createTempDirectory("matchers").resolve("tally.properties");
        try (WorkerProcess fixture = WorkerProcess.builder(java)
                .onLoopback()
                .property("agentmon.tasks", TASKS)
                .fixture(MatcherFixture.class, Collections.emptyList(), tallyFile.toString())
                .start()) {
            int port = fixture.agentPort();
            Properties tally = fixture.awaitProperties(tallyFile, 60);
            Scrape scrape = WorkerProcess.Http.scrape(port);

            Map<String, Long> expected = new TreeMap<>();
            tally.stringPropertyNames().forEach(label -> expected.put(label, Long.parseLong(tally.getProperty(label))));
            Map<String, Long> scraped = new TreeMap<>();
            for (Scrape.Sample sample : scrape.find("agentmon_task_duration_seconds_count", "outcome", "success")) {
                scraped.put(sample.labels.get("task"), (long) sample.value);
            }
            assertEquals(expected, scraped);
            // The fixture's expectations themselves, so a fixture that stopped calling things can't pass.
            assertEquals(8L, expected.get("ledger"), "Ledger.record: 5 direct calls + 3 from Reporter.publish");
            assertEquals(15L, expected.get("Recursive.fib"), "fib(5) makes 15 calls");
            assertEquals(5L, expected.get("StringHandler.handle"), "bridge calls count once");
            assertEquals(7L, expected.get("Isolated.work"));
            assertEquals(11, expected.size());
        }
    }
}

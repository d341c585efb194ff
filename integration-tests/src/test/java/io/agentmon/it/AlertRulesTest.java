package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.agentmon.it.support.Promtool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped alert rules: promtool accepts them, their unit tests pass, every rule follows the
 * mixin conventions, every alert is tested both firing and not firing, and the unit tests are
 * strict: moving any alert's threshold makes them fail.
 */
class AlertRulesTest {

    static final Path ALERTS_DIR = Paths.get("..", "collector-config", "alerts");
    static final Path RULES = ALERTS_DIR.resolve("agentmon-alerts.yml");
    static final Path TESTS = ALERTS_DIR.resolve("agentmon-alerts.test.yml");

    private static final Pattern ALERT = Pattern.compile("^\\s*- alert:\\s*(\\S+)\\s*$");
    private static final Pattern SEVERITY = Pattern.compile("^\\s*severity:\\s*(\\S+)\\s*$");

    @Test
    void promtoolChecksTheRules() throws Exception {
        Promtool.Result result = Promtool.run(new byte[0], "check", "rules", RULES.toString());
        assertEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("SUCCESS: " + rules().size() + " rules found"), result.output);
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        Promtool.Result result = Promtool.run(new byte[0], "test", "rules", TESTS.toString());
        assertEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("SUCCESS"), result.output);
    }

    @Test
    void everyRuleFollowsTheConventions() throws Exception {
        Map<String, String> rules = rules();
        assertTrue(rules.size() >= 10, "rules found: " + rules.keySet());
        assertTrue(String.join("\n", Files.readAllLines(RULES)).contains("- name: agentmon\n"), "group agentmon");
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            String name = rule.getKey();
            String body = rule.getValue();
            assertTrue(name.matches("Agentmon([A-Z][a-z0-9]*)+"), "CamelCase name with the Agentmon prefix: " + name);
            Set<String> severities = new TreeSet<>();
            for (String line : body.split("\n")) {
                Matcher severity = SEVERITY.matcher(line);
                if (severity.matches()) {
                    severities.add(severity.group(1));
                }
            }
            assertEquals(1, severities.size(), name + " has one severity label: " + severities);
            assertTrue(Set.of("critical", "warning", "info").containsAll(severities), name + " severity " + severities);
            assertTrue(body.contains("\n        expr:"), name + " has an expr");
            assertTrue(body.contains("\n        labels:"), name + " has labels");
            assertTrue(body.contains("\n        annotations:"), name + " has annotations");
            assertTrue(Pattern.compile("\n {10}summary: \"[^\"\\n]{10,}").matcher(body).find(), name + " has a summary");
            assertTrue(Pattern.compile("\n {10}description: \"[^\\n]{20,}").matcher(body).find(), name + " has a description");
            assertFalse(body.contains("record:"), name + ": only alerts in this file");
        }
    }

    /** Each alert has an evaluation where it fires and one where it must not (empty exp_alerts). */
    @Test
    void everyAlertIsTestedFiringAndSilent() throws Exception {
        List<String> lines = Files.readAllLines(TESTS, StandardCharsets.UTF_8);
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        Pattern alertname = Pattern.compile("^\\s*alertname:\\s*(\\S+)\\s*$");
        for (int i = 0; i < lines.size(); i++) {
            Matcher matcher = alertname.matcher(lines.get(i));
            if (!matcher.matches()) {
                continue;
            }
            String next = lines.get(i + 1).trim();
            if (next.equals("exp_alerts: []")) {
                silent.add(matcher.group(1));
            } else if (next.equals("exp_alerts:") && lines.get(i + 2).trim().startsWith("- exp_labels:")) {
                firing.add(matcher.group(1));
            } else {
                fail("unexpected line after " + lines.get(i) + ": " + next);
            }
        }
        Set<String> alerts = rules().keySet();
        assertEquals(new TreeSet<>(alerts), firing, "alerts with a firing case");
        assertEquals(new TreeSet<>(alerts), silent, "alerts with a not-firing case");
    }

    /**
     * Mutations of the rules, each moving one threshold (or window, or comparison) so that some
     * series in the unit tests lands on the other side: the tests must then fail, naming the alert.
     */
    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("AgentmonWorkerDown", "up{job=\"agentmon\"} == 0", "up{job=\"agentmon\"} == 1"),
                Arguments.of("AgentmonWorkerDown", "up{job=\"agentmon\"} == 0\n        for: 5m", "up{job=\"agentmon\"} == 0\n        for: 6m"),
                Arguments.of("AgentmonNoTasksCompleted", "min_over_time(agentmon_executor_queued_tasks[10m]) > 0",
                        "min_over_time(agentmon_executor_queued_tasks[10m]) > 3"),
                Arguments.of("AgentmonNoTasksCompleted", "increase(agentmon_executor_completed_tasks_total[10m]) == 0",
                        "increase(agentmon_executor_completed_tasks_total[10m]) >= 0"),
                Arguments.of("AgentmonNoTasksCompleted", "min_over_time(agentmon_executor_queued_tasks[10m])",
                        "max_over_time(agentmon_executor_queued_tasks[10m])"),
                Arguments.of("AgentmonTaskFailureRatioHigh", ") > 0.10", ") > 0.20"),
                Arguments.of("AgentmonTaskFailureRatioHigh", ") > 0.10", ") > 0.04"),
                Arguments.of("AgentmonTaskFailureRatioHigh", "          ) >= 10\n", "          ) >= 5\n"),
                Arguments.of("AgentmonTaskTimeoutsRising", "[10m])) >= 5", "[10m])) >= 11"),
                Arguments.of("AgentmonTaskTimeoutsRising", "[10m])) >= 5", "[10m])) >= 2"),
                Arguments.of("AgentmonTaskTimeoutsRising", "<= 2 * sum", "<= 0.5 * sum"),
                Arguments.of("AgentmonTaskLatencyHigh", "          ) > 1\n", "          ) > 10\n"),
                Arguments.of("AgentmonTaskLatencyHigh", "> on (task) group_left ()", "< on (task) group_left ()"),
                Arguments.of("AgentmonQueueWaitHigh", "          ) > 30\n", "          ) > 120\n"),
                Arguments.of("AgentmonQueueWaitHigh", "\n            <=\n", "\n            <\n"),
                Arguments.of("AgentmonTasksStuck", "agentmon_tasks_stuck > 0", "agentmon_tasks_stuck > 1"),
                Arguments.of("AgentmonTasksStuck", "agentmon_tasks_stuck > 0\n        for: 5m", "agentmon_tasks_stuck > 0\n        for: 1m"),
                Arguments.of("AgentmonHeapNearLimit", "          > 0.9\n", "          > 0.96\n"),
                Arguments.of("AgentmonHeapNearLimit", "          > 0.9\n", "          > 0.5\n"),
                Arguments.of("AgentmonFrequentRestarts", "[1h]) > 2", "[1h]) > 3"),
                Arguments.of("AgentmonFrequentRestarts", "[1h]) > 2", "[1h]) > 1"),
                Arguments.of("AgentmonDroppingData", "increase(agentmon_dropped_total[10m]) > 0",
                        "increase(agentmon_dropped_total[10m]) > 5"),
                Arguments.of("AgentmonDroppingData", "increase(agentmon_dropped_total[10m]) > 0",
                        "increase(agentmon_dropped_total[30m]) > 0"));
    }

    @Test
    void everyAlertHasAMutation() throws Exception {
        Set<String> mutated = new TreeSet<>();
        mutations().forEach(arguments -> mutated.add((String) arguments.get()[0]));
        assertEquals(new TreeSet<>(rules().keySet()), mutated, "alerts whose thresholds are mutated");
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("mutations")
    void movingAThresholdFailsTheUnitTests(String alert, String original, String mutated) throws Exception {
        String rules = new String(Files.readAllBytes(RULES), StandardCharsets.UTF_8);
        int at = rules.indexOf(original);
        assertTrue(at >= 0, "not in the rules: " + original);
        assertEquals(at, rules.lastIndexOf(original), "appears more than once: " + original);
        assertEquals(alert, alertAt(rules, at), "the mutated text belongs to " + alert);

        Path dir = Files.createTempDirectory("agentmon-alerts-mutant");
        try {
            Files.write(dir.resolve(RULES.getFileName()), rules.replace(original, mutated).getBytes(StandardCharsets.UTF_8));
            Files.copy(TESTS, dir.resolve(TESTS.getFileName()));
            Promtool.Result check = Promtool.run(new byte[0], "check", "rules", dir.resolve(RULES.getFileName()).toString());
            assertEquals(0, check.exit, "the mutant is still valid rules: " + check.output);
            Promtool.Result result = Promtool.run(new byte[0], "test", "rules", dir.resolve(TESTS.getFileName()).toString());
            assertNotEquals(0, result.exit, "unit tests still pass with " + mutated + "\n" + result.output);
            assertTrue(result.output.contains("alertname: " + alert + ","), "failure names " + alert + ":\n" + result.output);
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** The alert whose rule contains offset {@code at} of the rules text. */
    private static String alertAt(String rules, int at) {
        String before = rules.substring(0, at);
        Matcher matcher = Pattern.compile("- alert: (\\S+)").matcher(before);
        String name = null;
        while (matcher.find()) {
            name = matcher.group(1);
        }
        return name;
    }

    /** Alert name to the text of its rule (from its "- alert:" line to the next), in file order. */
    static Map<String, String> rules() throws IOException {
        Map<String, String> rules = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : Files.readAllLines(RULES, StandardCharsets.UTF_8)) {
            Matcher matcher = ALERT.matcher(line);
            if (matcher.matches() || line.trim().startsWith("- record:")) {
                if (name != null) {
                    rules.put(name, body.toString());
                }
                name = matcher.matches() ? matcher.group(1) : null;
                body.setLength(0);
            }
            if (name != null && !line.trim().startsWith("#")) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            rules.put(name, body.toString());
        }
        return rules;
    }

    /** The alert expressions, each as one string (for {@link RealPrometheusTest}). */
    static Map<String, String> expressions() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Map.Entry<String, String> rule : rules().entrySet()) {
            List<String> lines = new ArrayList<>();
            boolean inExpr = false;
            for (String line : rule.getValue().split("\n")) {
                if (line.startsWith("        expr: |")) {
                    inExpr = true;
                } else if (line.startsWith("        expr: ")) {
                    lines.add(line.substring("        expr: ".length()));
                } else if (inExpr && line.startsWith("          ")) {
                    lines.add(line.trim());
                } else {
                    inExpr = false;
                }
            }
            expressions.put(rule.getKey(), String.join("\n", lines));
        }
        return expressions;
    }
}

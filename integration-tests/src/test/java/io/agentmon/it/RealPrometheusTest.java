package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Json;
import io.agentmon.it.support.PrometheusServer;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scrapes the sample worker running under the agent (the demo's
 * configuration), as job {@code agentmon}, the job the alert rules select. Then:
 * every alert expression parses in that Prometheus, every series selector the alerts use has
 * data (so no alert watches a metric or label that does not exist), and every panel query of
 * the shipped Grafana dashboards parses and returns data.
 *
 * <p>Dashboard queries are Grafana templates; before querying, their variables are
 * substituted ({@link #substitute}): {@code $datasource} is removed; {@code $service} becomes
 * the worker's service, {@code $job} {@code agentmon}, {@code $instance} the worker's
 * {@code host:port}; {@code $task} and {@code $pool} become the alternation of every value
 * Prometheus has, as Grafana renders an "All" selection ({@code (a|b|c)}, for {@code =~}
 * matchers); {@code $__rate_interval} becomes {@code 1m}, {@code $__interval} {@code 15s},
 * {@code $__range} {@code 5m} ({@code _s}/{@code _ms} variants in seconds/milliseconds); any
 * other variable becomes {@code .+} (so it must sit in a {@code =~} matcher). The forms
 * {@code $var}, {@code ${var}}, {@code ${var:format}} and {@code [[var]]} are recognised.
 */
class RealPrometheusTest {

    static final String SERVICE = "sample-worker";
    static final Path DASHBOARDS = Paths.get("..", "grafana", "dashboards");
    private static final Pattern SELECTOR = Pattern.compile("\\b((?:agentmon|jvm|process)_[a-z0-9_]+|up)\\b(\\{[^}]*\\})?");
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{(\\w+)(?::[\\w-]+)?\\}|\\[\\[(\\w+)(?::[\\w-]+)?\\]\\]|\\$(\\w+)");

    @Test
    void alertsAndDashboardsWorkAgainstARealPrometheus() throws Exception {
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .demoConfiguration()
                .sampleWorker("--jobs", "0", "--rate", "50")
                .start()) {
            String target = "127.0.0.1:" + worker.agentPort();
            try (PrometheusServer prometheus = PrometheusServer.start("agentmon", target)) {
                // Enough scrapes for rate() over 1m and the alerts' ranges to have samples.
                prometheus.awaitData("count_over_time(up{job=\"agentmon\"}[1m]) >= 5", 45);
                assertTrue(worker.isAlive(), "worker still running\n" + worker.stderr());

                // Facts the alerts rely on.
                // up is Prometheus's own series: job and instance, no service (AgentmonWorkerDown says so).
                assertHasData(prometheus, "up{job=\"agentmon\", instance=\"" + target + "\"} == 1");
                assertHasData(prometheus, "agentmon_info{job=\"agentmon\", instance=\"" + target + "\", service=\"" + SERVICE + "\"} == 1");
                assertHasData(prometheus, "sum(rate(agentmon_task_duration_seconds_count{job=\"agentmon\"}[1m])) > 0");
                assertHasData(prometheus, "sum by (pool) (agentmon_executor_queued_tasks{pool=\"worker\"})");
                assertHasData(prometheus, "sum(jvm_memory_used_bytes{area=\"heap\"}) / sum(jvm_memory_max_bytes{area=\"heap\"} > 0) < 0.9");
                assertHasData(prometheus, "changes(process_start_time_seconds{job=\"agentmon\"}[1h]) == 0");

                List<String> failures = new ArrayList<>();
                checkAlerts(prometheus, failures);
                checkDashboards(prometheus, target, failures);
                assertTrue(failures.isEmpty(), failures.size() + " problem(s):\n" + String.join("\n\n", failures));
            }
        }
    }

    private static void assertHasData(PrometheusServer prometheus, String promql) throws IOException {
        PrometheusServer.QueryResult result = prometheus.query(promql);
        assertTrue(result.success() && result.count > 0, promql + ": " + result);
    }

    /** Every alert expression parses; every series selector in it has data. */
    private static void checkAlerts(PrometheusServer prometheus, List<String> failures) throws IOException {
        Map<String, String> expressions = AlertRulesTest.expressions();
        assertEquals(AlertRulesTest.rules().keySet(), expressions.keySet());
        for (Map.Entry<String, String> alert : expressions.entrySet()) {
            String expr = alert.getValue();
            assertFalse(expr.isBlank(), alert.getKey() + " has an expression");
            PrometheusServer.QueryResult result = prometheus.query(expr);
            if (!result.success()) {
                failures.add("alert " + alert.getKey() + " does not evaluate: " + result + "\n" + expr);
            }
            for (String selector : selectors(expr)) {
                PrometheusServer.QueryResult data = prometheus.query(selector);
                if (!data.success() || data.count == 0) {
                    failures.add("alert " + alert.getKey() + " reads " + selector + ", which has no data: " + data);
                }
            }
        }
    }

    /** The metric selectors of an expression ({@code name} or {@code name{matchers}}). */
    static Set<String> selectors(String expr) {
        Set<String> selectors = new TreeSet<>();
        Matcher matcher = SELECTOR.matcher(expr);
        while (matcher.find()) {
            selectors.add(matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2)));
        }
        return selectors;
    }

    /** Every panel query of every dashboard parses and returns data. */
    private static void checkDashboards(PrometheusServer prometheus, String target, List<String> failures) throws IOException {
        if (!Files.isDirectory(DASHBOARDS)) {
            return; // no dashboards shipped (yet)
        }
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("datasource", "");
        variables.put("service", SERVICE);
        variables.put("job", "agentmon");
        variables.put("instance", target);
        variables.put("task", all(prometheus, "task", "agentmon_task_duration_seconds_count"));
        variables.put("pool", all(prometheus, "pool", "agentmon_executor_queued_tasks"));
        List<Path> files;
        try (Stream<Path> list = Files.list(DASHBOARDS)) {
            files = list.filter(path -> path.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        for (Path file : files) {
            List<String[]> queries = panelQueries(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            if (queries.isEmpty()) {
                failures.add("dashboard " + file.getFileName() + " has no panel queries");
            }
            for (String[] query : queries) {
                String promql = substitute(query[1], variables);
                PrometheusServer.QueryResult result = prometheus.query(promql);
                if (!result.success() || result.count == 0) {
                    failures.add("dashboard " + file.getFileName() + ", panel \"" + query[0] + "\": "
                            + (result.success() ? "no data" : "does not parse") + "\n  query: " + query[1]
                            + "\n  sent:  " + promql + "\n  answer: " + result);
                }
            }
        }
    }

    /** Grafana's rendering of an "All" selection of a label's values: {@code (a|b|c)}. */
    private static String all(PrometheusServer prometheus, String label, String metric) throws IOException {
        PrometheusServer.QueryResult result = prometheus.query("group by (" + label + ") (" + metric + ")");
        List<String> values = new ArrayList<>(new TreeSet<>(result.labelValues(label)));
        assertFalse(values.isEmpty(), "values of " + label + " in " + metric + ": " + result);
        return "(" + values.stream().map(value -> value.replaceAll("([.()|*+?\\[\\]{}^$\\\\])", "\\\\\\\\$1"))
                .collect(Collectors.joining("|")) + ")";
    }

    /** Panel title and {@code expr} of every target of every panel (rows' nested panels included). */
    @SuppressWarnings("unchecked")
    static List<String[]> panelQueries(String dashboardJson) {
        List<String[]> queries = new ArrayList<>();
        collect(Json.parse(dashboardJson), "(dashboard)", queries);
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, String title, List<String[]> queries) {
        if (node instanceof Map) {
            Map<String, Object> map = (Map<String, Object>) node;
            String here = map.get("title") instanceof String ? (String) map.get("title") : title;
            if (map.get("targets") instanceof List) {
                for (Object target : (List<Object>) map.get("targets")) {
                    if (target instanceof Map && ((Map<String, Object>) target).get("expr") instanceof String) {
                        String expr = (String) ((Map<String, Object>) target).get("expr");
                        if (!expr.isBlank()) {
                            queries.add(new String[] {here, expr});
                        }
                    }
                }
            }
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                if (!entry.getKey().equals("targets") && !entry.getKey().equals("templating")) {
                    collect(entry.getValue(), here, queries);
                }
            }
        } else if (node instanceof List) {
            for (Object item : (List<Object>) node) {
                collect(item, title, queries);
            }
        }
    }

    /** Replaces Grafana template variables as the class comment says. */
    static String substitute(String expr, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
            String value;
            switch (name) {
                case "__rate_interval": value = "1m"; break;
                case "__interval": value = "15s"; break;
                case "__interval_ms": value = "15000"; break;
                case "__range": value = "5m"; break;
                case "__range_s": value = "300"; break;
                case "__range_ms": value = "300000"; break;
                default: value = variables.getOrDefault(name, ".+");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The dashboard reading and variable substitution, without any process. */
    @Test
    void dashboardQueriesAreFoundAndSubstituted() {
        String dashboard = "{\"uid\":\"x\",\"templating\":{\"list\":[{\"name\":\"task\",\"query\":\"label_values(agentmon_tasks_active, task)\"}]},"
                + "\"panels\":[{\"type\":\"row\",\"title\":\"Row\",\"panels\":[{\"title\":\"Inner \\\"quoted\\\"\",\"targets\":["
                + "{\"expr\":\"sum by (task) (rate(agentmon_task_duration_seconds_count{service=\\\"$service\\\", task=~\\\"${task}\\\"}[$__rate_interval]))\"}]}]},"
                + "{\"title\":\"Top\",\"datasource\":{\"type\":\"prometheus\",\"uid\":\"${datasource}\"},\"targets\":[{\"expr\":\"\"},"
                + "{\"expr\":\"max_over_time(agentmon_executor_queued_tasks{pool=~\\\"[[pool]]\\\", x=~\\\"$other\\\"}[$__range]) / $__interval_ms\"}]}]}";
        List<String[]> queries = panelQueries(dashboard);
        assertEquals(2, queries.size());
        assertEquals("Inner \"quoted\"", queries.get(0)[0]);
        assertEquals("Top", queries.get(1)[0]);
        Map<String, String> variables = Map.of("service", "svc", "task", "(A\\\\.run|B\\\\.run)", "pool", "(worker)");
        assertEquals("sum by (task) (rate(agentmon_task_duration_seconds_count{service=\"svc\", task=~\"(A\\\\.run|B\\\\.run)\"}[1m]))",
                substitute(queries.get(0)[1], variables));
        assertEquals("max_over_time(agentmon_executor_queued_tasks{pool=~\"(worker)\", x=~\".+\"}[5m]) / 15000",
                substitute(queries.get(1)[1], variables));
        assertEquals(new TreeSet<>(List.of("agentmon_executor_queued_tasks{pool=\"w\"}", "up{job=\"agentmon\"}")),
                selectors("up{job=\"agentmon\"} == 0 and on (x) sum(agentmon_executor_queued_tasks{pool=\"w\"})"));
        assertEquals(new LinkedHashSet<>(List.of("agentmon_task_duration_seconds_bucket")),
                selectors("histogram_quantile(0.95, sum by (service, task, le) (rate(agentmon_task_duration_seconds_bucket[10m])))"));
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Json;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards in {@code grafana/dashboards}: well-formed, loadable by file
 * provisioning (stable uids, a {@code datasource} variable, no import-only placeholders), and
 * asking only for metrics and labels that a real scrape of the sample worker under the agent,
 * with the demo configuration, contains. (That the queries return data from a real Prometheus
 * is {@code RealPrometheusTest}'s job.)
 *
 * <p>The scrape is the text format, which carries histograms as classic buckets only; a query
 * may also name an agentmon histogram by its bare name, the series a Prometheus with native
 * histograms stores instead of {@code _bucket}/{@code _count}/{@code _sum} (agentmon serves it on a
 * protobuf scrape). That name counts as served when the scrape has its {@code _bucket} series,
 * with their labels but {@code le}.
 */
class DashboardsTest {

    private static final Path DASHBOARDS = Paths.get(System.getProperty("grafana.dashboards", "../grafana/dashboards"));
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern SELECTOR = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern TOKEN = Pattern.compile(
            "(\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[a-z]*)|([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?");
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "^\\s*label_values\\(\\s*(?:([A-Za-z_:][A-Za-z0-9_:]*)\\s*(\\{[^}]*})?\\s*,)?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)(?::[^}]*)?}|([A-Za-z0-9_]+))");
    private static final Set<String> KEYWORDS = new HashSet<>(Arrays.asList(
            "and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without", "on", "ignoring",
            "group_left", "group_right"));
    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = new HashSet<>(Arrays.asList("job", "instance"));

    private static final Map<Path, Map<String, Object>> dashboards = new LinkedHashMap<>();
    private static final Map<Path, String> texts = new LinkedHashMap<>();

    @BeforeAll
    static void readDashboards() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DASHBOARDS)) {
            files = list.filter(path -> path.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no dashboards in " + DASHBOARDS.toAbsolutePath());
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            texts.put(file, text);
            Object parsed;
            try {
                parsed = Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw new AssertionError(file + ": " + e.getMessage(), e);
            }
            assertTrue(parsed instanceof Map, file + ": not a JSON object");
            dashboards.put(file, map(parsed));
        }
    }

    @Test
    void theTwoDashboardsShipWithTheirUids() {
        Set<String> uids = new HashSet<>();
        for (Map<String, Object> dashboard : dashboards.values()) {
            uids.add(String.valueOf(dashboard.get("uid")));
        }
        assertTrue(uids.containsAll(Arrays.asList("agentmon-overview", "agentmon-task-detail")), "uids: " + uids);
    }

    @Test
    void everyDashboardHasAStableUniqueUidAndATitle() {
        Map<String, Path> seen = new HashMap<>();
        for (Map.Entry<Path, Map<String, Object>> entry : dashboards.entrySet()) {
            Object uid = entry.getValue().get("uid");
            assertTrue(uid instanceof String && ((String) uid).matches("[A-Za-z0-9_-]{1,40}"),
                    entry.getKey() + ": uid must be a fixed string of at most 40 letters, digits, - or _: " + uid);
            Path other = seen.put((String) uid, entry.getKey());
            assertTrue(other == null, "uid " + uid + " in both " + other + " and " + entry.getKey());
            Object title = entry.getValue().get("title");
            assertTrue(title instanceof String && !((String) title).isEmpty(), entry.getKey() + ": no title");
            assertTrue(entry.getValue().get("id") == null, entry.getKey() + ": a provisioned dashboard has no numeric id");
        }
    }

    @Test
    void dashboardsUseADatasourceVariableNotImportPlaceholders() {
        for (Map.Entry<Path, Map<String, Object>> entry : dashboards.entrySet()) {
            Path file = entry.getKey();
            String text = texts.get(file);
            assertFalse(text.contains("DS_PROMETHEUS"), file + ": ${DS_PROMETHEUS} only works in the UI's import flow");
            assertFalse(entry.getValue().containsKey("__inputs"), file + ": __inputs only works in the UI's import flow");
            assertFalse(entry.getValue().containsKey("__requires"), file + ": __requires is an export artefact");

            Map<String, Map<String, Object>> variables = variables(entry.getValue());
            Map<String, Object> datasource = variables.get("datasource");
            assertTrue(datasource != null, file + ": no variable named datasource");
            assertEquals("datasource", datasource.get("type"), file + ": variable datasource must have type datasource");
            assertEquals("prometheus", datasource.get("query"), file + ": variable datasource must list prometheus datasources");
            for (String chained : Arrays.asList("job", "service", "instance")) {
                assertTrue(variables.containsKey(chained), file + ": no variable " + chained);
            }

            for (Map<String, Object> panel : panels(entry.getValue())) {
                if ("row".equals(panel.get("type"))) {
                    continue;
                }
                String where = file.getFileName() + " panel \"" + panel.get("title") + "\"";
                assertPrometheusVariable(panel.get("datasource"), where);
                List<Object> targets = list(panel.get("targets"));
                assertFalse(targets.isEmpty(), where + ": no targets");
                for (Object target : targets) {
                    Map<String, Object> t = map(target);
                    if (t.containsKey("datasource")) {
                        assertPrometheusVariable(t.get("datasource"), where + " target " + t.get("refId"));
                    }
                    Object expr = t.get("expr");
                    assertTrue(expr instanceof String && !((String) expr).trim().isEmpty(), where + ": target without expr");
                }
            }
            for (Map<String, Object> variable : variables.values()) {
                if ("query".equals(variable.get("type"))) {
                    assertPrometheusVariable(variable.get("datasource"), file.getFileName() + " variable " + variable.get("name"));
                }
            }
        }
    }

    @Test
    void queriesOnlyUseDefinedVariables() {
        Set<String> builtIn = new HashSet<>(Arrays.asList("__rate_interval", "__interval", "__range", "__range_s",
                "__interval_ms", "__range_ms"));
        for (Map.Entry<Path, Map<String, Object>> entry : dashboards.entrySet()) {
            Set<String> defined = variables(entry.getValue()).keySet();
            for (String query : queries(entry.getValue()).keySet()) {
                Matcher m = VARIABLE.matcher(query);
                while (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2);
                    assertTrue(defined.contains(name) || builtIn.contains(name),
                            entry.getKey().getFileName() + ": $" + name + " is not a variable of the dashboard, in: " + query);
                }
            }
        }
    }

    /**
     * The dashboards' failure ratio is the alert's, so that what turns a panel red is what
     * {@code AgentmonTaskFailureRatioHigh} fires on: every panel titled "Failure ratio..." queries
     * exactly the alert's ratio (its expression up to {@code > threshold}), with the dashboard's
     * own variable matchers added (and, in a stat, the worst of it: {@code max(...)}), and marks the
     * alert's threshold in red. Both dashboards have one; the overview has a stat and a time series.
     */
    @Test
    void failureRatioPanelsShowTheAlertsRatioAndThreshold() throws IOException {
        String alert = AlertRulesTest.expressions().get("AgentmonTaskFailureRatioHigh");
        assertTrue(alert != null, "no alert AgentmonTaskFailureRatioHigh in " + AlertRulesTest.RULES);
        Matcher parts = Pattern.compile("^\\s*\\((.*?)\\)\\s*>\\s*([0-9.]+)\\s+and on", Pattern.DOTALL).matcher(alert);
        assertTrue(parts.find(), "AgentmonTaskFailureRatioHigh is no longer (ratio) > threshold and on (...) ...: " + alert);
        String ratio = promql(parts.group(1));
        double threshold = Double.parseDouble(parts.group(2));
        Map<String, Integer> panelsByDashboard = new TreeMap<>();
        for (Map.Entry<Path, Map<String, Object>> entry : dashboards.entrySet()) {
            for (Map<String, Object> panel : panels(entry.getValue())) {
                String title = String.valueOf(panel.get("title"));
                if (!title.startsWith("Failure ratio")) {
                    continue;
                }
                String where = entry.getKey().getFileName() + " panel \"" + title + "\"";
                panelsByDashboard.merge(String.valueOf(entry.getValue().get("uid")) + " " + panel.get("type"), 1, Integer::sum);
                for (Object target : list(panel.get("targets"))) {
                    String expr = promql(withoutDashboardMatchers(String.valueOf(map(target).get("expr"))));
                    if ("stat".equals(panel.get("type")) && expr.startsWith("max(") && expr.endsWith(")")) {
                        expr = expr.substring("max(".length(), expr.length() - 1);
                    }
                    assertEquals(ratio, expr, where + ": not the ratio of AgentmonTaskFailureRatioHigh");
                }
                Map<String, Object> defaults = map(map(panel.get("fieldConfig")).get("defaults"));
                boolean marked = false;
                for (Object step : list(map(defaults.get("thresholds")).get("steps"))) {
                    Object value = map(step).get("value");
                    marked |= value instanceof Number && ((Number) value).doubleValue() == threshold && "red".equals(map(step).get("color"));
                }
                assertTrue(marked, where + ": no red threshold step at the alert's " + threshold + ": " + defaults.get("thresholds"));
                if ("timeseries".equals(panel.get("type"))) {
                    Object style = map(map(defaults.get("custom")).get("thresholdsStyle")).get("mode");
                    assertTrue(style != null && !"off".equals(style), where + ": the threshold is not drawn (custom.thresholdsStyle)");
                }
            }
        }
        assertEquals(Map.of("agentmon-overview stat", 1, "agentmon-overview timeseries", 1, "agentmon-task-detail stat", 1),
                panelsByDashboard, "failure ratio panels");
    }

    /**
     * Data links that lead to a dashboard ({@code /d/<uid>/...}, in a panel's field defaults or
     * overrides) lead to a shipped one and carry what they claim: every {@code var-NAME=} they set
     * and every {@code ${NAME:queryparam}} they pass on names a variable of the target dashboard
     * (and, passed on, of this one); a value {@code ${__field.labels.L}} names a label each of the
     * panel's series shows ({@code {{L}}} in every legend), {@code ${__value.raw}} a field that is a
     * label every query of the panel groups by; and they keep the time range
     * ({@code ${__url_time_range}}). A panel of a dashboard without a {@code task} variable whose
     * series are per task ({@code {{task}}} in a legend) links to the dashboard that has one, with
     * the task, datasource, job, service, instance and time range.
     */
    @Test
    void dataLinksLeadToShippedDashboardsWithTheirVariables() {
        Pattern dashboardUrl = Pattern.compile("^/d/([A-Za-z0-9_-]+)(?:/[A-Za-z0-9_-]*)?\\?(.*)$");
        Pattern passedOn = Pattern.compile("^\\$\\{([A-Za-z0-9_]+):queryparam}$");
        Pattern setVariable = Pattern.compile("^var-([A-Za-z0-9_]+)=(.+)$");
        Pattern fieldLabel = Pattern.compile("^\\$\\{__field\\.labels\\.([A-Za-z_][A-Za-z0-9_]*)}$");
        Pattern dashboardVariable = Pattern.compile("^\\$\\{([A-Za-z0-9_]+)}$");
        Map<String, Set<String>> variablesByUid = new HashMap<>();
        String taskDashboard = null;
        for (Map<String, Object> dashboard : dashboards.values()) {
            variablesByUid.put(String.valueOf(dashboard.get("uid")), variables(dashboard).keySet());
            if (variables(dashboard).containsKey("task")) {
                taskDashboard = String.valueOf(dashboard.get("uid"));
            }
        }
        assertEquals("agentmon-task-detail", taskDashboard, "the dashboard with a task variable");
        List<String> problems = new ArrayList<>();
        int perTaskPanels = 0;
        for (Map.Entry<Path, Map<String, Object>> entry : dashboards.entrySet()) {
            Set<String> defined = variables(entry.getValue()).keySet();
            for (Map<String, Object> panel : panels(entry.getValue())) {
                String where = entry.getKey().getFileName() + " panel \"" + panel.get("title") + "\"";
                List<String> legends = new ArrayList<>();
                List<Set<String>> groupings = new ArrayList<>();
                for (Object target : list(panel.get("targets"))) {
                    legends.add(String.valueOf(map(target).get("legendFormat")));
                    groupings.add(outerGrouping(String.valueOf(map(target).get("expr"))));
                }
                // Each link with the field it sits on (null: every field).
                List<Map.Entry<Map<String, Object>, String>> links = new ArrayList<>();
                Map<String, Object> fieldConfig = map(panel.get("fieldConfig"));
                for (Object link : list(map(fieldConfig.get("defaults")).get("links"))) {
                    links.add(new AbstractMap.SimpleEntry<>(map(link), null));
                }
                for (Object override : list(fieldConfig.get("overrides"))) {
                    Map<String, Object> matcher = map(map(override).get("matcher"));
                    String field = "byName".equals(matcher.get("id")) ? String.valueOf(matcher.get("options")) : "(" + matcher + ")";
                    for (Object property : list(map(override).get("properties"))) {
                        if ("links".equals(map(property).get("id"))) {
                            for (Object link : list(map(property).get("value"))) {
                                links.add(new AbstractMap.SimpleEntry<>(map(link), field));
                            }
                        }
                    }
                }
                Set<String> carriedToTaskDashboard = null;
                for (Map.Entry<Map<String, Object>, String> link : links) {
                    String url = String.valueOf(link.getKey().get("url"));
                    if (!url.startsWith("/d/")) {
                        continue;
                    }
                    Matcher m = dashboardUrl.matcher(url);
                    if (!m.matches()) {
                        problems.add(where + ": link " + url + " is not /d/<uid>/<slug>?<parameters>");
                        continue;
                    }
                    Set<String> target = variablesByUid.get(m.group(1));
                    if (target == null) {
                        problems.add(where + ": link " + url + " leads to uid " + m.group(1) + ", which no shipped dashboard has");
                        continue;
                    }
                    Set<String> carried = new TreeSet<>();
                    for (String parameter : m.group(2).split("&")) {
                        Matcher passed = passedOn.matcher(parameter);
                        Matcher set = setVariable.matcher(parameter);
                        String name;
                        if (parameter.equals("${__url_time_range}")) {
                            carried.add("time range");
                            continue;
                        } else if (passed.matches()) {
                            name = passed.group(1);
                            if (!defined.contains(name)) {
                                problems.add(where + ": link " + url + " passes on $" + name + ", which this dashboard does not define");
                            }
                        } else if (set.matches()) {
                            name = set.group(1);
                            String value = set.group(2);
                            Matcher label = fieldLabel.matcher(value);
                            Matcher variable = dashboardVariable.matcher(value);
                            if (label.matches()) {
                                for (String legend : legends) {
                                    if (!legend.contains("{{" + label.group(1) + "}}")) {
                                        problems.add(where + ": link " + url + " takes the series' label " + label.group(1)
                                                + ", which the legend " + legend + " does not show");
                                    }
                                }
                            } else if (value.equals("${__value.raw}")) {
                                for (Set<String> grouping : groupings) {
                                    if (link.getValue() == null || !grouping.contains(link.getValue())) {
                                        problems.add(where + ": link " + url + " takes the value of field " + link.getValue()
                                                + ", which is not a label every query groups by " + groupings);
                                    }
                                }
                            } else if (variable.matches() ? !defined.contains(variable.group(1)) : value.contains("$")) {
                                problems.add(where + ": link " + url + " sets var-" + name + " to " + value
                                        + ", which is no variable of this dashboard, series label or field value");
                            }
                        } else {
                            problems.add(where + ": link " + url + " has a parameter " + parameter + " that carries no variable");
                            continue;
                        }
                        if (!target.contains(name)) {
                            problems.add(where + ": link " + url + " sets var-" + name + ", which " + m.group(1) + " does not define");
                        }
                        carried.add(name);
                    }
                    if (!carried.contains("time range")) {
                        problems.add(where + ": link " + url + " loses the time range (add ${__url_time_range})");
                    }
                    if (m.group(1).equals(taskDashboard) && link.getValue() == null) {
                        carriedToTaskDashboard = carried;
                    }
                }
                if (!defined.contains("task") && legends.stream().anyMatch(legend -> legend.contains("{{task}}"))) {
                    perTaskPanels++;
                    Set<String> needed = new TreeSet<>(Arrays.asList("task", "datasource", "job", "service", "instance", "time range"));
                    if (carriedToTaskDashboard == null || !carriedToTaskDashboard.containsAll(needed)) {
                        problems.add(where + ": per task, so it links to " + taskDashboard + " carrying " + needed
                                + "; it carries " + carriedToTaskDashboard);
                    }
                }
            }
        }
        assertTrue(perTaskPanels >= 7, "per-task panels in the overview: " + perTaskPanels);
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * The labels of the first {@code by (...)} in {@code expr} (its outermost aggregation, in the
     * dashboards' queries, which aggregate once per side of an {@code or} or {@code /}), without
     * {@code le}; empty without one.
     */
    private static Set<String> outerGrouping(String expr) {
        Matcher grouping = Pattern.compile("\\bby\\s*\\(([^)]*)\\)").matcher(blankStrings(expr));
        Set<String> labels = new TreeSet<>();
        if (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                labels.add(label.trim());
            }
        }
        labels.remove("le");
        labels.remove("");
        return labels;
    }

    /** {@code expr} without the matchers of the dashboards' variables ({@code job=~"$job"} and so on). */
    private static String withoutDashboardMatchers(String expr) {
        return expr.replaceAll("\\s*\\b(job|service|instance|task|pool)=~\"\\$\\{?\\w+}?\"\\s*,?", "")
                .replaceAll(",\\s*}", "}")
                .replaceAll("\\{\\s*}", "");
    }

    /** PromQL with its white space made canonical: runs of it one space, none inside brackets' ends. */
    private static String promql(String expr) {
        return expr.replaceAll("\\s+", " ").replaceAll("\\(\\s+", "(").replaceAll("\\s+\\)", ")").trim();
    }

    /**
     * Every metric a query or variable names is in a real scrape of the sample worker with the
     * demo configuration, and so is every label it matches on or groups by.
     */
    @Test
    void queriesNameOnlyMetricsAndLabelsTheSampleWorkerServes() throws Exception {
        // Every query and the metrics and labels it needs, gathered first so that the scrape
        // can wait until the worker has produced all of them (failures, timeouts, containers).
        Map<String, String> queries = new LinkedHashMap<>();
        for (Map.Entry<Path, Map<String, Object>> entry : dashboards.entrySet()) {
            for (Map.Entry<String, String> query : queries(entry.getValue()).entrySet()) {
                queries.put(query.getKey(), entry.getKey().getFileName() + " " + query.getValue());
            }
        }
        Set<String> needed = new TreeSet<>();
        for (String query : queries.keySet()) {
            needed.addAll(metricNames(query));
        }
        needed.remove("up");

        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .demoConfiguration()
                .sampleWorker("--jobs", "0", "--rate", "50")
                .start()) {
            int port = worker.agentPort();
            // jvm_gc_pause_seconds appears with the first GC; a young worker with a large heap
            // may not have had one yet, so ask for one, as time would.
            requestGc(worker.pid());
            Scrape scrape = WorkerProcess.Http.scrape(port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!servedNames(scrape).containsAll(needed) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                scrape = WorkerProcess.Http.scrape(port);
            }
            Map<String, Set<String>> labels = labelsByMetric(scrape);
            labels.put("up", new HashSet<>());
            addNativeHistogramNames(labels);

            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> entry : queries.entrySet()) {
                check(entry.getKey(), entry.getValue(), scrape, labels, problems);
            }
            if (!problems.isEmpty()) {
                fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems)
                        + "\nmetrics served: " + new TreeSet<>(labels.keySet()));
            }
        }
    }

    private static void check(String query, String where, Scrape scrape, Map<String, Set<String>> labels, List<String> problems) {
        Set<String> metrics = metricNames(query);
        if (metrics.isEmpty()) {
            problems.add(where + ": names no metric: " + query);
        }
        Set<String> available = new HashSet<>(TARGET_LABELS);
        for (String metric : metrics) {
            if (!labels.containsKey(metric)) {
                problems.add(where + ": " + metric + " is not in the sample worker's scrape: " + query);
            } else {
                available.addAll(labels.get(metric));
            }
        }
        Matcher selector = SELECTOR.matcher(query);
        while (selector.find()) {
            String metric = selector.group(1);
            if (!labels.containsKey(metric)) {
                continue;
            }
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                String label = matcher.group(1);
                if (!labels.get(metric).contains(label) && !TARGET_LABELS.contains(label)) {
                    problems.add(where + ": " + metric + " has no label " + label + ": " + query);
                } else if ("=".equals(matcher.group(2)) && !matcher.group(3).contains("$")
                        && !TARGET_LABELS.contains(label) && scrape.find(scrapedName(metric, labels), label, matcher.group(3)).isEmpty()) {
                    problems.add(where + ": no " + metric + " has " + label + "=\"" + matcher.group(3) + "\": " + query);
                }
                if (matcher.group(2).endsWith("~") && matcher.group(3).startsWith("$") && !matcher.group(3).matches("\\$\\{?[A-Za-z0-9_]+}?")) {
                    problems.add(where + ": a variable in a regex matcher should stand alone (=~\"$var\"): " + query);
                }
            }
        }
        Matcher grouping = GROUPING.matcher(blankStrings(query));
        while (grouping.find()) {
            if (grouping.group(1).startsWith("group_")) {
                continue;
            }
            for (String label : grouping.group(2).split(",")) {
                label = label.trim();
                if (!label.isEmpty() && !available.contains(label)) {
                    problems.add(where + ": groups by " + label + ", a label none of " + metrics + " has: " + query);
                }
            }
        }
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches() && labelValues.group(1) != null) {
            String label = labelValues.group(3);
            Set<String> of = labels.get(labelValues.group(1));
            if (of != null && !of.contains(label) && !TARGET_LABELS.contains(label)) {
                problems.add(where + ": " + labelValues.group(1) + " has no label " + label + ": " + query);
            }
        }
    }

    /**
     * Whether {@code name} is an agentmon histogram's bare name: agentmon's (Micrometer's
     * histograms have no native form) and not itself a {@code _bucket}, {@code _count} or
     * {@code _sum} series.
     */
    private static boolean isNativeHistogramName(String name) {
        return name.startsWith("agentmon_") && !name.endsWith("_bucket") && !name.endsWith("_count") && !name.endsWith("_sum");
    }

    /**
     * Adds each agentmon histogram's bare name (its native series) for every {@code _bucket}
     * series the scrape has, with that series' labels but {@code le}.
     */
    static void addNativeHistogramNames(Map<String, Set<String>> labels) {
        Map<String, Set<String>> added = new HashMap<>();
        for (Map.Entry<String, Set<String>> metric : labels.entrySet()) {
            String name = metric.getKey();
            if (name.endsWith("_bucket")) {
                String histogram = name.substring(0, name.length() - "_bucket".length());
                if (isNativeHistogramName(histogram) && !labels.containsKey(histogram)) {
                    Set<String> histogramLabels = new HashSet<>(metric.getValue());
                    histogramLabels.remove("le");
                    added.put(histogram, histogramLabels);
                }
            }
        }
        labels.putAll(added);
    }

    /** The name under which the text scrape carries {@code metric}'s samples: a bare histogram name's {@code _count}. */
    private static String scrapedName(String metric, Map<String, Set<String>> labels) {
        return isNativeHistogramName(metric) && labels.containsKey(metric + "_bucket") ? metric + "_count" : metric;
    }

    /** Metric names in a PromQL expression or a label_values(...) variable query. */
    static Set<String> metricNames(String query) {
        Set<String> names = new LinkedHashSet<>();
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            if (labelValues.group(1) != null) {
                names.add(labelValues.group(1));
            }
            return names;
        }
        String s = blankStrings(query);
        s = s.replaceAll("\\{[^}]*}", " ");
        s = s.replaceAll("\\[[^\\]]*]", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Matcher token = TOKEN.matcher(s);
        while (token.find()) {
            String word = token.group(2);
            if (word == null || token.group(3) != null || KEYWORDS.contains(word.toLowerCase())) {
                continue; // a number, a function or aggregation, or a keyword
            }
            int before = token.start() - 1;
            if (before >= 0 && s.charAt(before) == '$') {
                continue;
            }
            names.add(word);
        }
        return names;
    }

    private static String blankStrings(String query) {
        return STRING.matcher(query).replaceAll("\"\"");
    }

    /** Every expr of every panel target and every query variable's query, with where it is. */
    private static Map<String, String> queries(Map<String, Object> dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Map<String, Object> panel : panels(dashboard)) {
            for (Object target : list(panel.get("targets"))) {
                Object expr = map(target).get("expr");
                if (expr instanceof String && !((String) expr).trim().isEmpty()) {
                    queries.putIfAbsent((String) expr, "panel \"" + panel.get("title") + "\"");
                }
            }
        }
        for (Map<String, Object> variable : variables(dashboard).values()) {
            if (!"query".equals(variable.get("type"))) {
                continue;
            }
            Object query = variable.get("query");
            if (query instanceof Map) {
                query = map(query).get("query");
            }
            assertTrue(query instanceof String && !((String) query).isEmpty(), "variable " + variable.get("name") + " has no query");
            queries.putIfAbsent((String) query, "variable " + variable.get("name"));
        }
        return queries;
    }

    private static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
        List<Map<String, Object>> all = new ArrayList<>();
        collectPanels(list(dashboard.get("panels")), all);
        return all;
    }

    private static void collectPanels(List<Object> panels, List<Map<String, Object>> into) {
        for (Object panel : panels) {
            Map<String, Object> p = map(panel);
            into.add(p);
            collectPanels(list(p.get("panels")), into); // panels inside (collapsed) rows
        }
    }

    private static Map<String, Map<String, Object>> variables(Map<String, Object> dashboard) {
        Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
        Object templating = dashboard.get("templating");
        if (templating != null) {
            for (Object variable : list(map(templating).get("list"))) {
                variables.put(String.valueOf(map(variable).get("name")), map(variable));
            }
        }
        return variables;
    }

    private static void assertPrometheusVariable(Object datasource, String where) {
        assertTrue(datasource instanceof Map, where + ": datasource must be {\"type\": \"prometheus\", \"uid\": \"${datasource}\"}, is " + datasource);
        Map<String, Object> ds = map(datasource);
        assertEquals("prometheus", ds.get("type"), where + ": datasource type");
        assertEquals("${datasource}", ds.get("uid"), where + ": datasource uid");
    }

    private static void requestGc(long pid) throws IOException, InterruptedException {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        if (Files.isExecutable(jcmd)) {
            Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The metric names in the scrape, and the bare name of each agentmon histogram in it ({@link #addNativeHistogramNames}). */
    private static Set<String> servedNames(Scrape scrape) {
        Map<String, Set<String>> names = new HashMap<>();
        for (Scrape.Sample sample : scrape.samples()) {
            names.put(sample.name, Set.of());
        }
        addNativeHistogramNames(names);
        return names.keySet();
    }

    private static Map<String, Set<String>> labelsByMetric(Scrape scrape) {
        Map<String, Set<String>> labels = new HashMap<>();
        for (Scrape.Sample sample : scrape.samples()) {
            labels.computeIfAbsent(sample.name, name -> new HashSet<>()).addAll(sample.labels.keySet());
        }
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : new HashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : new ArrayList<>();
    }
}

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>Twice: once against a Prometheus that stores agentmon's histograms as classic buckets
 * ({@code _bucket}, {@code _count}, {@code _sum}; no feature flag), once against one run with
 * {@code --enable-feature=native-histograms}, which stores them as native histograms only (the
 * bare name, no {@code _bucket}/{@code _count}/{@code _sum}). Each run first proves which way
 * its Prometheus stores them. The queries read a histogram both ways, {@code classic or native}
 * (README, "Prometheus and Grafana"); in each run a selector of the form that Prometheus stores
 * must have data and one of the other form must have none, and each {@code or} that joins the
 * two forms (in an alert, the smallest bracketed part that holds both, evaluated on its own
 * with any {@code offset} removed, since the Prometheus is younger than the offsets) must
 * answer with numbers. A dashboard query that reads one form only is allowed in a heatmap
 * panel only, beside a query of the same panel that reads the other form; it must have data
 * against its storage and none against the other.
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
    private static final Pattern OFFSET = Pattern.compile("\\s+offset\\s+\\d+[smhdwy]");
    /** agentmon's histograms: the metrics a protobuf scrape carries as native histograms too. */
    static final List<String> HISTOGRAMS = List.of(
            "agentmon_task_duration_seconds", "agentmon_executor_queue_wait_seconds", "agentmon_executor_run_seconds",
            "agentmon_docker_allocation_duration_seconds");
    private static final List<String> CLASSIC_SUFFIXES = List.of("_bucket", "_count", "_sum");

    /** How a Prometheus stores agentmon's histograms, and the form of a histogram a selector reads. */
    enum Storage {
        CLASSIC, NATIVE;

        Storage other() {
            return this == CLASSIC ? NATIVE : CLASSIC;
        }
    }

    @Test
    void alertsAndDashboardsWorkAgainstAPrometheusThatStoresClassicBuckets() throws Exception {
        alertsAndDashboardsWork(Storage.CLASSIC);
    }

    @Test
    void alertsAndDashboardsWorkAgainstAPrometheusThatStoresNativeHistograms() throws Exception {
        alertsAndDashboardsWork(Storage.NATIVE);
    }

    private static void alertsAndDashboardsWork(Storage storage) throws Exception {
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .demoConfiguration()
                .sampleWorker("--jobs", "0", "--rate", "50")
                .start()) {
            String target = "127.0.0.1:" + worker.agentPort();
            try (PrometheusServer prometheus = PrometheusServer.start(storage == Storage.NATIVE, "agentmon", target)) {
                // Enough scrapes for rate() over 1m and the alerts' ranges to have samples.
                prometheus.awaitData("count_over_time(up{job=\"agentmon\"}[1m]) >= 5", 45);
                assertTrue(worker.isAlive(), "worker still running\n" + worker.stderr());
                assertStores(prometheus, storage);

                // Facts the alerts rely on.
                // up is Prometheus's own series: job and instance, no service (AgentmonWorkerDown says so).
                assertHasData(prometheus, "up{job=\"agentmon\", instance=\"" + target + "\"} == 1");
                assertHasData(prometheus, "agentmon_info{job=\"agentmon\", instance=\"" + target + "\", service=\"" + SERVICE + "\"} == 1");
                assertHasData(prometheus, storage == Storage.CLASSIC
                        ? "sum(rate(agentmon_task_duration_seconds_count{job=\"agentmon\"}[1m])) > 0"
                        : "sum(histogram_count(rate(agentmon_task_duration_seconds{job=\"agentmon\"}[1m]))) > 0");
                assertHasData(prometheus, "sum by (pool) (agentmon_executor_queued_tasks{pool=\"worker\"})");
                assertHasData(prometheus, "sum(jvm_memory_used_bytes{area=\"heap\"}) / sum(jvm_memory_max_bytes{area=\"heap\"} > 0) < 0.9");
                assertHasData(prometheus, "changes(process_start_time_seconds{job=\"agentmon\"}[1h]) == 0");

                List<String> failures = new ArrayList<>();
                checkAlerts(prometheus, storage, failures);
                checkDashboards(prometheus, storage, target, failures);
                assertTrue(failures.isEmpty(), failures.size() + " problem(s) against a Prometheus that stores "
                        + storage + " histograms:\n" + String.join("\n\n", failures));
            }
        }
    }

    /**
     * Prometheus stores agentmon's histograms the way {@code storage} says, and only that way:
     * classic, every histogram has {@code _bucket}, {@code _count} and {@code _sum} series and no
     * series under its bare name; native, the bare name holds native histogram samples and there
     * is no {@code _bucket}, {@code _count} or {@code _sum} series. And {@link #HISTOGRAMS} names
     * every histogram of agentmon's that Prometheus has buckets of.
     */
    private static void assertStores(PrometheusServer prometheus, Storage storage) throws IOException {
        PrometheusServer.QueryResult buckets = prometheus.query("group by (__name__) ({__name__=~\"agentmon_.+_bucket\"})");
        assertTrue(buckets.success(), buckets.toString());
        Set<String> expected = new TreeSet<>();
        if (storage == Storage.CLASSIC) {
            HISTOGRAMS.forEach(histogram -> expected.add(histogram + "_bucket"));
        }
        assertEquals(expected, new TreeSet<>(buckets.labelValues("__name__")),
                "agentmon histograms stored with buckets, against a Prometheus that stores " + storage + " histograms");
        for (String histogram : HISTOGRAMS) {
            String selector = histogram + "{job=\"agentmon\"}";
            PrometheusServer.QueryResult bare = prometheus.query(selector);
            if (storage == Storage.NATIVE) {
                assertTrue(bare.success() && bare.count > 0 && bare.results.stream().allMatch(r -> r.containsKey("histogram")),
                        selector + " holds native histograms: " + bare);
            } else {
                assertTrue(bare.success() && bare.count == 0, selector + " has no series: " + bare);
            }
            for (String suffix : CLASSIC_SUFFIXES) {
                String classic = histogram + suffix + "{job=\"agentmon\"}";
                PrometheusServer.QueryResult result = prometheus.query(classic);
                assertTrue(result.success() && (storage == Storage.CLASSIC ? result.count > 0 : result.count == 0),
                        classic + (storage == Storage.CLASSIC ? " has data: " : " has no series: ") + result);
            }
        }
    }

    private static void assertHasData(PrometheusServer prometheus, String promql) throws IOException {
        PrometheusServer.QueryResult result = prometheus.query(promql);
        assertTrue(result.success() && result.count > 0, promql + ": " + result);
    }

    /**
     * Every alert expression parses; it reads every histogram both ways; every series selector
     * in it has data, but for a histogram selector of the form this Prometheus does not store,
     * which has none; and every join of a histogram's two forms answers with numbers.
     */
    private static void checkAlerts(PrometheusServer prometheus, Storage storage, List<String> failures) throws IOException {
        Map<String, String> expressions = AlertRulesTest.expressions();
        assertEquals(AlertRulesTest.rules().keySet(), expressions.keySet());
        for (Map.Entry<String, String> alert : expressions.entrySet()) {
            String expr = alert.getValue();
            assertFalse(expr.isBlank(), alert.getKey() + " has an expression");
            PrometheusServer.QueryResult result = prometheus.query(expr);
            if (!result.success()) {
                failures.add("alert " + alert.getKey() + " does not evaluate: " + result + "\n" + expr);
            }
            for (String unpaired : unpaired(expr)) {
                failures.add("alert " + alert.getKey() + " reads " + unpaired + " one way only: it is blind against a "
                        + "Prometheus that stores the histogram the other way (join classic and native with or)\n" + expr);
            }
            for (String selector : selectors(expr)) {
                PrometheusServer.QueryResult data = prometheus.query(selector);
                Storage form = form(selector);
                if (form == storage.other()) {
                    if (!data.success() || data.count != 0) {
                        failures.add("alert " + alert.getKey() + " reads " + selector + ", which a Prometheus that stores "
                                + storage + " histograms should not have: " + data);
                    }
                } else if (!data.success() || data.count == 0) {
                    failures.add("alert " + alert.getKey() + " reads " + selector + ", which has no data: " + data);
                }
            }
            for (String join : joins(expr)) {
                String promql = OFFSET.matcher(join).replaceAll("");
                PrometheusServer.QueryResult data = prometheus.query(promql);
                if (!data.success() || data.count == 0 || !numbers(data)) {
                    failures.add("alert " + alert.getKey() + ": the join " + promql + " has "
                            + (!data.success() ? "an error" : data.count == 0 ? "no data" : "native histograms, not numbers")
                            + ": " + data);
                }
            }
        }
    }

    /** The histogram form a selector reads: CLASSIC for {@code _bucket/_count/_sum}, NATIVE for the bare name, else null. */
    static Storage form(String selector) {
        String name = selector.replaceAll("\\{.*", "");
        for (String histogram : HISTOGRAMS) {
            if (name.equals(histogram)) {
                return Storage.NATIVE;
            }
            for (String suffix : CLASSIC_SUFFIXES) {
                if (name.equals(histogram + suffix)) {
                    return Storage.CLASSIC;
                }
            }
        }
        return null;
    }

    /** The histograms {@code expr} reads, each with the forms it reads it in. */
    private static Map<String, Set<Storage>> histogramForms(String expr) {
        Map<String, Set<Storage>> forms = new TreeMap<>();
        for (String selector : selectors(expr)) {
            Storage form = form(selector);
            if (form != null) {
                String name = selector.replaceAll("\\{.*", "");
                String histogram = form == Storage.NATIVE ? name : name.substring(0, name.lastIndexOf('_'));
                forms.computeIfAbsent(histogram, h -> EnumSet.noneOf(Storage.class)).add(form);
            }
        }
        return forms;
    }

    /** The histograms {@code expr} reads in one form only, with that form ({@code name (CLASSIC)}). */
    static Set<String> unpaired(String expr) {
        Set<String> unpaired = new TreeSet<>();
        for (Map.Entry<String, Set<Storage>> histogram : histogramForms(expr).entrySet()) {
            if (histogram.getValue().size() == 1) {
                unpaired.add(histogram.getKey() + " (" + histogram.getValue().iterator().next() + ")");
            }
        }
        return unpaired;
    }

    /**
     * The form a query reads its histograms in when it reads some of them one way only (null
     * when it reads each histogram both ways, or none); a query that reads one histogram only
     * classic and another only native answers against no Prometheus and fails.
     */
    private static Storage onlyForm(String expr) {
        Set<Storage> only = EnumSet.noneOf(Storage.class);
        for (Set<Storage> forms : histogramForms(expr).values()) {
            if (forms.size() == 1) {
                only.addAll(forms);
            }
        }
        assertTrue(only.size() <= 1, "reads one histogram only classic and another only native: " + expr);
        return only.isEmpty() ? null : only.iterator().next();
    }

    /**
     * The smallest bracketed parts of {@code expr} that read some histogram both ways (its
     * classic and its native form), each with the function or aggregation ({@code sum by (..)})
     * that the brackets belong to: the {@code classic or native} joins, to evaluate on their own.
     */
    static Set<String> joins(String expr) {
        List<int[]> spans = new ArrayList<>();
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < expr.length(); i++) {
            if (expr.charAt(i) == '(') {
                open.push(i);
            } else if (expr.charAt(i) == ')' && !open.isEmpty()) {
                spans.add(new int[] {open.pop(), i + 1});
            }
        }
        Set<String> joins = new LinkedHashSet<>();
        for (int[] span : spans) {
            if (!readsBothWays(expr.substring(span[0], span[1]))) {
                continue;
            }
            boolean smallest = true;
            for (int[] inner : spans) {
                if (inner != span && inner[0] > span[0] && inner[1] < span[1] && readsBothWays(expr.substring(inner[0], inner[1]))) {
                    smallest = false;
                }
            }
            if (smallest) {
                joins.add(expr.substring(owner(expr, span[0]), span[1]).replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")"));
            }
        }
        return joins;
    }

    private static boolean readsBothWays(String expr) {
        return histogramForms(expr).values().stream().anyMatch(forms -> forms.size() == 2);
    }

    /** Where the function or aggregation owning the bracket at {@code open} starts ({@code open} if none). */
    private static int owner(String expr, int open) {
        int end = spaceBefore(expr, open);
        if (end >= 0 && expr.charAt(end) == ')') { // "sum by (a, b) (": step over the label list and "by"
            int depth = 0;
            for (; end >= 0; end--) {
                depth += expr.charAt(end) == ')' ? 1 : expr.charAt(end) == '(' ? -1 : 0;
                if (depth == 0) {
                    break;
                }
            }
            if (end < 0) {
                return open;
            }
            int clauseEnd = spaceBefore(expr, end);
            int clause = wordStart(expr, clauseEnd);
            String word = expr.substring(clause, clauseEnd + 1);
            if (!word.equals("by") && !word.equals("without")) {
                return open;
            }
            end = spaceBefore(expr, clause);
        }
        int start = wordStart(expr, end);
        String word = expr.substring(start, end + 1);
        if (word.isEmpty() || !Character.isLetter(word.charAt(0)) || Set.of("and", "or", "unless", "bool", "on", "ignoring",
                "group_left", "group_right", "by", "without", "offset").contains(word)) {
            return open;
        }
        return start;
    }

    /** The index of the last non-space character before {@code at} (-1 if none). */
    private static int spaceBefore(String expr, int at) {
        int i = at - 1;
        while (i >= 0 && Character.isWhitespace(expr.charAt(i))) {
            i--;
        }
        return i;
    }

    /** Where the identifier ending at {@code end} (inclusive) starts; {@code end + 1} if none ends there. */
    private static int wordStart(String expr, int end) {
        int i = end;
        while (i >= 0 && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
            i--;
        }
        return i + 1;
    }

    /** Every result is a number (a float sample), none a native histogram. */
    private static boolean numbers(PrometheusServer.QueryResult result) {
        return result.results.stream().allMatch(r -> r.containsKey("value") || r.containsKey("values"));
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

    /**
     * Every panel query of every dashboard parses and returns data, numbers unless the panel is
     * a heatmap; a query that reads a histogram one way only sits in a heatmap panel beside one
     * that reads it the other way, and has data only against its own storage.
     */
    private static void checkDashboards(PrometheusServer prometheus, Storage storage, String target, List<String> failures)
            throws IOException {
        if (!Files.isDirectory(DASHBOARDS)) {
            return; // no dashboards shipped (yet)
        }
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("datasource", "");
        variables.put("service", SERVICE);
        variables.put("job", "agentmon");
        variables.put("instance", target);
        variables.put("task", all(prometheus, "task", "agentmon_tasks_active"));
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
            Map<String, Set<String>> oneWayByPanel = new LinkedHashMap<>();
            for (String[] query : queries) {
                String where = "dashboard " + file.getFileName() + ", panel \"" + query[0] + "\"";
                boolean heatmap = "heatmap".equals(query[2]);
                Storage only = onlyForm(query[1]);
                if (only != null && !heatmap) {
                    failures.add(where + " reads " + unpaired(query[1]) + " one way only: no data against a Prometheus "
                            + "that stores the histogram the other way (join classic and native with or)\n  query: " + query[1]);
                    continue;
                }
                if (only != null) {
                    oneWayByPanel.computeIfAbsent(query[3] + " " + where, panel -> new TreeSet<>()).addAll(unpaired(query[1]));
                }
                String promql = substitute(query[1], variables);
                PrometheusServer.QueryResult result = prometheus.query(promql);
                String problem = null;
                if (!result.success()) {
                    problem = "does not parse";
                } else if (only == storage.other()) {
                    if (result.count != 0) {
                        problem = "has data, from a form of the histogram a Prometheus that stores " + storage
                                + " histograms should not have";
                    }
                } else if (result.count == 0) {
                    problem = "no data";
                } else if (!heatmap && !numbers(result)) {
                    problem = "native histograms, which only a heatmap draws";
                }
                if (problem != null) {
                    failures.add(where + ": " + problem + "\n  query: " + query[1]
                            + "\n  sent:  " + promql + "\n  answer: " + result);
                }
            }
            // A heatmap's one-way queries come in pairs: each histogram read classic by one is read native by another.
            for (Map.Entry<String, Set<String>> panel : oneWayByPanel.entrySet()) {
                for (String histogram : panel.getValue()) {
                    String other = histogram.endsWith("(CLASSIC)") ? histogram.replace("(CLASSIC)", "(NATIVE)")
                            : histogram.replace("(NATIVE)", "(CLASSIC)");
                    if (!panel.getValue().contains(other)) {
                        failures.add(panel.getKey().substring(panel.getKey().indexOf(' ') + 1) + " reads " + histogram
                                + " but has no query that reads " + other + ": the panel is empty against the other storage");
                    }
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

    /**
     * Panel title, {@code expr}, panel type and panel number (the panels' order in the file) of
     * every target of every panel (rows' nested panels included).
     */
    @SuppressWarnings("unchecked")
    static List<String[]> panelQueries(String dashboardJson) {
        List<String[]> queries = new ArrayList<>();
        collect(Json.parse(dashboardJson), "(dashboard)", queries, new int[1]);
        return queries;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, String title, List<String[]> queries, int[] panels) {
        if (node instanceof Map) {
            Map<String, Object> map = (Map<String, Object>) node;
            String here = map.get("title") instanceof String ? (String) map.get("title") : title;
            if (map.get("targets") instanceof List) {
                String type = String.valueOf(map.get("type"));
                String panel = String.valueOf(panels[0]++);
                for (Object target : (List<Object>) map.get("targets")) {
                    if (target instanceof Map && ((Map<String, Object>) target).get("expr") instanceof String) {
                        String expr = (String) ((Map<String, Object>) target).get("expr");
                        if (!expr.isBlank()) {
                            queries.add(new String[] {here, expr, type, panel});
                        }
                    }
                }
            }
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                if (!entry.getKey().equals("targets") && !entry.getKey().equals("templating")) {
                    collect(entry.getValue(), here, queries, panels);
                }
            }
        } else if (node instanceof List) {
            for (Object item : (List<Object>) node) {
                collect(item, title, queries, panels);
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
                + "\"panels\":[{\"type\":\"row\",\"title\":\"Row\",\"panels\":[{\"type\":\"timeseries\",\"title\":\"Inner \\\"quoted\\\"\",\"targets\":["
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
        assertEquals("timeseries", queries.get(0)[2]);
        assertEquals("null", queries.get(1)[2]);
        assertEquals(List.of("0", "1"), List.of(queries.get(0)[3], queries.get(1)[3]));
    }

    /** The histogram forms of selectors, the one-way reads and the classic-or-native joins, without any process. */
    @Test
    void histogramJoinsAreFound() {
        assertEquals(Storage.CLASSIC, form("agentmon_task_duration_seconds_count{outcome=\"failure\"}"));
        assertEquals(Storage.CLASSIC, form("agentmon_executor_queue_wait_seconds_bucket"));
        assertEquals(Storage.NATIVE, form("agentmon_docker_allocation_duration_seconds{outcome=\"success\"}"));
        assertEquals(null, form("agentmon_task_failures_total"));
        assertEquals(null, form("jvm_gc_pause_seconds_sum"));

        String counts = "(\n  sum by (service, task) (\n    rate(agentmon_task_duration_seconds_count{outcome=\"failure\"}[10m])\n"
                + "    or histogram_count(rate(agentmon_task_duration_seconds{outcome=\"failure\"}[10m]))\n  )\n  /\n"
                + "  sum by (service, task) (rate(agentmon_task_duration_seconds_count[10m]) or histogram_count(rate(agentmon_task_duration_seconds[10m])))\n"
                + ") > 0.10";
        assertEquals(Set.of(), unpaired(counts));
        assertEquals(new LinkedHashSet<>(List.of(
                "sum by (service, task) (rate(agentmon_task_duration_seconds_count{outcome=\"failure\"}[10m]) "
                        + "or histogram_count(rate(agentmon_task_duration_seconds{outcome=\"failure\"}[10m])))",
                "sum by (service, task) (rate(agentmon_task_duration_seconds_count[10m]) or histogram_count(rate(agentmon_task_duration_seconds[10m])))")),
                joins(counts));

        String quantiles = "(\n  histogram_quantile(0.95, sum by (service, pool) (rate(agentmon_executor_queue_wait_seconds[10m])))\n  or\n"
                + "  histogram_quantile(0.95, sum by (service, pool, le) (rate(agentmon_executor_queue_wait_seconds_bucket[10m])))\n) > 30\n"
                + "unless on (service, pool) (\n  (histogram_quantile(0.95, sum by (service, pool) (rate(agentmon_executor_queue_wait_seconds[10m] offset 10m)))"
                + " or histogram_quantile(0.95, sum by (service, pool, le) (rate(agentmon_executor_queue_wait_seconds_bucket[10m] offset 10m))))\n)";
        assertEquals(new LinkedHashSet<>(List.of(
                "(histogram_quantile(0.95, sum by (service, pool) (rate(agentmon_executor_queue_wait_seconds[10m]))) or "
                        + "histogram_quantile(0.95, sum by (service, pool, le) (rate(agentmon_executor_queue_wait_seconds_bucket[10m]))))",
                "(histogram_quantile(0.95, sum by (service, pool) (rate(agentmon_executor_queue_wait_seconds[10m] offset 10m))) or "
                        + "histogram_quantile(0.95, sum by (service, pool, le) (rate(agentmon_executor_queue_wait_seconds_bucket[10m] offset 10m))))")),
                joins(quantiles));

        String heatmap = "sum by (le) (rate(agentmon_task_duration_seconds_bucket{task=~\"$task\"}[$__rate_interval]))";
        assertEquals(Set.of("agentmon_task_duration_seconds (CLASSIC)"), unpaired(heatmap));
        assertEquals(Storage.CLASSIC, onlyForm(heatmap));
        assertEquals(Storage.NATIVE, onlyForm("sum(rate(agentmon_task_duration_seconds{task=~\"$task\"}[$__rate_interval]))"));
        assertEquals(null, onlyForm("sum(rate(agentmon_task_failures_total[5m]))"));
        assertEquals(Set.of(), joins(heatmap));
    }
}

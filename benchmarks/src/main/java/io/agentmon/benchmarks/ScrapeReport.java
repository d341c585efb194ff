package io.agentmon.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@link ScrapeBenchmark} runs into the BENCHMARKS.md tables: reads each run's JMH console
 * log (for the {@code scrape-check} and {@code scrape-cpu} lines, attributed to the benchmark
 * and parameter the log names before them) and its {@code -rf csv} result file.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.agentmon.benchmarks.ScrapeReport run1.log run1.csv [run2.log run2.csv ...]</pre>
 */
public final class ScrapeReport {

    private static final Pattern BENCHMARK = Pattern.compile("^# Benchmark: .*\\.ScrapeBenchmark\\.(\\w+)");
    private static final Pattern PARAMETERS = Pattern.compile("^# Parameters: \\(series = (\\d+)\\)");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=([-\\w.]+)");
    private static final String[] ORDER = {"agentmonHttp", "micrometerHttp", "agentmonHttpGzip", "micrometerHttpGzip",
        "micrometerScrape"};

    /** One (benchmark, N). */
    static final class Row {
        double score = Double.NaN;
        double error = Double.NaN;
        double alloc = Double.NaN;
        Map<String, String> check = new TreeMap<>();
        Map<String, String> cpu = new TreeMap<>();
    }

    private final Map<Integer, Map<String, Row>> rows = new TreeMap<>();

    private ScrapeReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: ScrapeReport <jmh log> <jmh csv> [<jmh log> <jmh csv> ...]");
            System.exit(2);
        }
        ScrapeReport report = new ScrapeReport();
        for (int i = 0; i < args.length; i += 2) {
            report.readLog(args[i]);
            report.readCsv(args[i + 1]);
        }
        report.print();
    }

    private Row row(String benchmark, int series) {
        return rows.computeIfAbsent(series, s -> new TreeMap<>()).computeIfAbsent(benchmark, b -> new Row());
    }

    private void readLog(String file) throws IOException {
        String benchmark = null;
        int series = -1;
        for (String line : Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8)) {
            Matcher m = BENCHMARK.matcher(line);
            if (m.find()) {
                benchmark = m.group(1);
                continue;
            }
            m = PARAMETERS.matcher(line);
            if (m.find()) {
                series = Integer.parseInt(m.group(1));
                continue;
            }
            int at = line.indexOf("scrape-check ");
            Map<String, String> target = null;
            if (at >= 0 && benchmark != null) {
                target = row(benchmark, series).check;
            } else if ((at = line.indexOf("scrape-cpu ")) >= 0 && benchmark != null) {
                target = row(benchmark, series).cpu;
            }
            if (target != null) {
                Matcher field = FIELD.matcher(line.substring(at));
                while (field.find()) {
                    target.put(field.group(1), field.group(2));
                }
            }
        }
    }

    private void readCsv(String file) throws IOException {
        List<String> lines = Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line);
            String name = cells.get(0);
            name = name.substring(name.indexOf(".ScrapeBenchmark.") + ".ScrapeBenchmark.".length());
            int series = Integer.parseInt(cells.get(cells.size() - 1));
            double score = Double.parseDouble(cells.get(4));
            double error = cells.get(5).isEmpty() ? Double.NaN : Double.parseDouble(cells.get(5));
            if (name.endsWith(":gc.alloc.rate.norm")) {
                row(name.substring(0, name.indexOf(':')), series).alloc = score;
            } else if (!name.contains(":")) {
                Row row = row(name, series);
                row.score = score;
                row.error = error;
            }
        }
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    private void print() {
        System.out.println("| N | benchmark | labels | task series / all | bytes per scrape | ms/op | CPU ms/op (process / Java threads) | allocated per op |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Integer, Map<String, Row>> byN : rows.entrySet()) {
            for (String benchmark : ORDER) {
                Row row = byN.getValue().get(benchmark);
                if (row == null) {
                    continue;
                }
                Map<String, String> c = row.check;
                String bytes = benchmark.endsWith("Gzip") ? c.get("gzipBytes")
                        : benchmark.equals("micrometerScrape") ? c.get("scrapeStringBytes") : c.get("bytes");
                System.out.printf(Locale.ROOT, "| %,d | `%s` | %s | %s / %s | %s | %s | %s | %s |%n", byN.getKey(), benchmark,
                        number(c.get("labels")), number(c.get("taskSeries")), number(c.get("series")), number(bytes),
                        timing(row), row.cpu.getOrDefault("cpuMsPerOp", "—") + " / " + row.cpu.getOrDefault("threadCpuMsPerOp", "—"),
                        megabytes(row.alloc));
            }
        }
        System.out.println();
        System.out.println("agentmon ÷ Micrometer (below 1: agentmon is faster or smaller):");
        System.out.println();
        System.out.println("| N | time, HTTP text | time, HTTP gzip | time, HTTP text ÷ `scrape()` | thread CPU, HTTP text"
                + " | thread CPU, HTTP gzip | allocated, HTTP text | allocated, HTTP gzip | bytes, text | bytes, gzip"
                + " | bytes of the same meters, text | gzip |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Integer, Map<String, Row>> byN : rows.entrySet()) {
            Map<String, Row> r = byN.getValue();
            Row at = r.get("agentmonHttp");
            Row mt = r.get("micrometerHttp");
            Row ag = r.get("agentmonHttpGzip");
            Row mg = r.get("micrometerHttpGzip");
            Row ms = r.get("micrometerScrape");
            if (at == null || mt == null || ag == null || mg == null || ms == null) {
                continue;
            }
            System.out.printf(Locale.ROOT, "| %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", byN.getKey(),
                    at.score / mt.score, ag.score / mg.score, at.score / ms.score,
                    cpu(at) / cpu(mt), cpu(ag) / cpu(mg), at.alloc / mt.alloc, ag.alloc / mg.alloc,
                    value(at.check, "bytes") / value(mt.check, "bytes"),
                    value(ag.check, "gzipBytes") / value(mg.check, "gzipBytes"),
                    value(at.check, "sharedBytes") / value(mt.check, "sharedBytes"),
                    value(at.check, "sharedGzipBytes") / value(mt.check, "sharedGzipBytes"));
        }
    }

    /** Java threads' CPU where the run measured it, else the process's. */
    private static double cpu(Row row) {
        return row.cpu.containsKey("threadCpuMsPerOp") ? value(row.cpu, "threadCpuMsPerOp") : value(row.cpu, "cpuMsPerOp");
    }

    private static double value(Map<String, String> map, String key) {
        String value = map.get(key);
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    private static String number(String value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%,d", Long.parseLong(value));
    }

    private static String timing(Row row) {
        if (Double.isNaN(row.score)) {
            return "—";
        }
        String score = String.format(Locale.ROOT, row.score < 10 ? "%.3f" : "%.1f", row.score);
        return Double.isNaN(row.error) ? score
                : score + " ± " + String.format(Locale.ROOT, row.error < 10 ? "%.3f" : "%.1f", row.error);
    }

    private static String megabytes(double bytes) {
        if (Double.isNaN(bytes)) {
            return "—";
        }
        return bytes >= 1e6 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.0f KB", bytes / 1e3);
    }
}

package io.agentmon.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One worker JVM started by a whole-process harness ({@link ScrapeCost}, {@link PeerOverhead}):
 * its output lines (stdout and stderr, read by two daemon threads into one list, each line
 * stamped with {@link System#nanoTime()} when it was read), its stdin, and the probes the
 * harnesses read from outside the process ({@code jcmd}, {@code /proc}).
 */
final class WorkerJvm {

    /** A line the worker wrote, and when the harness read it. */
    private static final class Line {
        /** "out: " or "err: " and the line. */
        final String tagged;
        final String text;
        final long nanos;

        Line(String tagged, String text, long nanos) {
            this.tagged = tagged;
            this.text = text;
            this.nanos = nanos;
        }
    }

    final String name;
    final Process process;
    /** {@link System#nanoTime()} just before the process was started. */
    final long startNanos;
    /** Every line read so far, in order; guarded by itself, which is also what waiters wait on. */
    private final List<Line> lines = new ArrayList<>();
    /** How many pumps (stdout, stderr) are still reading; guarded by {@link #lines}. */
    private int pumping = 2;
    /** The first line {@link #await} has not looked at yet. */
    private int cursor;
    private final Writer stdin;
    /** When the line that the last {@link #await} or {@link #find} matched was read ({@link System#nanoTime()}). */
    long matchedNanos;

    private WorkerJvm(String name, Process process, long startNanos) {
        this.name = name;
        this.process = process;
        this.startNanos = startNanos;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), "out");
        pump(process.getErrorStream(), "err");
    }

    static WorkerJvm start(String name, List<String> command) throws IOException {
        long start = System.nanoTime();
        return new WorkerJvm(name, new ProcessBuilder(command).start(), start);
    }

    long pid() {
        return process.pid();
    }

    /** Seconds since the process was started. */
    double ageSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void pump(InputStream stream, String which) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    long now = System.nanoTime();
                    synchronized (lines) {
                        lines.add(new Line(which + ": " + line, line, now));
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                synchronized (lines) {
                    pumping--;
                    lines.notifyAll();
                }
            }
        }, "bench-" + name + "-" + which);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The next output line after the last one {@code await} matched that matches, waiting at
     * most {@code seconds}; lines before it are passed over. Throws, with the worker's last
     * output, when the worker's output ends first or the time runs out.
     */
    Matcher await(Pattern pattern, long seconds, String what) {
        return search(pattern, seconds, what, true);
    }

    /** Like {@link #await}, but over every line the worker wrote, from its first; moves no cursor. */
    Matcher find(Pattern pattern, long seconds, String what) {
        return search(pattern, seconds, what, false);
    }

    private Matcher search(Pattern pattern, long seconds, String what, boolean consume) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int next = consume ? cursor : 0;
        synchronized (lines) {
            try {
                while (true) {
                    for (; next < lines.size(); next++) {
                        Line line = lines.get(next);
                        Matcher m = pattern.matcher(line.text);
                        if (m.find()) {
                            matchedNanos = line.nanos;
                            if (consume) {
                                cursor = next + 1;
                            }
                            return m;
                        }
                    }
                    if (consume) {
                        cursor = next;
                    }
                    long left = deadline - System.nanoTime();
                    if (pumping == 0) {
                        process.waitFor(5, TimeUnit.SECONDS);
                        throw new IllegalStateException(name + ": the worker's output ended ("
                                + (process.isAlive() ? "still running" : "exit status " + process.exitValue())
                                + ") before " + what + "; its output:\n" + outputLocked());
                    }
                    if (left <= 0) {
                        throw new IllegalStateException(name + ": no " + what + " within " + seconds + " s; its output:\n" + outputLocked());
                    }
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(name + ": interrupted waiting for " + what);
            }
        }
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Sends {@code exit} and waits up to 30 s for the process to end. */
    void exit() throws IOException, InterruptedException {
        try {
            send("exit");
        } catch (IOException alreadyGone) {
            // waited for below
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + ": did not exit within 30 s of `exit`");
        }
    }

    /** Waits up to {@code seconds} for the process to end by itself; its exit status. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + ": did not exit within " + seconds + " s; its output:\n" + output());
        }
        return process.exitValue();
    }

    /** The last 40 lines the worker wrote. */
    String output() {
        synchronized (lines) {
            return outputLocked();
        }
    }

    private String outputLocked() {
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, lines.size() - 40); i < lines.size(); i++) {
            out.append(lines.get(i).tagged).append('\n');
        }
        return out.toString();
    }

    /** Every line the worker wrote so far, stdout and stderr together, untagged. */
    List<String> allOutput() {
        synchronized (lines) {
            List<String> all = new ArrayList<>();
            for (Line line : lines) {
                all.add(line.text);
            }
            return all;
        }
    }

    // ---------------------------------------------------------------- a set of workers to end on the way out

    /** The workers a harness started, so that a failure or a Ctrl-C ends them all. */
    static final class Group {
        private final List<WorkerJvm> workers = new ArrayList<>();

        WorkerJvm start(String name, List<String> command) throws IOException {
            WorkerJvm worker = WorkerJvm.start(name, command);
            synchronized (workers) {
                workers.add(worker);
            }
            return worker;
        }

        void killAll() {
            synchronized (workers) {
                for (WorkerJvm worker : workers) {
                    worker.process.destroyForcibly();
                }
                for (WorkerJvm worker : workers) {
                    try {
                        worker.process.waitFor(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                workers.clear();
            }
        }
    }

    // ---------------------------------------------------------------- probes from outside the process

    /** The output of {@code jcmd <pid> <arguments>} (the JDK's own, beside this JVM's java), bounded to 60 s. */
    static String jcmd(long pid, String... arguments) throws IOException, InterruptedException {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        List<String> command = new ArrayList<>();
        command.add(jcmd.toString());
        command.add(String.valueOf(pid));
        command.addAll(Arrays.asList(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
            out = in.readAllBytes(); // jcmd ends when the worker answers or gives up; bounded below
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("jcmd " + pid + " " + String.join(" ", arguments) + " did not end within 60 s");
            }
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static final Pattern NMT_TOTAL = Pattern.compile("^Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    /**
     * Committed bytes by Native Memory Tracking category ({@code jcmd <pid> VM.native_memory
     * summary}; the worker runs with {@code -XX:NativeMemoryTracking=summary}), and "Total".
     */
    static Map<String, Long> nativeMemory(long pid) throws IOException, InterruptedException {
        String out = jcmd(pid, "VM.native_memory", "summary");
        Map<String, Long> committed = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Matcher total = NMT_TOTAL.matcher(line);
            Matcher category = NMT_CATEGORY.matcher(line);
            if (total.find()) {
                committed.put("Total", Long.parseLong(total.group(1)) * 1024);
            } else if (category.find()) {
                committed.put(category.group(1), Long.parseLong(category.group(2)) * 1024);
            }
        }
        if (!committed.containsKey("Total") || !committed.containsKey("Java Heap")) {
            throw new IllegalStateException("no native memory summary from jcmd " + pid + ":\n" + out);
        }
        return committed;
    }

    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    /**
     * Bytes of live objects on the heap: the total of {@code jcmd <pid> GC.class_histogram},
     * which runs a full collection first and then counts what it kept.
     */
    static long liveHeap(long pid) throws IOException, InterruptedException {
        String out = jcmd(pid, "GC.class_histogram");
        Matcher total = HISTOGRAM_TOTAL.matcher(out);
        if (!total.find()) {
            throw new IllegalStateException("no Total line from jcmd " + pid + " GC.class_histogram:\n"
                    + out.substring(0, Math.min(out.length(), 2000)));
        }
        return Long.parseLong(total.group(2));
    }

    /** VmRSS of a process, from {@code /proc/<pid>/status}; -1 where there is none. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    static String loadAverage() {
        try {
            return new String(Files.readAllBytes(Paths.get("/proc/loadavg")), StandardCharsets.ISO_8859_1).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    // ---------------------------------------------------------------- statistics

    static long median(long[] values) {
        return percentile(values, 0.5);
    }

    /** Nearest-rank percentile. */
    static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The median; the mean of the middle two for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}

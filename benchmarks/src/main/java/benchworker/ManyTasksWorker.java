package benchworker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A worker with many distinct task classes, for the whole-process benchmarks
 * ({@code io.agentmon.benchmarks.ScrapeCost}). It knows nothing of agentmon.
 *
 * <p>At start it writes {@code N} task classes as Java source ({@code benchgen.Task0} ...
 * {@code benchgen.Task<N-1>}, each a {@link Runnable} whose {@code run()} calls {@link Spin#spin}),
 * compiles them with the JDK's compiler into a temporary directory, loads them with a
 * {@link URLClassLoader} and runs every task {@code R} times, round-robin over the tasks, on the
 * main thread. Each run busy-spins for a duration drawn log-uniform between 2 µs and 500 µs
 * (seeded, so every run of the benchmark sees the same durations); every 50th run of a task
 * (runs 7, 57, 107, ...) throws {@link TaskFailure} after spinning, so the failure series have
 * data. Then it prints {@code done} and serves commands on stdin, one a line:
 *
 * <ul>
 *   <li>{@code heap}: runs {@link System#gc()} and prints
 *       {@code heap used=<bytes> metaspace=<bytes> classes=<bytes>}: heap used after the
 *       collections ({@code Runtime.totalMemory() - freeMemory()}, the least of five readings), and the used bytes of the
 *       Metaspace and Compressed Class Space pools, read in process (no JMX connection);</li>
 *   <li>{@code exit}, or the end of stdin: exits.</li>
 * </ul>
 *
 * <p>Arguments: {@code N R [seed]} (seed defaults to 10).
 */
public final class ManyTasksWorker {

    /** Durations are log-uniform in [MIN, MAX) nanoseconds: about two and a half decades. */
    static final double MIN_NANOS = 2_000;
    static final double MAX_NANOS = 500_000;
    /** Every FAIL_EVERY-th run of a task throws, starting at run FAIL_FIRST. */
    static final int FAIL_EVERY = 50;
    static final int FAIL_FIRST = 7;

    /** Kept so the generated classes (and their loader) stay alive as long as the worker. */
    private static final List<Runnable> TASKS = new ArrayList<>();
    private static URLClassLoader loader;

    private ManyTasksWorker() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ManyTasksWorker <tasks> <runs per task> [seed]");
            System.exit(2);
        }
        int tasks = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 10;

        Path dir = Files.createTempDirectory("bench-manytasks-");
        try {
            compile(dir, tasks);
            loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ManyTasksWorker.class.getClassLoader());
            for (int k = 0; k < tasks; k++) {
                TASKS.add((Runnable) loader.loadClass("benchgen.Task" + k).getDeclaredConstructor().newInstance());
            }
        } finally {
            deleteTree(dir); // the classes are loaded; the files are no longer needed
        }

        Random random = new Random(seed);
        double ratio = Math.log(MAX_NANOS / MIN_NANOS);
        long failures = 0;
        for (int run = 0; run < runs; run++) {
            boolean fail = run % FAIL_EVERY == FAIL_FIRST;
            for (Runnable task : TASKS) {
                Spin.nanos = (long) (MIN_NANOS * Math.exp(random.nextDouble() * ratio));
                Spin.fail = fail;
                try {
                    task.run();
                } catch (TaskFailure expected) {
                    failures++;
                }
            }
        }
        System.out.println("done tasks=" + tasks + " runs=" + (long) tasks * runs + " failures=" + failures);
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = stdin.readLine()) != null; ) {
            line = line.trim();
            if (line.equals("heap")) {
                System.out.println(heap());
            } else if (line.equals("exit")) {
                break;
            } else if (!line.isEmpty()) {
                System.out.println("unknown command: " + line);
            }
            System.out.flush();
        }
        System.exit(0);
    }

    /** Writes and compiles the task classes {@code benchgen.Task0} ... {@code benchgen.Task<tasks-1>} into {@code dir}. */
    public static void compile(Path dir, int tasks) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/benchgen"));
        List<String> arguments = new ArrayList<>(List.of("--release", "11", "-nowarn", "-proc:none",
                "-cp", System.getProperty("java.class.path"), "-d", dir.toString()));
        for (int k = 0; k < tasks; k++) {
            Path source = sources.resolve("Task" + k + ".java");
            Files.write(source, ("package benchgen;\n\n"
                    + "public class Task" + k + " implements Runnable {\n"
                    + "    @Override\n"
                    + "    public void run() {\n"
                    + "        benchworker.Spin.spin();\n"
                    + "    }\n"
                    + "}\n").getBytes(StandardCharsets.UTF_8));
            arguments.add(source.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the worker on a JDK, not a JRE");
        }
        int status = javac.run(null, null, null, arguments.toArray(new String[0]));
        if (status != 0) {
            throw new IllegalStateException("javac failed with status " + status);
        }
    }

    /**
     * Heap used after full collections: the least of five readings, each after two
     * {@code System.gc()} calls and a 100 ms pause. One reading can be high by a few MB, when
     * another thread (the agent's, say) has taken a fresh allocation buffer between the
     * collection and the reading, which counts as used in full.
     */
    private static String heap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int reading = 0; reading < 5; reading++) {
            System.gc();
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
            Thread.sleep(100);
        }
        long metaspace = -1;
        long classes = -1;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getUsed();
            } else if (pool.getName().equals("Compressed Class Space")) {
                classes = pool.getUsage().getUsed();
            }
        }
        return "heap used=" + used + " metaspace=" + metaspace + " classes=" + classes;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

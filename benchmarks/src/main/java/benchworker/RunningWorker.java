package benchworker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small running worker for the peer-overhead harness's memory figures: {@code N} task classes
 * ({@code benchgen.Task0} ... {@code benchgen.Task<N-1>}, the classes {@link ManyTasksWorker}
 * generates, found on the class path), run round-robin on a pool of two threads at a modest
 * {@code R} runs a second, each run busy-spinning {@code S} µs ({@link Spin}). It knows nothing
 * of agentmon.
 *
 * <p>Its first line, before it loads anything of its own, is {@code started alloc=<bytes>}: the
 * bytes every thread of the JVM had allocated on the heap by the time {@code main} began (JVM
 * start-up and any agent's {@code premain}), from
 * {@code com.sun.management.ThreadMXBean.getTotalThreadAllocatedBytes()} (JDK 14 and later; -1
 * before). Once every task has run at least once it prints {@code all tasks ran}. Then it serves
 * commands on stdin, one a line: {@code alloc} prints {@code alloc=<bytes>} (the same counter,
 * now), {@code exit} (or the end of stdin) exits.
 *
 * <p>Arguments: {@code N R S}.
 */
public final class RunningWorker {

    private RunningWorker() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("started alloc=" + allocatedBytes());
        System.out.flush();
        if (args.length < 3) {
            System.err.println("usage: RunningWorker <tasks> <runs per second> <spin µs>");
            System.exit(2);
        }
        int count = Integer.parseInt(args[0]);
        double rate = Double.parseDouble(args[1]);
        Spin.nanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[2]));

        String[] names = new String[count];
        Runnable[] tasks = new Runnable[count];
        for (int k = 0; k < count; k++) {
            names[k] = "benchgen.Task" + k;
            tasks[k] = (Runnable) Class.forName(names[k]).getDeclaredConstructor().newInstance();
        }
        Timing timing = Timing.forTasks(names);

        AtomicInteger firstRuns = new AtomicInteger();
        AtomicIntegerArray ran = new AtomicIntegerArray(count);
        Runnable[] runs = new Runnable[count];
        for (int k = 0; k < count; k++) {
            int task = k;
            runs[k] = () -> {
                timing.run(task, tasks[task]);
                if (ran.get(task) == 0 && ran.compareAndSet(task, 0, 1)) {
                    if (firstRuns.incrementAndGet() == count) {
                        System.out.println("all tasks ran");
                        System.out.flush();
                    }
                }
            };
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, daemon("task"));
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(daemon("clock"));
        AtomicLong next = new AtomicLong();
        long period = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        clock.scheduleAtFixedRate(() -> pool.execute(runs[(int) (next.getAndIncrement() % count)]),
                0, period, TimeUnit.NANOSECONDS);

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = stdin.readLine()) != null; ) {
            line = line.trim();
            if (line.equals("alloc")) {
                System.out.println("alloc=" + allocatedBytes());
            } else if (line.equals("exit")) {
                break;
            } else if (!line.isEmpty()) {
                System.out.println("unknown command: " + line);
            }
            System.out.flush();
        }
        System.exit(0);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Heap bytes allocated by every thread since the JVM started; -1 on a JDK before 14. */
    static long allocatedBytes() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            Method total = com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes");
            return (Long) total.invoke(threads);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return -1;
        }
    }
}

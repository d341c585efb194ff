package io.agentmon.benchmarks;

import benchworker.PlainTask;
import benchworker.TaskFailure;
import benchworker.WovenTask;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What the woven enter/exit code costs a task method, per call.
 *
 * <p>Every benchmark runs in a forked JVM with the real {@code agentmon.jar} attached, which
 * weaves {@link WovenTask} and leaves {@link PlainTask}, the same code under another name,
 * alone. {@code xxxWoven - xxxPlain} is then what the agent adds to one call. Two references
 * split that up: {@link #clockNanoTime} is the clock read the probe makes twice per call,
 * {@link #referenceThreeLongAdders} its three counter writes. The agent path is relative: run
 * the jar from the repository root (see BENCHMARKS.md).
 *
 * <p>Each trial checks itself at tear-down, by reading the bootstrap recorders: a woven
 * benchmark must have counted its calls (finished > 0, all in the expected outcome), a plain one must have
 * counted nothing. A benchmark whose advice was optimised away, or that ran without the
 * agent, fails instead of reporting a number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {
        "-javaagent:" + TaskProbeBenchmark.AGENT_JAR,
        "-Dagentmon.tasks=" + TaskProbeBenchmark.TASKS,
        "-Dagentmon.port=0",
        "-Dagentmon.host=127.0.0.1",
        // A worker's task method is a real call: it is far too big to be inlined into its caller,
        // and what it throws unwinds a real frame. Keep both the woven and the plain tasks that way,
        // or the plain side's throw-and-catch would compile into a jump that no worker ever gets.
        "-XX:CompileCommand=quiet",
        "-XX:CompileCommand=dontinline,benchworker.*::*"})
public class TaskProbeBenchmark {

    /** Relative to the working directory of the {@code java -jar benchmarks.jar} command. */
    static final String AGENT_JAR = "agent/target/agentmon.jar";
    static final String TASKS = "benchworker.WovenTask#run,benchworker.WovenTask#fail";

    /** The task objects; stateless, so one pair serves every thread. */
    @State(Scope.Benchmark)
    public static class Tasks {
        final WovenTask woven = new WovenTask();
        final PlainTask plain = new PlainTask();

        /**
         * Fails the trial, with the reason, when the agent is not attached. Also runs the
         * reading code once, so that its one-time costs (reflection, string concatenation
         * bootstrap) are paid here and not inside the last measured iteration, which the
         * trial tear-down shares with the GC profiler.
         */
        @Setup(Level.Trial)
        public void requireAgent() {
            Recorders.load();
            report("setup");
        }

        @TearDown(Level.Trial)
        public void check(BenchmarkParams params) {
            String name = params.getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Recorders.Counts run = Recorders.counts("WovenTask.run");
            Recorders.Counts fail = Recorders.counts("WovenTask.fail");
            report(name);
            if (Recorders.countLabelsStartingWith("PlainTask.") != 0) {
                throw new IllegalStateException("PlainTask was woven: the comparison is void");
            }
            if (name.startsWith("successWoven")) {
                require(run.finished > 0 && run.success == run.finished && fail.finished == 0, name, run, fail);
            } else if (name.startsWith("failureWoven")) {
                require(fail.finished > 0 && fail.failure == fail.finished && fail.exceptions == fail.failure
                        && run.finished == 0, name, run, fail);
            } else {
                require(run.finished == 0 && fail.finished == 0, name, run, fail);
            }
        }

        private static void report(String when) {
            System.out.println();
            System.out.println("agentmon recorders after " + when + ": WovenTask.run " + Recorders.counts("WovenTask.run")
                    + "; WovenTask.fail " + Recorders.counts("WovenTask.fail")
                    + "; PlainTask recorders: " + Recorders.countLabelsStartingWith("PlainTask."));
        }

        private static void require(boolean ok, String name, Recorders.Counts run, Recorders.Counts fail) {
            if (!ok) {
                throw new IllegalStateException(name + ": recorders do not match the benchmark (WovenTask.run " + run
                        + ", WovenTask.fail " + fail + "); the advice was removed or mis-counted");
            }
        }
    }

    /** The argument, per thread, read from a field so that the JIT cannot fold the work away. */
    @State(Scope.Thread)
    public static class Input {
        long value = 42; // any value but 0 makes fail() throw
    }

    // ---- the floor: the probe reads the clock twice per call ----

    @Benchmark
    public long clockNanoTime() {
        return System.nanoTime();
    }

    /**
     * A reference for the rest of the probe: the three uncontended {@link LongAdder} writes a
     * successful call makes (runs started, one histogram bucket, the duration sum), without
     * the clock, the table lookups or the bucket search.
     */
    @State(Scope.Benchmark)
    public static class Adders {
        final LongAdder started = new LongAdder();
        final LongAdder bucket = new LongAdder();
        final LongAdder sum = new LongAdder();
    }

    @Benchmark
    public void referenceThreeLongAdders(Adders adders, Input input) {
        adders.started.increment();
        adders.bucket.increment();
        adders.sum.add(input.value);
    }

    // ---- success path ----

    @Benchmark
    public long successPlain(Tasks tasks, Input input) {
        return tasks.plain.run(input.value);
    }

    @Benchmark
    public long successWoven(Tasks tasks, Input input) {
        return tasks.woven.run(input.value);
    }

    // ---- failure path: a preallocated exception, thrown and caught ----

    @Benchmark
    public long failurePlain(Tasks tasks, Input input) {
        try {
            return tasks.plain.fail(input.value);
        } catch (TaskFailure e) {
            return -1;
        }
    }

    @Benchmark
    public long failureWoven(Tasks tasks, Input input) {
        try {
            return tasks.woven.fail(input.value);
        } catch (TaskFailure e) {
            return -1;
        }
    }

    // ---- success path, two threads recording into the same task's counters ----

    @Benchmark
    @Threads(2)
    public long successPlain2Threads(Tasks tasks, Input input) {
        return tasks.plain.run(input.value);
    }

    @Benchmark
    @Threads(2)
    public long successWoven2Threads(Tasks tasks, Input input) {
        return tasks.woven.run(input.value);
    }

    /**
     * Reads {@code io.agentmon.bootstrap.TaskRecorders}, which the agent put on the bootstrap
     * class loader, by reflection: the benchmarks jar neither contains nor links against it.
     * The methods are looked up once, in {@link #load}.
     */
    static final class Recorders {

        private static boolean loaded;
        private static Method size;
        private static Method recorder;
        private static Method label;
        private static Method success;
        private static Method failure;
        private static Method exceptions;
        private static Method histogramCount;
        private static Method exceptionType;
        private static Method exceptionCount;

        private Recorders() {
        }

        static synchronized void load() {
            if (loaded) {
                return;
            }
            Class<?> recorders;
            try {
                recorders = Class.forName("io.agentmon.bootstrap.TaskRecorders", true, null);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("agentmon is not attached to this JVM: build it (mvn -q install"
                        + " -DskipTests) and run benchmarks.jar from the repository root, where "
                        + AGENT_JAR + " is", e);
            }
            try {
                ClassLoader boot = recorders.getClassLoader();
                Class<?> taskRecorder = Class.forName("io.agentmon.bootstrap.TaskRecorder", true, boot);
                Class<?> histogram = Class.forName("io.agentmon.bootstrap.DurationHistogram", true, boot);
                Class<?> exceptionCounts = Class.forName("io.agentmon.bootstrap.ExceptionCounts", true, boot);
                size = recorders.getMethod("size");
                recorder = recorders.getMethod("recorder", int.class);
                label = taskRecorder.getMethod("label");
                success = taskRecorder.getMethod("success");
                failure = taskRecorder.getMethod("failure");
                exceptions = taskRecorder.getMethod("exceptions");
                histogramCount = histogram.getMethod("count");
                exceptionType = exceptionCounts.getMethod("type", int.class);
                exceptionCount = exceptionCounts.getMethod("count", int.class);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read agentmon's recorders: " + e, e);
            }
            loaded = true;
        }

        static int countLabelsStartingWith(String prefix) {
            int n = 0;
            int count = (Integer) call(size, null);
            for (int id = 0; id < count; id++) {
                if (((String) call(label, call(recorder, null, id))).startsWith(prefix)) {
                    n++;
                }
            }
            return n;
        }

        static Counts counts(String wanted) {
            int count = (Integer) call(size, null);
            for (int id = 0; id < count; id++) {
                Object r = call(recorder, null, id);
                if (wanted.equals(call(label, r))) {
                    Object slots = call(exceptions, r);
                    long failures = 0;
                    for (int slot = 0; slot < 16; slot++) {
                        Object type = call(exceptionType, slots, slot);
                        if (type != null && ((Class<?>) type).getName().equals(TaskFailure.class.getName())) {
                            failures += (Long) call(exceptionCount, slots, slot);
                        }
                    }
                    long succeeded = (Long) call(histogramCount, call(success, r));
                    long failed = (Long) call(histogramCount, call(failure, r));
                    return new Counts(succeeded + failed, succeeded, failed, failures);
                }
            }
            throw new IllegalStateException("no agentmon recorder labelled " + wanted
                    + ": the agent did not weave it (is -Dagentmon.tasks=" + TASKS + " set?)");
        }

        private static Object call(Method method, Object target, Object... args) {
            try {
                return method.invoke(target, args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read agentmon's recorders: " + e, e);
            }
        }

        static final class Counts {
            final long finished;
            final long success;
            final long failure;
            final long exceptions;

            Counts(long finished, long success, long failure, long exceptions) {
                this.finished = finished;
                this.success = success;
                this.failure = failure;
                this.exceptions = exceptions;
            }

            @Override
            public String toString() {
                return "finished=" + finished + " success=" + success + " failure=" + failure
                        + " TaskFailure=" + exceptions;
            }
        }
    }
}

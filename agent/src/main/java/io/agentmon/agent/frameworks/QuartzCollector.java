package io.agentmon.agent.frameworks;

import io.agentmon.bootstrap.QuartzJobs;
import io.agentmon.bootstrap.QuartzPools;
import io.agentmon.bootstrap.SeriesBudget;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * What Quartz decided, at scrape time: {@code agentmon_task_misfires_total{task}} and
 * {@code agentmon_task_vetoes_total{task}}, summed over the job keys whose job class has that
 * task label, and each {@code SimpleThreadPool}'s threads, {@code agentmon_quartz_pool_threads}
 * and {@code agentmon_quartz_active_threads{pool}} (read from the pool's own fields on this
 * agent thread, without its lock: a gauge may be one run behind).
 *
 * <p>A job key's label is the task label its runs get: {@code MyJob.execute}, named after the
 * class that implements {@code execute} (a job that inherits it from a base class is labelled
 * by the base class, as its runs are). Misfires of a key whose class no job detail had named yet
 * in this JVM (one a persistent store found at start-up, before the job ran or was added here)
 * count under {@code unknown}, and stay there; keys beyond the table's room count under
 * {@code other}.
 */
final class QuartzCollector implements MultiCollector {

    static final String UNKNOWN = "unknown";
    private static final String POOL_CLASS = "org.quartz.simpl.SimpleThreadPool";

    private final String service;
    /** Job class to task label, and pool class to its readers; scrapes may run at once. */
    private final Map<Class<?>, String> labels = new WeakHashMap<>();
    private final Map<Class<?>, PoolReader> readers = new WeakHashMap<>();

    QuartzCollector(String service) {
        this.service = service;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, long[]> byTask = new TreeMap<>();
        for (int slot = 0; slot < QuartzJobs.SLOTS; slot++) {
            QuartzJobs.Entry entry = QuartzJobs.entry(slot);
            if (entry != null) {
                add(byTask, label(entry.jobClass()), entry.misfires(), entry.vetoes());
                if (entry.misfiresUnknown() > 0) {
                    add(byTask, UNKNOWN, entry.misfiresUnknown(), 0);
                }
            }
        }
        QuartzJobs.Entry overflow = QuartzJobs.overflow();
        if (overflow.misfires() + overflow.misfiresUnknown() + overflow.vetoes() > 0) {
            add(byTask, SeriesBudget.OTHER, overflow.misfires() + overflow.misfiresUnknown(), overflow.vetoes());
        }
        CounterSnapshot.Builder misfires = CounterSnapshot.builder().name("agentmon_task_misfires")
                .help("Quartz triggers that misfired (Quartz notified its trigger listeners), by the job's task label.");
        CounterSnapshot.Builder vetoes = CounterSnapshot.builder().name("agentmon_task_vetoes")
                .help("Quartz job runs a TriggerListener vetoed, by the job's task label.");
        for (Map.Entry<String, long[]> task : byTask.entrySet()) {
            Labels labels = Labels.of("service", service, "task", task.getKey());
            misfires.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(task.getValue()[0]).build());
            vetoes.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(task.getValue()[1]).build());
        }

        Map<String, long[]> byPool = new TreeMap<>();
        for (int slot = 0; slot < QuartzPools.SLOTS; slot++) {
            Object pool = QuartzPools.pool(slot);
            PoolReader reader = pool == null ? null : reader(pool.getClass());
            if (reader != null) {
                reader.read(pool, byPool);
            }
        }
        GaugeSnapshot.Builder threads = GaugeSnapshot.builder().name("agentmon_quartz_pool_threads")
                .help("Threads of a Quartz SimpleThreadPool (org.quartz.threadPool.threadCount).");
        GaugeSnapshot.Builder active = GaugeSnapshot.builder().name("agentmon_quartz_active_threads")
                .help("Threads of a Quartz SimpleThreadPool running a job.");
        for (Map.Entry<String, long[]> pool : byPool.entrySet()) {
            Labels labels = Labels.of("service", service, "pool", pool.getKey());
            threads.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(pool.getValue()[0]).build());
            active.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(pool.getValue()[1]).build());
        }
        return new MetricSnapshots(misfires.build(), vetoes.build(), threads.build(), active.build());
    }

    private static void add(Map<String, long[]> byTask, String task, long misfires, long vetoes) {
        long[] counts = byTask.computeIfAbsent(task, t -> new long[2]);
        counts[0] += misfires;
        counts[1] += vetoes;
    }

    /** The task label of {@code jobClass}'s runs: the class declaring the {@code execute} it runs, then {@code .execute}. */
    String label(Class<?> jobClass) {
        if (jobClass == null || jobClass == QuartzJobs.UNKNOWN_CLASS) {
            return UNKNOWN; // unloaded since, or never named by a job detail
        }
        synchronized (labels) {
            return labels.computeIfAbsent(jobClass, QuartzCollector::executeLabel);
        }
    }

    static String executeLabel(Class<?> jobClass) {
        try {
            return declaringExecute(jobClass);
        } catch (LinkageError | RuntimeException e) {
            return simpleName(jobClass) + ".execute"; // a method signature naming a class that cannot load
        }
    }

    private static String declaringExecute(Class<?> jobClass) {
        for (Class<?> type = jobClass; type != null; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.getName().equals("execute") && method.getParameterCount() == 1 && !method.isBridge()
                        && !method.isSynthetic() && !Modifier.isAbstract(method.getModifiers())
                        && method.getParameterTypes()[0].getName().equals("org.quartz.JobExecutionContext")) {
                    return simpleName(type) + ".execute";
                }
            }
        }
        return simpleName(jobClass) + ".execute";
    }

    /** As task labels name classes: the name after the package, nested classes keeping their {@code $}. */
    private static String simpleName(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private PoolReader reader(Class<?> poolClass) {
        synchronized (readers) {
            return readers.computeIfAbsent(poolClass, PoolReader::of);
        }
    }

    /** Reads one {@code SimpleThreadPool} (or subclass) by reflection: its class is the worker's. */
    static final class PoolReader {
        private final Method prefix;
        private final Method poolSize;
        private final Field workers;
        private final Field busy;

        private PoolReader(Method prefix, Method poolSize, Field workers, Field busy) {
            this.prefix = prefix;
            this.poolSize = poolSize;
            this.workers = workers;
            this.busy = busy;
        }

        /** The reader of {@code poolClass}, or null when it is not what Quartz 2.3-2.5 builds. */
        static PoolReader of(Class<?> poolClass) {
            for (Class<?> type = poolClass; type != null; type = type.getSuperclass()) {
                if (type.getName().equals(POOL_CLASS)) {
                    try {
                        Field workers = type.getDeclaredField("workers");
                        Field busy = type.getDeclaredField("busyWorkers");
                        workers.setAccessible(true);
                        busy.setAccessible(true);
                        return new PoolReader(type.getMethod("getThreadNamePrefix"), type.getMethod("getPoolSize"), workers, busy);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null; // another layout: not reported
                    }
                }
            }
            return null;
        }

        void read(Object pool, Map<String, long[]> byPool) {
            try {
                String name = (String) prefix.invoke(pool);
                Collection<?> threads = (Collection<?>) workers.get(pool);
                if (name == null) {
                    // Quartz names the threads "<scheduler>_Worker-N" when no prefix is set.
                    if (threads == null || threads.isEmpty()) {
                        return; // not initialized
                    }
                    Object first = threads instanceof List ? ((List<?>) threads).get(0) : threads.iterator().next();
                    String threadName = ((Thread) first).getName();
                    int dash = threadName.lastIndexOf('-');
                    name = dash > 0 ? threadName.substring(0, dash) : threadName;
                }
                Collection<?> running = (Collection<?>) busy.get(pool);
                long[] counts = byPool.computeIfAbsent(name, n -> new long[2]);
                counts[0] += ((Number) poolSize.invoke(pool)).longValue();
                counts[1] += running == null ? 0 : running.size();
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a pool changing under a racy read (its thread list, at shutdown): left out of this scrape
            }
        }
    }
}

package io.agentmon.agent.metrics;

import static io.agentmon.agent.metrics.Points.all;
import static io.agentmon.agent.metrics.Points.counter;
import static io.agentmon.agent.metrics.Points.gauge;
import static io.agentmon.agent.metrics.Points.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.agent.config.HistogramKinds;
import io.agentmon.bootstrap.ExecutorProbes;
import io.agentmon.bootstrap.QueueWaits;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor collector read from a real pool and the recorder the probes fill, called here by
 * hand as the woven pool code would call them; the pool's name comes from the thread that took
 * its first task.
 */
class ExecutorMetricsCollectorTest {

    @AfterEach
    void givePoolLabelsBack() {
        PoolLabels.fold(new TreeMap<>());
    }

    private static MetricSnapshots collect(Map<String, String> names) {
        return new ExecutorMetricsCollector("svc", names, HistogramKinds.BOTH).collect();
    }

    /**
     * A pool whose first thread, named {@code threadName}, has started with {@code firstTask}
     * (or none), reported as the woven pool code reports it; the test shuts it down.
     */
    private static ThreadPoolExecutor pool(String threadName, Runnable firstTask) throws InterruptedException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        ExecutorProbes.created(pool);
        Thread thread = new Thread(() -> ExecutorProbes.workerStarted(pool, firstTask), threadName);
        thread.start();
        thread.join();
        return pool;
    }

    @Test
    void aPoolIsReadFromItsGettersAndItsRecorder() throws Exception {
        Runnable waited = () -> { };
        ExecutorProbes.submitted(waited);
        ThreadPoolExecutor pool = pool("unit-ingest-1", waited);
        CountDownLatch release = new CountDownLatch(1);
        try {
            ExecutorProbes.rejected(pool, new Object());
            pool.execute(() -> await(release)); // the pool's own numbers: one thread, busy
            pool.execute(() -> { }); // and one task queued behind it

            MetricSnapshots snapshots = collect(Map.of());
            assertEquals(1, gauge(snapshots, "agentmon_executor_pool_threads", "pool", "unit-ingest"));
            assertEquals(1, gauge(snapshots, "agentmon_executor_queued_tasks", "pool", "unit-ingest"));
            assertEquals(1, counter(snapshots, "agentmon_executor_rejected_tasks", "pool", "unit-ingest"));
            assertEquals(1, histogram(snapshots, "agentmon_executor_queue_wait_seconds", "pool", "unit-ingest").getCount());
            assertEquals("svc", histogram(snapshots, "agentmon_executor_queue_wait_seconds", "pool", "unit-ingest")
                    .getLabels().get("service"));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void saturationIsOneLookAndRunTimeIsTimedFromTakenToTheNextLookAtTheQueue() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 3, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2));
        ExecutorProbes.created(pool);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Runnable task = () -> { };
            long[] measured = new long[1];
            Thread thread = new Thread(() -> {
                ExecutorProbes.workerStarted(pool, null); // the pool thread starts with no first task
                ExecutorProbes.ranTask(); // getTask() entered: nothing ran yet
                ExecutorProbes.taken(pool, task); // and returned a task
                long start = System.nanoTime();
                LockSupport.parkNanos(2_000_000);
                measured[0] = System.nanoTime() - start;
                ExecutorProbes.ranTask(); // getTask() entered again
                ExecutorProbes.ranTask(); // and again, with no task in between: nothing recorded
            }, "unit-saturated-1");
            thread.start();
            thread.join();
            pool.execute(() -> await(release));
            pool.execute(() -> { });

            MetricSnapshots snapshots = collect(Map.of());
            assertEquals(1, gauge(snapshots, "agentmon_executor_core_threads", "pool", "unit-saturated"));
            assertEquals(3, gauge(snapshots, "agentmon_executor_max_threads", "pool", "unit-saturated"));
            assertEquals(1, gauge(snapshots, "agentmon_executor_queue_remaining_tasks", "pool", "unit-saturated"));
            assertEquals(1, gauge(snapshots, "agentmon_executor_pool_threads", "pool", "unit-saturated"));
            assertEquals(0, gauge(snapshots, "agentmon_executor_idle_threads", "pool", "unit-saturated"));
            assertEquals(1, histogram(snapshots, "agentmon_executor_run_seconds", "pool", "unit-saturated").getCount());
            assertTrue(histogram(snapshots, "agentmon_executor_run_seconds", "pool", "unit-saturated").getSum()
                    >= measured[0] / 1e9, "the run time brackets the task's own");
            assertTrue(all(snapshots, "agentmon_executor_steals", "pool", "unit-saturated").isEmpty(),
                    "ForkJoinPool's numbers only for ForkJoinPools");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aForkJoinPoolReportsItsParallelismAndSteals() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(3, forkJoin -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(forkJoin);
            thread.setName("unit-forkjoin-" + thread.getPoolIndex());
            return thread;
        }, null, false);
        try {
            ExecutorProbes.created(pool);
            pool.submit(() -> { }).get();
            Thread named = new Thread(() -> ExecutorProbes.workerStarted(pool, null), "unit-forkjoin-1");
            named.start();
            named.join();
            MetricSnapshots snapshots = collect(Map.of());
            assertEquals(3, gauge(snapshots, "agentmon_executor_parallelism_threads", "pool", "unit-forkjoin"));
            assertEquals(pool.getStealCount(), counter(snapshots, "agentmon_executor_steals", "pool", "unit-forkjoin"));
            assertTrue(all(snapshots, "agentmon_executor_max_threads", "pool", "unit-forkjoin").isEmpty(),
                    "ThreadPoolExecutor's numbers only for ThreadPoolExecutors");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theUsersNameReplacesTheDerivedOne() throws Exception {
        ThreadPoolExecutor pool = pool("unit-renamed-1", null);
        try {
            MetricSnapshots snapshots = collect(Map.of("unit-renamed", "billing"));
            assertEquals(0, gauge(snapshots, "agentmon_executor_pool_threads", "pool", "billing"));
            assertTrue(all(snapshots, "agentmon_executor_pool_threads", "pool", "unit-renamed").isEmpty());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aScrapeLeavesTheQueueWaitTableAsItWas() throws Exception {
        ThreadPoolExecutor pool = pool("unit-scraped-1", null);
        try {
            Runnable queued = () -> { };
            ExecutorProbes.submitted(queued);
            long dropped = QueueWaits.dropped();
            collect(Map.of());
            collect(Map.of());
            assertEquals(dropped, QueueWaits.dropped(), "reading sweeps nothing");
            ExecutorProbes.taken(pool, queued);
            assertEquals(1, histogram(collect(Map.of()), "agentmon_executor_queue_wait_seconds", "pool", "unit-scraped")
                    .getCount(), "the wait queued before the scrapes is measured after them");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

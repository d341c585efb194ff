package io.agentmon.agent.frameworks;

import static io.agentmon.agent.metrics.Points.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.bootstrap.QuartzJobs;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Misfires and vetoes as the collector labels them: by the task label of the job's class (the
 * class that implements {@code execute}, as the runs are labelled), summed over job keys;
 * {@code unknown} while no job detail named a key's class, {@code other} beyond the table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuartzCollectorTest {

    private final QuartzCollector collector = new QuartzCollector("svc");

    public static class Report implements Job {
        @Override
        public void execute(JobExecutionContext context) {
        }
    }

    /** Inherits execute: its runs are Report.execute's, and so are its misfires. */
    public static class NightlyReport extends Report {
    }

    public abstract static class Base implements Job {
        public abstract void run();

        @Override
        public final void execute(JobExecutionContext context) {
            run();
        }
    }

    public static class Derived extends Base {
        @Override
        public void run() {
        }
    }

    private long misfires(MetricSnapshots snapshots, String task) {
        return (long) counter(snapshots, "agentmon_task_misfires", "task", task);
    }

    @Test
    @Order(1)
    void keysAreLabelledByTheClassThatImplementsExecuteAndSummed() {
        assertEquals("QuartzCollectorTest$Report.execute", QuartzCollector.executeLabel(Report.class));
        assertEquals("QuartzCollectorTest$Report.execute", QuartzCollector.executeLabel(NightlyReport.class));
        assertEquals("QuartzCollectorTest$Base.execute", QuartzCollector.executeLabel(Derived.class));

        QuartzJobs.learned("daily", "reports", Report.class);
        QuartzJobs.learned("nightly", "reports", NightlyReport.class);
        QuartzJobs.misfired("daily", "reports");
        QuartzJobs.misfired("nightly", "reports");
        QuartzJobs.misfired("nightly", "reports");
        QuartzJobs.vetoed("derived", "jobs", Derived.class);
        QuartzJobs.misfired("restored", "jdbc"); // a key no job detail has named
        MetricSnapshots snapshots = collector.collect();
        assertEquals(3, misfires(snapshots, "QuartzCollectorTest$Report.execute"));
        assertEquals(0, counter(snapshots, "agentmon_task_vetoes", "task", "QuartzCollectorTest$Report.execute"));
        assertEquals(1, counter(snapshots, "agentmon_task_vetoes", "task", "QuartzCollectorTest$Base.execute"));
        assertEquals(1, misfires(snapshots, QuartzCollector.UNKNOWN));

        // The job ran later: its misfires are labelled from then on, the earlier one stays unknown (no series shrinks).
        QuartzJobs.learned("restored", "jdbc", Derived.class);
        QuartzJobs.misfired("restored", "jdbc");
        snapshots = collector.collect();
        assertEquals(1, misfires(snapshots, QuartzCollector.UNKNOWN));
        assertEquals(1, misfires(snapshots, "QuartzCollectorTest$Base.execute"));
    }

    @Test
    @Order(2)
    void keysBeyondTheTableAreOther() {
        int keys = QuartzJobs.SLOTS * 2;
        for (int key = 0; key < keys; key++) {
            QuartzJobs.learned("flood-" + key, "flood", Report.class);
            QuartzJobs.misfired("flood-" + key, "flood");
        }
        MetricSnapshots snapshots = collector.collect();
        long labelled = misfires(snapshots, "QuartzCollectorTest$Report.execute") - 3;
        long other = misfires(snapshots, "other");
        assertEquals(keys, labelled + other, "every misfire counted once");
        assertEquals(true, other >= keys - QuartzJobs.SLOTS, "other: " + other);
    }
}

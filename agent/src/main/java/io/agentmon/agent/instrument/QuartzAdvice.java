package io.agentmon.agent.instrument;

import io.agentmon.bootstrap.QuartzJobs;
import io.agentmon.bootstrap.QuartzPools;
import net.bytebuddy.asm.Advice;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Trigger;

/**
 * Copied into the worker's own Quartz (2.3 to 2.5), so it uses Quartz's types directly and hands
 * their plain values (names, classes) to the bootstrap, which holds the counts: the bootstrap
 * loader cannot see Quartz. The job runs themselves are tasks ({@code org.quartz.Job+#execute},
 * woven by {@link TaskAdvice}); what is here is what the scheduler decides about them. None of
 * it is on a job's run except {@link RunShellInitialized}, one table look-up per run.
 */
public final class QuartzAdvice {

    private QuartzAdvice() {
    }

    /**
     * {@code QuartzScheduler.notifyTriggerListenersMisfired(Trigger)}: every job store (RAM, JDBC)
     * reports a misfire through it, before applying the trigger's misfire instruction.
     */
    public static final class Misfired {
        private Misfired() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Trigger trigger) {
            JobKey key = trigger.getJobKey();
            QuartzJobs.misfired(key.getName(), key.getGroup());
        }
    }

    /**
     * {@code QuartzScheduler.notifyJobListenersWasVetoed(JobExecutionContext)}: {@code JobRunShell}
     * calls it once for each run a {@code TriggerListener} vetoed, and only then.
     */
    public static final class Vetoed {
        private Vetoed() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) JobExecutionContext context) {
            JobDetail detail = context.getJobDetail();
            JobKey key = detail.getKey();
            QuartzJobs.vetoed(key.getName(), key.getGroup(), detail.getJobClass());
        }
    }

    /**
     * {@code QuartzScheduler.notifySchedulerListenersJobAdded(JobDetail)}: what {@code scheduleJob},
     * {@code scheduleJobs} and {@code addJob} come to, whatever the store. A job's class is known
     * from here on, so a misfire before its first run is labelled by it.
     */
    public static final class JobAdded {
        private JobAdded() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) JobDetail detail) {
            JobKey key = detail.getKey();
            QuartzJobs.learned(key.getName(), key.getGroup(), detail.getJobClass());
        }
    }

    /**
     * {@code JobRunShell.initialize(QuartzScheduler)}: a run is about to start. Teaches the table
     * the jobs a persistent store held before this JVM started, which were never added here.
     */
    public static final class RunShellInitialized {
        private RunShellInitialized() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("jec") JobExecutionContext context) {
            if (context != null) {
                JobDetail detail = context.getJobDetail();
                JobKey key = detail.getKey();
                QuartzJobs.learned(key.getName(), key.getGroup(), detail.getJobClass());
            }
        }
    }

    /** {@code SimpleThreadPool.initialize()}: the scheduler's pool has started its threads. */
    public static final class PoolInitialized {
        private PoolInitialized() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object pool) {
            QuartzPools.initialized(pool);
        }
    }
}

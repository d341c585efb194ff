package io.agentmon.agent.frameworks;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentmon.agent.instrument.Extension;
import io.agentmon.agent.instrument.InstrumentationStats;
import io.agentmon.agent.instrument.QuartzAdvice;
import io.agentmon.agent.matching.MethodMatcher;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Quartz 2.3 to 2.5: every {@code Job#execute} is a task (labelled {@code MyJob.execute}, by the
 * class that implements it, like any {@code Type+#method} matcher), and the scheduler's own
 * decisions are counted per job: misfires, vetoed runs (see {@link QuartzAdvice}); its
 * {@code SimpleThreadPool} is read as a pool. Every hook names a Quartz class, so a worker
 * without Quartz weaves nothing.
 */
final class Quartz implements Extension {

    /** The interface every Quartz job implements. */
    static final String JOB = "org.quartz.Job";

    private static final String SCHEDULER = "org.quartz.core.QuartzScheduler";
    private static final String RUN_SHELL = "org.quartz.core.JobRunShell";
    private static final String THREAD_POOL = "org.quartz.simpl.SimpleThreadPool";

    @Override
    public List<MethodMatcher> taskMatchers() {
        return List.of(MethodMatcher.parse(JOB + "+#execute").onlyWhereVisible(JOB));
    }

    @Override
    public List<String> hookedTypes() {
        return List.of(SCHEDULER, RUN_SHELL, THREAD_POOL);
    }

    @Override
    public AgentBuilder apply(AgentBuilder builder, InstrumentationStats stats) {
        ClassLoader agentLoader = Quartz.class.getClassLoader();
        return builder
                .type(named(SCHEDULER))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("notifyTriggerListenersMisfired").and(takesArguments(1))
                                .and(takesArgument(0, named("org.quartz.Trigger"))), QuartzAdvice.Misfired.class.getName())
                        .advice(named("notifyJobListenersWasVetoed").and(takesArguments(1))
                                .and(takesArgument(0, named("org.quartz.JobExecutionContext"))), QuartzAdvice.Vetoed.class.getName())
                        .advice(named("notifySchedulerListenersJobAdded").and(takesArguments(1))
                                .and(takesArgument(0, named("org.quartz.JobDetail"))), QuartzAdvice.JobAdded.class.getName()))
                .type(named(RUN_SHELL))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("initialize").and(takesArguments(1)), QuartzAdvice.RunShellInitialized.class.getName()))
                .type(named(THREAD_POOL))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
                        .advice(named("initialize").and(takesArguments(0)), QuartzAdvice.PoolInitialized.class.getName()));
    }
}

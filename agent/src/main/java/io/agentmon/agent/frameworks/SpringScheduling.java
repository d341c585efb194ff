package io.agentmon.agent.frameworks;

import io.agentmon.agent.instrument.Extension;
import io.agentmon.agent.matching.MethodMatcher;
import java.util.List;

/**
 * Spring Framework 6.1+ scheduling: every method annotated {@code @Scheduled} is a task,
 * labelled {@code Class.method} like any {@code @Annotation} matcher; a method with several
 * {@code @Scheduled} carries their container {@code @Schedules} instead, so both are matched.
 * The annotation is read on the method the user wrote: the subclasses CGLIB generates for
 * {@code @Configuration} classes and proxied beans override it without its annotations, so
 * each run is timed once, under the user's class name.
 */
final class SpringScheduling implements Extension {

    static final String SCHEDULED = "org.springframework.scheduling.annotation.Scheduled";
    static final String SCHEDULES = "org.springframework.scheduling.annotation.Schedules";

    @Override
    public List<MethodMatcher> taskMatchers() {
        return List.of(MethodMatcher.parse("@" + SCHEDULED).onlyWhereVisible(SCHEDULED),
                MethodMatcher.parse("@" + SCHEDULES).onlyWhereVisible(SCHEDULED));
    }
}

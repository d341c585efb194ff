package io.agentmon.agent.frameworks;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentmon.agent.instrument.Extension;
import io.agentmon.agent.instrument.InstrumentationStats;
import io.agentmon.agent.instrument.KafkaAdvice;
import io.agentmon.agent.matching.MethodMatcher;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Kafka consumers (kafka-clients 3.x and 4.x) and spring-kafka listeners, known by themselves.
 *
 * <p>Two hooks, because a consumer's work is seen in two places. A {@code @KafkaListener} (or
 * {@code @KafkaHandler}) method is the unit of work spring-kafka calls once per record (or per
 * batch, for a batch listener): it is a task, labelled {@code Class.method}, timed with its
 * outcome and exception like any other. A plain poll loop has no such method that agentmon can
 * know: what it can know is what {@code KafkaConsumer.poll} hands the application, counted per
 * consumer group and topic. The time between two polls is not reported as processing time: it
 * holds whatever the loop does besides processing (commits, back-off sleeps, a hand-off to a
 * pool, in which case it measures nothing of the processing), so a plain loop's time and
 * failures need the loop's own method in {@code agentmon.tasks}.
 *
 * <p>The consumer's constructor registers it and {@code close} forgets it; its lag is read from
 * its own metrics at scrape time ({@link KafkaCollector}).
 */
final class Kafka implements Extension {

    private static final String CONSUMER = "org.apache.kafka.clients.consumer.KafkaConsumer";
    private static final String LISTENER = "org.springframework.kafka.annotation.KafkaListener";

    @Override
    public List<MethodMatcher> taskMatchers() {
        // Tried only on classes whose loader sees spring-kafka: an annotation matcher reads every
        // class file it is asked about.
        return List.of(MethodMatcher.parse("@" + LISTENER).onlyWhereVisible(LISTENER),
                MethodMatcher.parse("@org.springframework.kafka.annotation.KafkaHandler").onlyWhereVisible(LISTENER));
    }

    @Override
    public List<String> hookedTypes() {
        return List.of(CONSUMER);
    }

    @Override
    public AgentBuilder apply(AgentBuilder builder, InstrumentationStats stats) {
        return builder.type(named(CONSUMER))
                .transform(new AgentBuilder.Transformer.ForAdvice().include(Kafka.class.getClassLoader())
                        .advice(isConstructor().and(takesArgument(0, named("org.apache.kafka.clients.consumer.ConsumerConfig"))),
                                KafkaAdvice.Created.class.getName())
                        .advice(isPublic().and(named("poll")).and(takesArguments(1)), KafkaAdvice.Polled.class.getName())
                        .advice(isPublic().and(named("close")), KafkaAdvice.Closed.class.getName()));
    }
}

package io.agentmon.agent.frameworks;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.config.Framework;
import io.agentmon.agent.instrument.Extension;
import io.agentmon.agent.matching.MethodMatcher;
import java.util.List;

/**
 * JMS ({@code jms}): every implementation of {@code MessageListener.onMessage(Message)}, of
 * {@code jakarta.jms} and of {@code javax.jms}, is a task labelled by the listener's class
 * ({@code OrderListener.onMessage}); so are Spring's {@code SessionAwareMessageListener} and
 * {@code @JmsListener} methods ({@code OrderService.handle}). Spring's own adapters, which call
 * the user's listener or method, are left out, so each message counts once, under the user's name.
 */
final class Jms implements Extension {

    /** MessageListenerAdapter and MessagingMessageListenerAdapter (@JmsListener), in Spring 5 (javax) and 6+ (jakarta). */
    private static final String JMS_LISTENER = "org.springframework.jms.annotation.JmsListener";
    static final List<String> SPRING_ADAPTERS = List.of("org.springframework.jms.listener.adapter.");

    /** Adds the JMS extension when {@code agentmon.frameworks} includes {@code jms}. */
    static void addTo(List<Extension> extensions, AgentConfig config) {
        if (config.knows(Framework.JMS)) {
            extensions.add(new Jms());
        }
    }

    @Override
    public List<MethodMatcher> taskMatchers() {
        // Each tried only on classes whose loader sees its own type (MethodMatcher#onlyWhereVisible):
        // a subtype or annotation matcher reads every class file it is asked about.
        return List.of(
                MethodMatcher.parse("jakarta.jms.MessageListener+#onMessage")
                        .restrictedTo(List.of("jakarta.jms.Message"), SPRING_ADAPTERS).onlyWhereVisible("jakarta.jms.MessageListener"),
                MethodMatcher.parse("javax.jms.MessageListener+#onMessage")
                        .restrictedTo(List.of("javax.jms.Message"), SPRING_ADAPTERS).onlyWhereVisible("javax.jms.MessageListener"),
                // onMessage(M extends Message, Session); its bridge (erased to Message) is never selected.
                MethodMatcher.parse("org.springframework.jms.listener.SessionAwareMessageListener+#onMessage")
                        .restrictedTo(List.of("*", "*.jms.Session"), SPRING_ADAPTERS)
                        .onlyWhereVisible("org.springframework.jms.listener.SessionAwareMessageListener"),
                MethodMatcher.parse("@" + JMS_LISTENER).restrictedTo(null, SPRING_ADAPTERS).onlyWhereVisible(JMS_LISTENER),
                MethodMatcher.parse("@org.springframework.jms.annotation.JmsListeners").restrictedTo(null, SPRING_ADAPTERS)
                        .onlyWhereVisible(JMS_LISTENER));
    }
}

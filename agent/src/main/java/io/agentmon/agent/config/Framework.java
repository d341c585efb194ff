package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The job frameworks and queues agentmon knows by itself ({@code agentmon.frameworks}): when one
 * is on the worker's class path, its jobs are timed with no {@code agentmon.tasks} entry. Each
 * costs nothing on a worker that lacks it: its hooks name the framework's own classes, which
 * never load there.
 */
public enum Framework {
    /** Quartz 2.3-2.5: {@code Job#execute}, misfires and vetoes, the scheduler's thread pool. */
    QUARTZ("quartz"),
    /** Spring Framework 6.1+ {@code @Scheduled} methods. */
    SPRING_SCHEDULING("spring-scheduling"),
    /** kafka-clients 3.x/4.x consumers and spring-kafka {@code @KafkaListener}: records, time, failures, lag. */
    KAFKA("kafka"),
    /** {@code jakarta.jms} and {@code javax.jms} {@code MessageListener#onMessage}. */
    JMS("jms"),
    /** Spring Batch steps. */
    SPRING_BATCH("spring-batch");

    private final String key;

    Framework(String key) {
        this.key = key;
    }

    /** The name {@code agentmon.frameworks} spells it with. */
    public String key() {
        return key;
    }

    /** Every name, comma-separated: the default of {@code agentmon.frameworks}. */
    static String allKeys() {
        List<String> keys = new ArrayList<>();
        for (Framework framework : values()) {
            keys.add(framework.key);
        }
        return String.join(",", keys);
    }

    /**
     * A comma-separated list of names (any case), or {@code none}. Throws
     * {@link IllegalArgumentException} naming the first unknown word and the known ones.
     */
    static Set<Framework> parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("none")) {
            return Collections.unmodifiableSet(EnumSet.noneOf(Framework.class));
        }
        EnumSet<Framework> chosen = EnumSet.noneOf(Framework.class);
        for (String part : trimmed.split(",", -1)) {
            String word = part.trim().toLowerCase(Locale.ROOT);
            Framework found = null;
            for (Framework framework : values()) {
                if (framework.key.equals(word)) {
                    found = framework;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown framework " + Echo.quote(part.trim())
                        + " (expected none, or a list of " + allKeys() + ")");
            }
            chosen.add(found);
        }
        return Collections.unmodifiableSet(chosen);
    }
}

package io.agentmon.agent.frameworks;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.config.Framework;
import io.agentmon.agent.instrument.Extension;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.util.ArrayList;
import java.util.List;

/**
 * The job frameworks and queues agentmon knows by itself, as far as {@code agentmon.frameworks}
 * allows: their hooks for the transformer and their collectors for the registry.
 */
public final class Frameworks {

    private Frameworks() {
    }

    /** What the enabled frameworks weave. */
    public static List<Extension> extensions(AgentConfig config) {
        List<Extension> extensions = new ArrayList<>();
        if (config.knows(Framework.KAFKA)) extensions.add(new Kafka());
        if (config.knows(Framework.QUARTZ)) { extensions.add(new Quartz()); }
        if (config.knows(Framework.SPRING_SCHEDULING)) { extensions.add(new SpringScheduling()); }
        Jms.addTo(extensions, config);
        SpringBatch.addTo(extensions, config);
        return extensions;
    }

    /** What the enabled frameworks read at each scrape, every series labelled {@code service}. */
    public static List<MultiCollector> collectors(AgentConfig config, String service) {
        List<MultiCollector> collectors = new ArrayList<>();
        if (config.knows(Framework.KAFKA)) collectors.add(new KafkaCollector(service));
        if (config.knows(Framework.QUARTZ)) { collectors.add(new QuartzCollector(service)); }
        return collectors;
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentmon.it.support.Promtool;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The shipped Prometheus configuration is one Prometheus accepts. */
class CollectorConfigTest {

    @Test
    void prometheusConfigPassesPromtool() throws Exception {
        Promtool.Result result = Promtool.run(new byte[0], "check", "config",
                Paths.get("..", "collector-config", "prometheus.yml").toString());
        assertEquals(0, result.exit, result.output);
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The shipped collector configurations are ones their tools accept. */
class CollectorConfigTest {

    private static final Path DIR = Paths.get("..", "collector-config");

    @ParameterizedTest
    @ValueSource(strings = {"prometheus.yml", "examples/prometheus-file-sd.yml", "examples/prometheus-kubernetes.yml"})
    void prometheusConfigsPassPromtool(String file) throws Exception {
        Promtool.Result result = Promtool.run(new byte[0], "check", "config", DIR.resolve(file).toString());
        // Debian builds Prometheus without Kubernetes discovery; any other complaint still fails.
        Assumptions.assumeFalse(result.output.contains("field kubernetes_sd_configs not found"),
                "this promtool has no Kubernetes service discovery (Debian's build): " + file + " not checked");
        assertEquals(0, result.exit, result.output);
    }

    /**
     * The Collector expands {@code ${env:...}} in its whole configuration, so a Prometheus
     * {@code $1} in a relabel rule must be written {@code $$1}; a single {@code $} is the classic
     * mistake that makes the Collector refuse to start, or silently replace it with nothing.
     */
    @Test
    void collectorConfigEscapesDollarSigns() throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(DIR.resolve("otel-collector.yaml"), StandardCharsets.UTF_8);
        int escaped = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.trim().startsWith("#")) {
                continue; // comments are not expanded
            }
            for (int i = line.indexOf('$'); i >= 0; i = line.indexOf('$', i)) {
                if (line.startsWith("$$", i)) {
                    escaped++;
                    i += 2;
                } else if (line.startsWith("${env:", i)) {
                    i += 6;
                } else {
                    problems.add("line " + (n + 1) + ": " + line.trim());
                    i++;
                }
            }
        }
        assertTrue(problems.isEmpty(), "unescaped '$' in otel-collector.yaml: " + problems);
        assertTrue(escaped > 0, "the relabel rules use $$ references (the check above saw some)");
    }
}

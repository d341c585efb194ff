package io.agentmon.agent.http.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;

/** The family names both of agentmon's writers give, as client_java's writers give them. */
final class ExpositionNames {

    private ExpositionNames() {
    }

    /** The family name with its type's suffix ({@code _total}, {@code _info}), unless the name has it already. */
    static String withSuffix(MetricMetadata metadata, String suffix, EscapingScheme scheme) {
        String base = SnapshotEscaper.getExpositionBaseMetadataName(metadata, scheme);
        return base.endsWith(suffix) ? base : SnapshotEscaper.getMetadataName(metadata, scheme) + suffix;
    }
}

package io.agentmon.agent.metrics;

import static org.junit.jupiter.api.Assertions.fail;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/** Finding one data point in a collector's snapshots, by metric name and label values, for the collector tests. */
public final class Points {

    private Points() {
    }

    /** The points of metric {@code name} whose labels include every {@code label, value} pair given. */
    public static List<DataPointSnapshot> all(MetricSnapshots snapshots, String name, String... labels) {
        List<DataPointSnapshot> found = new ArrayList<>();
        for (MetricSnapshot snapshot : snapshots) {
            if (!snapshot.getMetadata().getName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                boolean matches = true;
                for (int i = 0; i < labels.length; i += 2) {
                    matches &= labels[i + 1].equals(point.getLabels().get(labels[i]));
                }
                if (matches) {
                    found.add(point);
                }
            }
        }
        return found;
    }

    /** The one point of metric {@code name} with these labels; fails when there is none or more. */
    public static DataPointSnapshot one(MetricSnapshots snapshots, String name, String... labels) {
        List<DataPointSnapshot> found = all(snapshots, name, labels);
        if (found.size() != 1) {
            fail(found.size() + " points of " + name + " with " + String.join(",", labels) + ": " + found);
        }
        return found.get(0);
    }

    public static double counter(MetricSnapshots snapshots, String name, String... labels) {
        return ((CounterSnapshot.CounterDataPointSnapshot) one(snapshots, name, labels)).getValue();
    }

    public static double gauge(MetricSnapshots snapshots, String name, String... labels) {
        return ((GaugeSnapshot.GaugeDataPointSnapshot) one(snapshots, name, labels)).getValue();
    }

    public static HistogramSnapshot.HistogramDataPointSnapshot histogram(MetricSnapshots snapshots, String name,
            String... labels) {
        return (HistogramSnapshot.HistogramDataPointSnapshot) one(snapshots, name, labels);
    }
}

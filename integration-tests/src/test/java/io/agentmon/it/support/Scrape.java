package io.agentmon.it.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parsed Prometheus text exposition: the samples a user would see, with lookups by name and
 * labels. Just enough of the format for the tests (no escapes inside label values).
 */
public final class Scrape {

    private final String text;
    private final List<Sample> samples;

    private Scrape(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    public static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String pair : body.split("\",")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int equals = pair.indexOf('=');
                    String value = pair.substring(equals + 2);
                    labels.put(pair.substring(0, equals), value.endsWith("\"") ? value.substring(0, value.length() - 1) : value);
                }
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            String value = line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0];
            samples.add(new Sample(name, labels, parseValue(value)));
        }
        return new Scrape(text, Collections.unmodifiableList(samples));
    }

    private static double parseValue(String value) {
        switch (value) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default: return Double.parseDouble(value);
        }
    }

    public String text() {
        return text;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Samples of {@code name} whose labels include all the given name/value pairs. */
    public List<Sample> find(String name, String... labelPairs) {
        Predicate<Sample> matches = sample -> {
            if (!sample.name.equals(name)) {
                return false;
            }
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(sample.labels.get(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        };
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (matches.test(sample)) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The value of the single sample that matches; fails if there is none or more than one. */
    public double value(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " " + String.join(",", labelPairs)
                    + " but found " + found.size() + ": " + found);
        }
        return found.get(0).value;
    }

    /** The value of the single matching sample, or 0 when there is none. */
    public double valueOrZero(String name, String... labelPairs) {
        return find(name, labelPairs).isEmpty() ? 0 : value(name, labelPairs);
    }

    /** Sum over all matching samples. */
    public double sum(String name, String... labelPairs) {
        double total = 0;
        for (Sample sample : find(name, labelPairs)) {
            total += sample.value;
        }
        return total;
    }

    /** One sample line. */
    public static final class Sample {
        public final String name;
        public final Map<String, String> labels;
        public final double value;

        Sample(String name, Map<String, String> labels, double value) {
            this.name = name;
            this.labels = Collections.unmodifiableMap(labels);
            this.value = value;
        }

        @Override
        public String toString() {
            return name + labels + " " + value;
        }
    }
}

package com.acme.worker;

import java.io.PrintStream;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The worker's own exact record of every finished job: count and summed duration per job kind
 * and outcome, plus a count per exception class. Safe to update from any thread.
 *
 * <p>Keys are {@code <Kind>.<outcome>.count}, {@code <Kind>.<outcome>.nanos},
 * {@code <Kind>.exception.<ExceptionClass>} and {@code total.count}.
 */
final class Tally {

    private final ConcurrentMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final LongAdder finished = new LongAdder();

    /** Records one finished job; {@code thrown} is what execute() threw, or null. */
    void record(String kind, long nanos, Throwable thrown) {
        Outcome outcome = Outcome.of(thrown);
        add(kind + "." + outcome.label() + ".count", 1);
        add(kind + "." + outcome.label() + ".nanos", nanos);
        if (thrown != null) {
            add(kind + ".exception." + simpleName(thrown), 1);
        }
        finished.increment();
    }

    long finished() {
        return finished.sum();
    }

    /** Finished jobs with this outcome, over all kinds. */
    long count(Outcome outcome) {
        String suffix = "." + outcome.label() + ".count";
        long sum = 0;
        for (Map.Entry<String, LongAdder> entry : counters.entrySet()) {
            if (entry.getKey().endsWith(suffix)) {
                sum += entry.getValue().sum();
            }
        }
        return sum;
    }

    /** All counters, sorted by key. Exact once no job is running. */
    SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> snapshot = new TreeMap<>();
        counters.forEach((key, adder) -> snapshot.put(key, adder.sum()));
        snapshot.put("total.count", finished.sum());
        return snapshot;
    }

    /** Prints a table of kind, outcome, count and total milliseconds, then the exception counts. */
    void printTable(PrintStream out) {
        SortedMap<String, Long> snapshot = snapshot();
        SortedSet<String> kinds = new TreeSet<>();
        for (String key : snapshot.keySet()) {
            if (key.endsWith(".count") && !key.equals("total.count")) {
                kinds.add(key.substring(0, key.indexOf('.')));
            }
        }

        String row = "%-14s %-8s %8s %12s%n";
        out.printf(row, "kind", "outcome", "count", "total ms");
        for (String kind : kinds) {
            for (Outcome outcome : Outcome.values()) {
                Long count = snapshot.get(kind + "." + outcome.label() + ".count");
                if (count != null) {
                    long nanos = snapshot.get(kind + "." + outcome.label() + ".nanos");
                    out.printf(row, kind, outcome.label(), count, millis(nanos));
                }
            }
        }
        out.printf(row, "total", "", snapshot.get("total.count"), "");

        for (Map.Entry<String, Long> entry : snapshot.entrySet()) {
            if (entry.getKey().contains(".exception.")) {
                out.printf("  %s=%d%n", entry.getKey(), entry.getValue());
            }
        }
    }

    private void add(String key, long delta) {
        counters.computeIfAbsent(key, k -> new LongAdder()).add(delta);
    }

    private static String simpleName(Throwable thrown) {
        String name = thrown.getClass().getSimpleName();
        return name.isEmpty() ? thrown.getClass().getName() : name; // anonymous classes have no simple name
    }

    private static String millis(long nanos) {
        return String.format("%.1f", nanos / (double) TimeUnit.MILLISECONDS.toNanos(1));
    }
}

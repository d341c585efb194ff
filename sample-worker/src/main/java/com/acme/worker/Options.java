package com.acme.worker;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/** Command-line options. Each option takes a value, as {@code --jobs 300} or {@code --jobs=300}. */
final class Options {

    static final String USAGE = "usage: java -jar sample-worker.jar [--jobs N] [--threads T] [--rate R]"
            + " [--seed S] [--tally FILE] [--hold-seconds H] [--print-every S]";

    private static final List<String> NAMES = Arrays.asList(
            "--jobs", "--threads", "--rate", "--seed", "--tally", "--hold-seconds", "--print-every");
    private static final double DEFAULT_RATE = 20;

    private long jobs = 0;              // 0 = run until stopped
    private int threads = 4;
    private double rate = 0;            // 0 = not given
    private long seed = 42;
    private Path tally;                 // null = don't write one
    private long holdSeconds = 0;
    private long printEverySeconds = 10;
    private boolean help;

    /** Thrown for an unknown option or a missing or malformed value. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(String[] args) throws UsageException {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("-h") || name.equals("--help")) {
                options.help = true;
                continue;
            }
            String value = null;
            int equals = name.indexOf('=');
            if (name.startsWith("--") && equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!NAMES.contains(name)) {
                throw new UsageException("unknown option " + name);
            }
            if (value == null) {
                if (i + 1 == args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--jobs":
                    options.jobs = parseLong(name, value, 0);
                    break;
                case "--threads":
                    options.threads = (int) Math.min(parseLong(name, value, 1), 10_000);
                    break;
                case "--rate":
                    options.rate = parsePositiveDouble(name, value);
                    break;
                case "--seed":
                    options.seed = parseLong(name, value, Long.MIN_VALUE);
                    break;
                case "--tally":
                    if (value.isEmpty()) {
                        throw new UsageException("--tally needs a file name");
                    }
                    options.tally = Paths.get(value);
                    break;
                case "--hold-seconds":
                    options.holdSeconds = parseLong(name, value, 0);
                    break;
                case "--print-every":
                    options.printEverySeconds = parseLong(name, value, 0);
                    break;
                default:
                    throw new UsageException("unknown option " + name);
            }
        }
        return options;
    }

    /** True when a fixed number of jobs is run; false when running until stopped. */
    boolean bounded() {
        return jobs > 0;
    }

    long jobs() {
        return jobs;
    }

    int threads() {
        return threads;
    }

    /** Jobs per second to create; 0 means as fast as the pool accepts them (bounded runs only). */
    double rate() {
        if (rate > 0) {
            return rate;
        }
        return bounded() ? 0 : DEFAULT_RATE;
    }

    long seed() {
        return seed;
    }

    Path tally() {
        return tally;
    }

    long holdSeconds() {
        return holdSeconds;
    }

    long printEverySeconds() {
        return printEverySeconds;
    }

    boolean help() {
        return help;
    }

    @Override
    public String toString() {
        return "jobs=" + (bounded() ? String.valueOf(jobs) : "until stopped")
                + " threads=" + threads
                + " rate=" + (rate() > 0 ? rate() + "/s" : "max")
                + " seed=" + seed
                + (tally != null ? " tally=" + tally : "");
    }

    private static long parseLong(String name, String value, long min) throws UsageException {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " needs a whole number" + (min > Long.MIN_VALUE ? " >= " + min : "")
                + ", got '" + value + "'");
    }

    private static double parsePositiveDouble(String name, String value) throws UsageException {
        try {
            double parsed = Double.parseDouble(value);
            if (parsed > 0 && !Double.isInfinite(parsed)) { // also rejects NaN
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " needs a number > 0, got '" + value + "'");
    }
}

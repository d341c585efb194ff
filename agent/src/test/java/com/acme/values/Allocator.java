package com.acme.values;

/**
 * A worker's container allocator for {@code ValueReaderTest}: {@link #allocate} is the method an
 * {@code agentmon.docker.cpu} or {@code .memory} spec reads its numbers from, and the nested types
 * offer one getter of every form a spec may name, and some it may not.
 */
public class Allocator {

    /** arg0 to arg3; a double first, so the later arguments sit two slots further on. */
    public void allocate(double cpus, Request request, Integer count, String name) {
    }

    public void reset() {
    }

    public Long size() {
        return 1L;
    }

    public String describe() {
        return "";
    }

    public static class Request {
        public final Sizes sizes = new Sizes();

        public Sizes getSizes() {
            return sizes;
        }
    }

    public static class BaseSizes {
        public int inherited = 11;
    }

    public interface Sized {
        default long total() {
            return 99;
        }
    }

    public static class Sizes extends BaseSizes implements Sized {
        public int count = 3;
        private long hidden = 9;

        public long memoryBytes() {
            return 268_435_456L;
        }

        public double getCpus() {
            return 1.5;
        }

        public Long isReserved() {
            return 7L;
        }

        public boolean large() {
            return true;
        }

        public void clear() {
        }

        public String name() {
            return "x";
        }

        int local() {
            return 5;
        }

        private int secret() {
            return hidden > 0 ? 6 : 0;
        }

        public Sizes self() {
            return this;
        }
    }
}

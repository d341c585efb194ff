package com.acme.matching;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Worker-like types for {@code MethodMatchersTest}, in a package of their own: a matcher never
 * weaves agentmon's own packages, so the fixtures can't live beside the test.
 */
public class Workers {

    public void run() {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Monitored {
    }

    public interface Task {
        void run();
    }

    public static class IngestJob implements Task {
        @Override
        public void run() {
        }

        public void runAll() {
        }
    }

    public static class FetchJob extends IngestJob {
        @Override
        public void run() {
        }
    }

    public static class Handler {
        @Monitored
        public void handle() {
        }

        public void other() {
        }
    }

    /** Methods with no body of their own to count, and the ones javac writes. */
    public abstract static class Shapes implements Comparable<Shapes> {
        public abstract void abstractRun();

        public native void nativeRun();

        @Override
        public int compareTo(Shapes other) { // javac adds a bridge, compareTo(Object)
            return 0;
        }

        public Runnable task() {
            return () -> { }; // javac adds a synthetic method for the lambda's body
        }
    }

    /** A listener interface, an implementation with an overload of its own, and a framework's adapter. */
    public interface Listener {
        void onMessage(CharSequence message);
    }

    public static class OrderListener implements Listener {
        @Override
        public void onMessage(CharSequence message) {
            onMessage(message.toString(), 1);
        }

        void onMessage(String body, int attempt) { // called by the one above: a second count if selected
        }
    }

    public static class Adapters {
        /** Calls the user's listener: selecting it too would count each message twice. */
        public static class ListenerAdapter implements Listener {
            private final Listener delegate = new OrderListener();

            @Override
            public void onMessage(CharSequence message) {
                delegate.onMessage(message);
            }
        }
    }
}

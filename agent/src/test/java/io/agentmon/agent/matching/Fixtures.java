package io.agentmon.agent.matching;

/** A small hierarchy whose class files the tests read: Leaf extends Base implements Runnable; Base implements Mid extends Root. */
final class Fixtures {

    private Fixtures() {
    }

    interface Root {
    }

    interface Mid extends Root {
    }

    abstract static class Base implements Mid {
        public abstract void work();
    }

    static final class Leaf extends Base implements Runnable {
        @Override
        public void work() {
        }

        @Override
        public void run() {
        }
    }
}

package benchworker;

/**
 * The work of {@link ManyTasksWorker}'s generated tasks: busy-spin for {@link #nanos}, then
 * throw {@link TaskFailure} when {@link #fail} is set. The worker sets both before each run, on
 * the one thread that runs the tasks.
 */
public final class Spin {

    static long nanos;
    static boolean fail;

    private Spin() {
    }

    public static void spin() {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
        if (fail) {
            throw TaskFailure.INSTANCE;
        }
    }
}

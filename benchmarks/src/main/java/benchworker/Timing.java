package benchworker;

/**
 * How the peer-overhead workers ({@link HelloWorld}, {@link RunningWorker},
 * {@link ThroughputWorker}) call a task: plainly, or, with {@code -Dbenchworker.timing=micrometer},
 * wrapped in a hand-written Micrometer timer ({@link MicrometerTiming}, loaded by name so that
 * Micrometer is needed on the class path only in that configuration). The workers know nothing
 * of agentmon or of any agent: an agent, where there is one, finds the task classes by itself.
 */
public class Timing {

    /** The property that picks the timing; empty or absent: none. */
    public static final String PROPERTY = "benchworker.timing";

    Timing() {
    }

    /** The timing the JVM was started with, for tasks named {@code names} (index = task number). */
    public static Timing forTasks(String... names) throws Exception {
        String which = System.getProperty(PROPERTY, "");
        if (which.isEmpty()) {
            return new Timing();
        }
        if (which.equals("micrometer")) {
            return (Timing) Class.forName("benchworker.MicrometerTiming")
                    .getConstructor(String[].class).newInstance((Object) names);
        }
        throw new IllegalArgumentException(PROPERTY + "=" + which + ": known are micrometer, or nothing");
    }

    /** Runs task number {@code task}, whose body is {@code body}. */
    public void run(int task, Runnable body) {
        body.run();
    }
}

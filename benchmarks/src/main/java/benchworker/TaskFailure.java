package benchworker;

/**
 * The exception the failing task methods throw: one instance, allocated once, without a stack
 * trace, so that the failure benchmarks measure the agent's failure path and not the JVM's
 * cost of building exceptions.
 */
public final class TaskFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final TaskFailure INSTANCE = new TaskFailure();

    private TaskFailure() {
        super("benchmark task failure", null, false, false);
    }
}

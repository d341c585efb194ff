package benchworker;

/**
 * A hello world with one task: runs {@link PeerTask} once (through {@link Timing}, so with
 * {@code -Dbenchworker.timing=micrometer} inside a Micrometer timer), prints
 * {@code hello world <state>} and exits with {@link System#exit} (an agent's or Micrometer's
 * non-daemon thread would otherwise keep the JVM up).
 */
public final class HelloWorld {

    private HelloWorld() {
    }

    public static void main(String[] args) throws Exception {
        Timing timing = Timing.forTasks(PeerTask.class.getName());
        timing.run(0, new PeerTask());
        System.out.println("hello world " + PeerTask.state);
        System.out.flush();
        System.exit(0);
    }
}

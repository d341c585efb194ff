package benchworker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A CPU-bound worker for the peer-overhead harness's throughput figures: {@link PeerTask} with
 * {@code rounds} steps per run, called back to back on the main thread through {@link Timing}.
 * It knows nothing of agentmon. It prints {@code ready}, then serves commands on stdin, one a
 * line: {@code run <ms>} runs tasks for that long and prints {@code ran tasks=<n> nanos=<elapsed>};
 * {@code exit} (or the end of stdin) exits.
 *
 * <p>Arguments: {@code rounds}.
 */
public final class ThroughputWorker {

    private ThroughputWorker() {
    }

    public static void main(String[] args) throws Exception {
        PeerTask.rounds = Integer.parseInt(args[0]);
        Timing timing = Timing.forTasks(PeerTask.class.getName());
        PeerTask task = new PeerTask();
        System.out.println("ready");
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = stdin.readLine()) != null; ) {
            line = line.trim();
            if (line.startsWith("run ")) {
                long start = System.nanoTime();
                long end = start + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(line.substring(4).trim()));
                long tasks = 0;
                long now;
                do {
                    for (int i = 0; i < 16; i++) {
                        timing.run(0, task);
                    }
                    tasks += 16;
                    now = System.nanoTime();
                } while (now < end);
                System.out.println("ran tasks=" + tasks + " nanos=" + (now - start) + " state=" + PeerTask.state);
            } else if (line.equals("exit")) {
                break;
            } else if (!line.isEmpty()) {
                System.out.println("unknown command: " + line);
            }
            System.out.flush();
        }
        System.exit(0);
    }
}

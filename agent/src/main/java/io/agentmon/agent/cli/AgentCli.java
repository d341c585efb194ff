package io.agentmon.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.util.Properties;

/**
 * {@code java -jar agentmon.jar attach <pid> [key=value ...]} starts agentmon in a running JVM
 * through the Attach API and prints where it serves; {@code java -jar agentmon.jar list} shows
 * the JVMs it could attach to. The keys are the agent-argument forms of the configuration keys
 * ({@code port=9300 tasks=com.acme.Job+#run}).
 */
public final class AgentCli {

    /** Set in the target JVM by a running agent: where it serves, for this command to report. */
    public static final String ENDPOINT_PROPERTY = "io.agentmon.endpoint";
    private static final long WAIT_FOR_ENDPOINT_MILLIS = 30_000;
    private static final String USAGE = "usage: java -jar agentmon.jar attach <pid> [key=value ...] | list";

    private AgentCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && "list".equals(args[0])) {
            for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
                out.println(vm.id() + "\t" + (vm.displayName().isEmpty() ? "(no main class)" : vm.displayName()));
            }
            return 0;
        }
        if (args.length < 2 || !"attach".equals(args[0])) {
            err.println(USAGE);
            return 2;
        }
        StringBuilder options = new StringBuilder();
        for (int i = 2; i < args.length; i++) {
            if (!args[i].contains("=")) {
                err.println("agentmon: '" + args[i] + "' is not key=value; " + USAGE);
                return 2;
            }
            options.append(options.length() == 0 ? "" : ",").append(args[i]);
        }
        try {
            return attach(args[1], options.toString(), out, err);
        } catch (Exception e) {
            err.println("agentmon: cannot attach to " + args[1] + ": " + e);
            return 1;
        }
    }

    private static int attach(String pid, String options, PrintStream out, PrintStream err) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            String endpoint = vm.getSystemProperties().getProperty(ENDPOINT_PROPERTY);
            if (endpoint != null) {
                out.println("agentmon: already attached to " + pid + ", serving " + endpoint
                        + " (its configuration stays as it is; restart the JVM to change it)");
                return 0;
            }
            vm.loadAgent(ownJar(), options);
            long deadline = System.currentTimeMillis() + WAIT_FOR_ENDPOINT_MILLIS;
            while (System.currentTimeMillis() < deadline) {
                Properties properties = vm.getSystemProperties();
                endpoint = properties.getProperty(ENDPOINT_PROPERTY);
                if (endpoint != null) {
                    out.println("agentmon: attached to " + pid + ", serving " + endpoint);
                    return 0;
                }
                Thread.sleep(100);
            }
            err.println("agentmon: attached to " + pid + " but it did not start serving within "
                    + WAIT_FOR_ENDPOINT_MILLIS / 1000 + "s; see that JVM's stderr for why");
            return 1;
        } finally {
            vm.detach();
        }
    }

    private static String ownJar() throws URISyntaxException {
        return new File(AgentCli.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getAbsolutePath();
    }
}

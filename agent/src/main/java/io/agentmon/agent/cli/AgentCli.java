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
    private static final String USAGE = "usage: java -jar agentmon.jar attach <pid> [key=value ...] | list | hash-password";
    private static final int MAX_PASSWORD_BYTES = 4096;

    private AgentCli() {
    }

    public static void main(String[] args) throws java.io.IOException {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) throws java.io.IOException {
        if (args.length == 1 && "hash-password".equals(args[0])) {
            return hashPassword(in, out, err);
        }
        return run(args, out, err);
    }

    /**
     * Reads a password from standard input (its first line; never from the command line, where
     * {@code ps} would show it) and prints the value for {@code agentmon.http.basic.password.hash}.
     */
    private static int hashPassword(java.io.InputStream in, PrintStream out, PrintStream err) throws java.io.IOException {
        byte[] bytes = in.readNBytes(MAX_PASSWORD_BYTES + 1);
        if (bytes.length > MAX_PASSWORD_BYTES) {
            err.println("agentmon: hash-password: the password is longer than " + MAX_PASSWORD_BYTES + " bytes");
            return 2;
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String password = newline < 0 ? text : text.substring(0, newline);
        if (password.endsWith("\r")) {
            password = password.substring(0, password.length() - 1);
        }
        if (password.isEmpty()) {
            err.println("agentmon: hash-password: no password on standard input (echo -n 'secret' | java -jar agentmon.jar hash-password)");
            return 2;
        }
        out.println(io.agentmon.agent.http.PasswordHash.create(password.toCharArray()));
        return 0;
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

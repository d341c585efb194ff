package io.agentmon.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar agentmon.jar attach <pid> [key=value ...]} starts agentmon in a running JVM
 * through the Attach API and prints where it serves; {@code java -jar agentmon.jar list} shows
 * the JVMs it could attach to, marking those that run agentmon already. The keys are the agent-argument forms of the configuration keys
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
            list(out);
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

    /**
     * Every JVM the Attach API sees, and for those that run agentmon already, where it serves
     * (read as {@code jcmd} reads properties: by attaching; each JVM gets {@value #LIST_WAIT_MILLIS}
     * ms to answer, all at once, so one that hangs delays the list by that at most).
     */
    private static void list(PrintStream out) {
        List<VirtualMachineDescriptor> vms = VirtualMachine.list();
        List<CompletableFuture<String>> endpoints = new ArrayList<>();
        for (VirtualMachineDescriptor vm : vms) {
            CompletableFuture<String> endpoint = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    endpoint.complete(endpointOf(vm));
                } catch (Throwable e) {
                    endpoint.complete(null); // another user's JVM, or one that does not answer: not known to run agentmon
                }
            }, "agentmon-list-" + vm.id());
            reader.setDaemon(true);
            reader.start();
            endpoints.add(endpoint);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIST_WAIT_MILLIS);
        for (int i = 0; i < vms.size(); i++) {
            VirtualMachineDescriptor vm = vms.get(i);
            String endpoint;
            try {
                endpoint = endpoints.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                endpoint = null;
            }
            out.println(vm.id() + "\t" + (vm.displayName().isEmpty() ? "(no main class)" : vm.displayName())
                    + (endpoint == null ? "" : "\tagentmon serving " + endpoint));
        }
    }

    private static final long LIST_WAIT_MILLIS = 3_000;

    private static String endpointOf(VirtualMachineDescriptor descriptor) throws Exception {
        if (descriptor.id().equals(String.valueOf(ProcessHandle.current().pid()))) {
            return null; // this CLI itself
        }
        VirtualMachine vm = VirtualMachine.attach(descriptor);
        try {
            return vm.getSystemProperties().getProperty(ENDPOINT_PROPERTY);
        } finally {
            vm.detach();
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

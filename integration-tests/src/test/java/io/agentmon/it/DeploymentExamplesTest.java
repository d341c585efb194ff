package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.Promtool;
import io.agentmon.it.support.Scrape;
import io.agentmon.it.support.WorkerProcess;
import io.agentmon.it.support.WorkerProcess.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment examples in {@code deploy/} are ones their tools accept, and they work: the
 * systemd unit's command line and the Kubernetes Deployment's environment, given to the sample
 * worker, serve a protected endpoint whose health paths answer the probes the examples declare;
 * the compose file is one {@code docker-compose config} accepts, whose mounts, ports and
 * Prometheus configuration fit together, and whose worker command monitors the sample worker.
 */
class DeploymentExamplesTest {

    private static final Path DEPLOY = Paths.get("..", "deploy");
    private static final Path UNIT = DEPLOY.resolve("systemd/worker.service");
    private static final Path K8S = DEPLOY.resolve("kubernetes");
    private static final Path COMPOSE = DEPLOY.resolve("compose");
    private static final String TOKEN = "s3cret-token-for-the-test";

    @TempDir
    Path dir;

    @Test
    void systemdAcceptsTheUnitWithoutAWarning() throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze") || ci(), "systemd-analyze is not installed");
        Run run = run(null, "systemd-analyze", "verify", UNIT.toString());
        assertEquals(0, run.exit, run.output);
        // verify exits 0 on unknown or misspelt keys, and only warns about them.
        assertEquals("", run.output.trim(), "systemd-analyze verify warned about the unit");
    }

    @Test
    void theUnitsCommandLineServesAProtectedEndpoint() throws Exception {
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.write(credentials.resolve("agentmon-token"), (TOKEN + "\n").getBytes(StandardCharsets.UTF_8));
        List<String> command = execStart(new String(Files.readAllBytes(UNIT), StandardCharsets.UTF_8));
        assertEquals("/usr/bin/java", command.get(0), "the unit starts java itself");
        Path tally = dir.resolve("tally.properties");
        WorkerProcess.Builder builder = WorkerProcess.builder(Jdks.current()).withoutAgent()
                // Only for the test: a free port on loopback instead of the default 9200 on every interface.
                .onLoopback();
        for (String arg : command.subList(1, command.size())) {
            builder.jvmArg(arg.replace("/opt/agentmon/agentmon.jar", WorkerProcess.AGENT_JAR.toAbsolutePath().toString())
                    .replace("/opt/worker/worker.jar", WorkerProcess.SAMPLE_WORKER_JAR.toAbsolutePath().toString())
                    .replace("%d", credentials.toString()));
        }
        for (String arg : new String[] {"--jobs", "30", "--threads", "2", "--tally", tally.toString(), "--hold-seconds", "60"}) {
            builder.jvmArg(arg);
        }
        try (WorkerProcess worker = builder.start()) {
            assertServesProtected(worker, tally, "/health", "/health/ready", "/metrics", "worker");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileIsOneDockerComposeAcceptsAndItsPartsFit() throws Exception {
        Assumptions.assumeTrue(onPath("docker-compose") || ci(), "docker-compose is not installed");
        Run config = run(null, "docker-compose", "-f", COMPOSE.resolve("docker-compose.yml").toString(), "config");
        assertEquals(0, config.exit, config.output);
        Map<String, Object> services = map((Map<String, Object>) new Yaml().load(config.output), "services");
        assertEquals(new TreeSet<>(List.of("grafana", "otel-collector", "prometheus", "worker")), services.keySet());
        // Every file a service mounts exists (the jars once built), so `up` finds what it needs.
        for (Object service : services.values()) {
            Object volumes = ((Map<String, Object>) service).get("volumes");
            for (Object volume : volumes == null ? List.of() : (List<Object>) volumes) {
                Path source = Paths.get(volume.toString().split(":")[0]);
                assertTrue(Files.exists(source), "mounted but missing: " + source);
            }
        }
        // Prometheus's configuration, with the alert rules where the compose file mounts them.
        Path etc = Files.createDirectories(dir.resolve("etc-prometheus/alerts"));
        Files.copy(COMPOSE.resolve("prometheus.yml"), etc.getParent().resolve("prometheus.yml"));
        Files.copy(Paths.get("..", "collector-config", "alerts", "agentmon-alerts.yml"), etc.resolve("agentmon-alerts.yml"));
        Promtool.Result checked = Promtool.run(new byte[0], "check", "config",
                etc.getParent().resolve("prometheus.yml").toString());
        assertEquals(0, checked.exit, checked.output);
        String prometheus = new String(Files.readAllBytes(COMPOSE.resolve("prometheus.yml")), StandardCharsets.UTF_8);
        assertTrue(prometheus.contains("- worker:9200"), "Prometheus scrapes the worker service on agentmon's default port");
        Map<String, Object> worker = map(services, "worker");
        Map<String, Object> environment = map(worker, "environment");
        assertEquals("http://otel-collector:4318", environment.get("OTEL_EXPORTER_OTLP_ENDPOINT"), "the collector's OTLP/HTTP port");
        assertTrue(new String(Files.readAllBytes(COMPOSE.resolve("otel-collector.yml")), StandardCharsets.UTF_8)
                .contains("endpoint: 0.0.0.0:4318"), "the collector listens where the worker sends");

        // The worker's command line, given to the sample worker here, monitors its tasks and containers.
        List<String> command = (List<String>) worker.get("command");
        assertEquals("java", command.get(0));
        int jar = command.indexOf("-jar");
        Path tally = dir.resolve("tally.properties");
        WorkerProcess.Builder builder = WorkerProcess.builder(Jdks.current()).withoutAgent()
                .onLoopback(); // only for the test: a free port on loopback instead of 9200 on every interface
        for (String arg : command.subList(1, jar)) {
            builder.jvmArg(arg.replace("/opt/agentmon/agentmon.jar", WorkerProcess.AGENT_JAR.toAbsolutePath().toString()));
        }
        assertEquals("/opt/worker/sample-worker.jar", command.get(jar + 1));
        for (String arg : new String[] {"-jar", WorkerProcess.SAMPLE_WORKER_JAR.toAbsolutePath().toString(),
                "--jobs", "20", "--threads", "2", "--tally", tally.toString(), "--hold-seconds", "60"}) {
            builder.jvmArg(arg);
        }
        try (WorkerProcess started = builder.start()) {
            Properties counted = started.awaitProperties(tally, 120);
            Scrape scrape = WorkerProcess.Http.scrape(started.agentPort());
            assertEquals(Double.parseDouble(counted.getProperty("total.count")),
                    scrape.sum("agentmon_task_duration_seconds_count"), "every job the worker ran is counted");
            assertTrue(scrape.sum("agentmon_docker_allocations_total") > 0, "the container allocator is described too");
        }
    }

    @Test
    void theManifestsMatchTheKubernetesSchemas() throws Exception {
        Assumptions.assumeTrue(onPath("npm") || ci(), "npm is not installed");
        Path validate = K8S.resolve("validate");
        if (!Files.isDirectory(validate.resolve("node_modules"))) {
            Run install = run(validate, "npm", "ci", "--no-audit", "--no-fund");
            assertEquals(0, install.exit, install.output);
        }
        Run valid = run(validate, "node", "validate.mjs", "../worker.yaml", "../podmonitor.yaml");
        assertEquals(0, valid.exit, valid.output);
        assertEquals(3, valid.output.split("\\R").length, "one line per document: " + valid.output);
        // The validator must be able to say no.
        Path broken = dir.resolve("broken.yaml");
        Files.write(broken, new String(Files.readAllBytes(K8S.resolve("worker.yaml")), StandardCharsets.UTF_8)
                .replace("containerPort: 9200", "containerPort: \"9200\"").getBytes(StandardCharsets.UTF_8));
        Run invalid = run(validate, "node", "validate.mjs", broken.toAbsolutePath().toString());
        assertNotEquals(0, invalid.exit, invalid.output);
        assertTrue(invalid.output.contains("containerPort"), invalid.output);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDeploymentsEnvironmentServesWhatItsProbesAndPodMonitorAsk() throws Exception {
        Map<String, Object> deployment = document(K8S.resolve("worker.yaml"), "Deployment");
        Map<String, Object> podMonitor = document(K8S.resolve("podmonitor.yaml"), "PodMonitor");
        Map<String, Object> template = map(map(deployment, "spec"), "template");
        Map<String, Object> pod = map(template, "spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);

        // The PodMonitor finds these pods, on the port the container names, with the token's Secret.
        assertEquals(map(map(template, "metadata"), "labels"), map(map(map(podMonitor, "spec"), "selector"), "matchLabels"));
        Map<String, Object> endpoint = ((List<Map<String, Object>>) map(podMonitor, "spec").get("podMetricsEndpoints")).get(0);
        Map<String, Object> port = ((List<Map<String, Object>>) container.get("ports")).get(0);
        assertEquals(port.get("name"), endpoint.get("port"));
        assertEquals(9200, port.get("containerPort"), "the agent's default port");
        Map<String, Object> credentials = map(map(endpoint, "authorization"), "credentials");
        Map<String, Object> secretVolume = null;
        for (Map<String, Object> volume : (List<Map<String, Object>>) pod.get("volumes")) {
            if (volume.containsKey("secret")) {
                secretVolume = volume;
            }
        }
        assertNotNull(secretVolume, "the token comes from a Secret volume");
        Map<String, Object> secret = map(secretVolume, "secret");
        assertEquals(credentials.get("name"), secret.get("secretName"));
        Map<String, Object> item = ((List<Map<String, Object>>) secret.get("items")).get(0);
        assertEquals(credentials.get("key"), item.get("key"));
        String mountPath = null;
        for (Map<String, Object> mount : (List<Map<String, Object>>) container.get("volumeMounts")) {
            if (mount.get("name").equals(secretVolume.get("name"))) {
                mountPath = (String) mount.get("mountPath");
            }
        }
        assertNotNull(mountPath, "the Secret volume is mounted");
        String tokenPath = mountPath + "/" + item.get("path");

        // Hardening that must not be lost in an edit.
        Map<String, Object> security = map(container, "securityContext");
        assertEquals(Boolean.FALSE, security.get("allowPrivilegeEscalation"));
        assertEquals(Boolean.TRUE, security.get("readOnlyRootFilesystem"));
        assertEquals(Collections.singletonList("ALL"), map(security, "capabilities").get("drop"));
        assertEquals(Boolean.TRUE, map(pod, "securityContext").get("runAsNonRoot"));

        // Run the sample worker with the container's environment, the Secret mounted in a temp dir.
        Path mounted = Files.createDirectories(dir.resolve("secret"));
        Files.write(mounted.resolve((String) item.get("path")), TOKEN.getBytes(StandardCharsets.UTF_8));
        Path tally = dir.resolve("tally.properties");
        WorkerProcess.Builder builder = WorkerProcess.builder(Jdks.current()).withoutAgent()
                .env("AGENTMON_PORT", "0").env("AGENTMON_HOST", "127.0.0.1") // only for the test
                .sampleWorker("--jobs", "30", "--threads", "2", "--tally", tally.toString(), "--hold-seconds", "60");
        boolean tokenFileSet = false;
        for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
            String name = (String) variable.get("name");
            String value = (String) variable.get("value");
            if (value == null) {
                // valueFrom: the Downward API gives the pod's label.
                assertEquals("metadata.labels['app.kubernetes.io/name']", map(map(variable, "valueFrom"), "fieldRef").get("fieldPath"));
                value = (String) map(map(template, "metadata"), "labels").get("app.kubernetes.io/name");
            }
            if (value.equals(tokenPath)) {
                tokenFileSet = true;
                value = mounted.resolve((String) item.get("path")).toString();
            }
            builder.env(name, value.replace("/opt/agentmon/agentmon.jar", WorkerProcess.AGENT_JAR.toAbsolutePath().toString()));
        }
        assertTrue(tokenFileSet, "an environment variable names the mounted token file " + tokenPath);
        try (WorkerProcess worker = builder.start()) {
            assertServesProtected(worker, tally,
                    (String) map(map(container, "livenessProbe"), "httpGet").get("path"),
                    (String) map(map(container, "readinessProbe"), "httpGet").get("path"),
                    (String) endpoint.get("path"), "worker");
        }
    }

    /** Probe paths answer without credentials; the metrics path wants the token, and has the worker's tasks. */
    private static void assertServesProtected(WorkerProcess worker, Path tally, String liveness, String readiness,
            String metrics, String service) throws IOException {
        int port = worker.agentPort();
        worker.awaitProperties(tally, 120);
        assertEquals(200, WorkerProcess.Http.get(port, liveness, null).status, liveness);
        assertEquals(200, WorkerProcess.Http.get(port, readiness, null).status, readiness);
        assertEquals(401, WorkerProcess.Http.get(port, metrics, null).status, metrics + " without the token");
        assertEquals(401, WorkerProcess.Http.request(port, "GET", metrics,
                Collections.singletonMap("Authorization", "Bearer wrong")).status, metrics + " with a wrong token");
        Response scrape = WorkerProcess.Http.request(port, "GET", metrics,
                Collections.singletonMap("Authorization", "Bearer " + TOKEN));
        assertEquals(200, scrape.status, metrics + " with the token");
        assertTrue(scrape.body.contains("agentmon_task_duration_seconds_count{")
                && scrape.body.contains("service=\"" + service + "\""), scrape.body);
    }

    /** The ExecStart line of a unit, continuations joined, split into arguments (the unit quotes nothing). */
    static List<String> execStart(String unit) {
        String joined = unit.replaceAll("\\\\\\R", " ");
        for (String line : joined.split("\\R")) {
            if (line.startsWith("ExecStart=")) {
                return new ArrayList<>(Arrays.asList(line.substring("ExecStart=".length()).trim().split("\\s+")));
            }
        }
        throw new AssertionError("no ExecStart= in the unit");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(Path file, String kind) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (Object doc : new Yaml().loadAll(in)) {
                if (doc instanceof Map && kind.equals(((Map<String, Object>) doc).get("kind"))) {
                    return (Map<String, Object>) doc;
                }
            }
        }
        throw new AssertionError("no " + kind + " in " + file);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertTrue(value instanceof Map, key + " is missing or not a map in " + parent.keySet());
        return (Map<String, Object>) value;
    }

    private static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    private static boolean onPath(String command) {
        for (String entry : System.getenv("PATH").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(entry, command))) {
                return true;
            }
        }
        return false;
    }

    private static final class Run {
        final int exit;
        final String output;

        Run(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private static Run run(Path directory, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("agentmon-tool-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
        }
        return new Run(process.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
    }
}

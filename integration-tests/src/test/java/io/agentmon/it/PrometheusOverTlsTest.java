package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.Jdks;
import io.agentmon.it.support.PrometheusServer;
import io.agentmon.it.support.TestCertificates;
import io.agentmon.it.support.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scraping the agent over TLS with a bearer token, configured as the README
 * shows ({@code scheme: https}, {@code authorization.credentials_file}, {@code tls_config.ca_file}):
 * the job with the right token is up and has agentmon's series; one with a wrong token is down.
 */
class PrometheusOverTlsTest {

    @Test
    void prometheusScrapesOverTlsWithABearerToken() throws Exception {
        TestCertificates certificates = TestCertificates.create();
        Path token = Files.write(certificates.dir.resolve("token"), "prometheus-token-1\n".getBytes(StandardCharsets.UTF_8));
        Path wrong = Files.write(certificates.dir.resolve("wrong-token"), "prometheus-token-2\n".getBytes(StandardCharsets.UTF_8));
        try (WorkerProcess worker = WorkerProcess.builder(Jdks.current())
                .demoConfiguration()
                .property("agentmon.http.token.file", token.toString())
                .property("agentmon.http.tls.keystore", certificates.serverKeystore.toString())
                .property("agentmon.http.tls.keystore.password", TestCertificates.PASSWORD)
                .sampleWorker("--jobs", "0", "--rate", "50")
                .start()) {
            String target = "127.0.0.1:" + worker.agentPort();
            try (PrometheusServer prometheus = PrometheusServer.startWithJobs(job("agentmon", target, token, certificates.serverPem)
                    + job("intruder", target, wrong, certificates.serverPem))) {
                prometheus.awaitData("up{job=\"agentmon\"} == 1", 45);
                prometheus.awaitData("agentmon_info{job=\"agentmon\", service=\"sample-worker\"} == 1", 30);
                prometheus.awaitData("agentmon_task_duration_seconds_count{job=\"agentmon\"} > 0", 30);
                prometheus.awaitData("up{job=\"intruder\"} == 0", 30);
                assertTrue(prometheus.query("agentmon_info{job=\"intruder\"}").count == 0, "no data for the wrong token");
                assertTrue(worker.isAlive(), worker.stderr());
            }
        }
    }

    private static String job(String name, String target, Path tokenFile, Path caFile) {
        return "  - job_name: " + name + "\n"
                + "    scheme: https\n"
                + "    metrics_path: /metrics\n"
                + "    authorization:\n"
                + "      credentials_file: " + tokenFile + "\n"
                + "    tls_config:\n"
                + "      ca_file: " + caFile + "\n"
                + "    static_configs:\n"
                + "      - targets: ['" + target + "']\n";
    }
}

package io.agentmon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.it.support.WorkerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * agentmon.jar is shrunk to the classes its own code reaches (shade's minimizeJar). What is found
 * by name instead, through ServiceLoader or Class.forName, is invisible to that analysis: these
 * checks fail when a build drops such a class, before a worker finds out.
 */
class AgentJarTest {

    @Test
    void everyServiceEntryNamesAClassInTheJar() throws IOException {
        List<String> missing = new ArrayList<>();
        int providers = 0;
        try (JarFile jar = new JarFile(WorkerProcess.AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().startsWith("META-INF/services/") || entry.isDirectory()) {
                    continue;
                }
                try (BufferedReader in = new BufferedReader(new InputStreamReader(jar.getInputStream(entry), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null;) {
                        String provider = line.replaceAll("#.*", "").trim();
                        if (provider.isEmpty()) {
                            continue;
                        }
                        providers++;
                        if (jar.getEntry(provider.replace('.', '/') + ".class") == null) {
                            missing.add(entry.getName() + ": " + provider);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "service providers named but not in the jar");
        assertTrue(providers >= 10, "the OTLP exporters and senders are found through ServiceLoader: " + providers);
    }

    @Test
    void protobufScrapesNeedNoProtobufRuntime() throws IOException {
        try (JarFile jar = new JarFile(WorkerProcess.AGENT_JAR.toFile())) {
            // agentmon writes the protobuf exposition itself; client_java's writer would bring
            // protobuf-java along (1.4 MB), and RealPrometheusTest shows Prometheus reads ours.
            assertTrue(jar.getEntry("io/agentmon/agent/http/exposition/PrometheusProtobuf.class") != null, "agentmon's writer");
            List<String> protobuf = jar.stream().map(JarEntry::getName)
                    .filter(name -> name.contains("com_google_protobuf") || name.contains("expositionformats/internal/"))
                    .limit(5).collect(Collectors.toList());
            assertEquals(List.of(), protobuf, "client_java's protobuf writer or runtime in the jar");
        }
    }

    @Test
    void theJarStaysShrunk() throws IOException {
        long bytes = Files.size(WorkerProcess.AGENT_JAR);
        System.out.println("agentmon.jar: " + bytes + " bytes");
        // 6.25 MB (issue 12 asks for at most 8 MB): shrunk by minimizeJar, with agentmon's own
        // protobuf writer and gRPC sender in place of protobuf-java and OkHttp. A bound, not a
        // target: it fails when the shrinking is lost or one of those comes back.
        assertTrue(bytes < 7_000_000L, "agentmon.jar is " + bytes + " bytes");
    }
}

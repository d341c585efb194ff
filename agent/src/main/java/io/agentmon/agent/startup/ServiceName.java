package io.agentmon.agent.startup;

import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/** The default {@code service} label: the main class, read from the JVM's command line. */
final class ServiceName {

    private ServiceName() {
    }

    static String fromCommand(String command) {
        if (command == null || command.trim().isEmpty()) {
            return "java";
        }
        String main = command.trim().split("\\s+", 2)[0];
        if (main.endsWith(".jar")) {
            return mainClassOf(main);
        }
        return main.substring(main.indexOf('/') + 1); // drop a module name: app/com.acme.Main
    }

    private static String mainClassOf(String jarPath) {
        try (JarFile jar = new JarFile(jarPath)) {
            Attributes attributes = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
            String main = attributes == null ? null : attributes.getValue(Attributes.Name.MAIN_CLASS);
            if (main != null && !main.trim().isEmpty()) {
                return main.trim();
            }
        } catch (IOException | SecurityException e) {
            // fall back to the jar's name
        }
        String name = jarPath.substring(Math.max(jarPath.lastIndexOf('/'), jarPath.lastIndexOf('\\')) + 1);
        return name.substring(0, name.length() - ".jar".length());
    }
}

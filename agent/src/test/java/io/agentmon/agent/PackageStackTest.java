package io.agentmon.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.bootstrap.Outcome;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages are a one-way stack, as README's Architecture section draws it: each package may
 * use only the packages named for it below, and those never use it back. Read from the compiled
 * classes' constant pools (every class a class refers to, fully qualified or imported) and from
 * the source files' import lines (which also show constants that javac copies into the user).
 * An entry may name one class instead of a package: the readers of snapshots may use the
 * bootstrap's {@code Outcome}, the one list of outcomes, and no other bootstrap class. A new
 * package fails here until it is given its place.
 */
class PackageStackTest {

    private static final String ROOT = "io.agentmon.agent";
    private static final String BOOTSTRAP = "io.agentmon.bootstrap";

    /** The vocabulary of the bootstrap that every layer may name: stateless, no recorder. */
    private static final String OUTCOME = Outcome.class.getName();

    /** Each package and the packages (or single classes) it may use; listed from the bottom of the stack up. */
    private static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        allow(""); // AgentLog, Echo, JsonText: nothing
        allow("matching", "");
        allow("config", "", "matching", BOOTSTRAP); // sizes bounded by the bootstrap's tables
        allow("http.server", "");
        allow("http.exposition", ""); // snapshots -> the text, OpenMetrics and protobuf expositions
        allow("otlp.transport", ""); // the SDK's exporters -> OTLP over HTTP/2 or HTTP/1.1
        allow("metrics", "", "config", BOOTSTRAP); // recorders -> snapshots
        allow("instrument", "", "config", "matching", BOOTSTRAP); // weaving: woven code calls the bootstrap
        allow("frameworks", "", "config", "matching", "instrument", "metrics", BOOTSTRAP); // built-in hooks and collectors
        allow("live", "", BOOTSTRAP); // drains the live feed's ring
        allow("otlp", "", "config", "metrics", BOOTSTRAP); // drains the span ring, pushes the registry (otlp.transport is found by ServiceLoader)
        allow("summary", "", "metrics", OUTCOME); // snapshots only
        allow("http", "", "config", "http.server", "http.exposition", "metrics", "live", OUTCOME); // snapshots only
        allow("cli", "http"); // java -jar agentmon.jar: attach, list, hash-password
        allow("startup", "", "cli", "config", "frameworks", "instrument", "metrics", "otlp", "summary", "http", "live", BOOTSTRAP);
    }

    private static void allow(String pkg, String... uses) {
        MAY_USE.put(name(pkg), Arrays.stream(uses).map(PackageStackTest::name).collect(Collectors.toSet()));
    }

    private static String name(String pkg) {
        return pkg.startsWith("io.") ? pkg : pkg.isEmpty() ? ROOT : ROOT + "." + pkg;
    }

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() throws Exception {
        Map<String, Set<String>> uses = agentUses();
        List<String> forbidden = new ArrayList<>();
        for (Map.Entry<String, Set<String>> pkg : uses.entrySet()) {
            Set<String> allowed = MAY_USE.get(pkg.getKey());
            if (allowed == null) {
                forbidden.add(pkg.getKey() + " has no place in the stack: add it to MAY_USE and README's Architecture");
                continue;
            }
            for (String used : pkg.getValue()) {
                String usedPackage = packageOf(used);
                if (!usedPackage.equals(pkg.getKey()) && !allowed.contains(usedPackage) && !allowed.contains(used)) {
                    forbidden.add(pkg.getKey() + " -> " + used);
                }
            }
        }
        assertEquals(List.of(), forbidden, "package edges the stack forbids");
    }

    @Test
    void theAllowedEdgesThemselvesPointDownOnly() {
        // Listed bottom up, each package may name only packages listed before it: no cycle can be allowed.
        Set<String> below = new HashSet<>(Set.of(BOOTSTRAP));
        for (Map.Entry<String, Set<String>> pkg : MAY_USE.entrySet()) {
            Set<String> above = new TreeSet<>();
            for (String used : pkg.getValue()) {
                if (!below.contains(used) && !below.contains(packageOf(used))) {
                    above.add(used);
                }
            }
            assertEquals(Set.of(), above, pkg.getKey() + " may use packages above it");
            below.add(pkg.getKey());
        }
    }

    @Test
    void theBootstrapUsesNoAgentClass() throws Exception {
        Path classes = classesOf(Outcome.class);
        Set<String> agentUses = new TreeSet<>();
        for (Path file : classFiles(classes)) {
            for (String used : referencedClasses(file)) {
                if (!packageOf(used).equals(BOOTSTRAP)) {
                    agentUses.add(classes.relativize(file) + " -> " + used);
                }
            }
        }
        assertEquals(Set.of(), agentUses);
    }

    @Test
    void theCheckSeesReferences() throws Exception {
        // Guards the reading itself: a check that found nothing would pass every stack.
        Map<String, Set<String>> uses = agentUses();
        assertTrue(uses.get(name("startup")).contains(name("http.Endpoint")), uses.toString());
        assertTrue(uses.get(name("metrics")).contains(BOOTSTRAP + ".TaskRecorders"), uses.toString());
        assertTrue(uses.get(name("summary")).contains(OUTCOME), uses.toString());
    }

    /** The package of a top-level class name, or the name itself when it names a package. */
    private static String packageOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && Character.isUpperCase(name.charAt(dot + 1)) ? name.substring(0, dot) : name;
    }

    /** Package -> the io.agentmon classes its classes and sources refer to (top-level classes). */
    private static Map<String, Set<String>> agentUses() throws IOException, URISyntaxException {
        Map<String, Set<String>> uses = new TreeMap<>();
        Path classes = classesOf(AgentLog.class);
        for (Path file : classFiles(classes)) {
            String pkg = classes.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
            uses.computeIfAbsent(pkg, p -> new TreeSet<>()).addAll(referencedClasses(file));
        }
        Path sources = Paths.get("src/main/java");
        if (Files.isDirectory(sources)) { // the module's directory is surefire's working directory
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    String pkg = sources.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
                    uses.computeIfAbsent(pkg, p -> new TreeSet<>()).addAll(importedClasses(file));
                }
            }
        }
        return uses;
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<Path> classFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList());
        }
    }

    private static final Pattern CLASS_NAME = Pattern.compile("io/agentmon/[A-Za-z0-9_$/]*/[A-Za-z0-9_$-]+");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(io\\.agentmon\\.[\\w.]+)\\s*;", Pattern.MULTILINE);

    /** The top-level classes named in a class file's constant pool (class entries and descriptors are all Utf8 entries). */
    static Set<String> referencedClasses(Path classFile) throws IOException {
        Set<String> classes = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(classFile)))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1: // Utf8
                        Matcher name = CLASS_NAME.matcher(in.readUTF());
                        while (name.find()) {
                            String found = name.group().replace('/', '.');
                            int nested = found.indexOf('$');
                            found = nested < 0 ? found : found.substring(0, nested);
                            classes.add(found.endsWith(".package-info") ? found.substring(0, found.lastIndexOf('.')) : found);
                        }
                        break;
                    case 3: case 4: // Integer, Float
                        in.readInt();
                        break;
                    case 5: case 6: // Long, Double: two entries
                        in.readLong();
                        i++;
                        break;
                    case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                        in.readUnsignedShort();
                        break;
                    case 9: case 10: case 11: case 12: case 17: case 18: // member refs, NameAndType, (Invoke)Dynamic
                        in.readInt();
                        break;
                    case 15: // MethodHandle
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                        break;
                    default:
                        throw new IOException(classFile + ": constant pool tag " + tag);
                }
            }
        }
        return classes;
    }

    /** The top-level classes of a source file's io.agentmon imports. */
    static Set<String> importedClasses(Path source) throws IOException {
        Set<String> classes = new TreeSet<>();
        Matcher imported = IMPORT.matcher(Files.readString(source));
        while (imported.find()) {
            // Up to the first upper-case name: the class (of a nested class or a static member too).
            StringBuilder name = new StringBuilder();
            for (String part : imported.group(1).split("\\.")) {
                name.append(name.length() == 0 ? "" : ".").append(part);
                if (Character.isUpperCase(part.charAt(0))) {
                    break;
                }
            }
            classes.add(name.toString());
        }
        return classes;
    }
}

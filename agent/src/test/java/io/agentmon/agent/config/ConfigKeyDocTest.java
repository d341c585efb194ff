package io.agentmon.agent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's configuration reference and {@link ConfigKey} in step: every key the agent
 * knows has a row of its own, and no row documents a key the agent would reject as unknown.
 */
class ConfigKeyDocTest {

    /** A row documenting a key: it starts with the key, in backticks, in the first cell. */
    private static final Pattern KEY_ROW = Pattern.compile("^\\|\\s*`(agentmon\\.[^`]*)`\\s*\\|");
    /** Any key named, in backticks, anywhere in such a row. */
    private static final Pattern KEY_MENTION = Pattern.compile("`(agentmon\\.[^`\\s]*)`");

    @Test
    void everyConfigKeyHasAReadmeRowAndEveryRowIsAConfigKey() throws IOException {
        List<String> lines = Files.readAllLines(readme(), StandardCharsets.UTF_8);
        Set<String> rows = new TreeSet<>();
        Set<String> mentioned = new TreeSet<>();
        for (String line : lines) {
            Matcher row = KEY_ROW.matcher(line.trim());
            if (row.find()) {
                rows.add(row.group(1));
                Matcher mention = KEY_MENTION.matcher(line);
                while (mention.find()) {
                    mentioned.add(mention.group(1));
                }
            }
        }

        Set<String> known = new TreeSet<>();
        for (ConfigKey key : ConfigKey.all()) {
            known.add(key.key());
        }
        Set<String> undocumented = new TreeSet<>(known);
        undocumented.removeAll(rows);
        Set<String> unknown = new TreeSet<>();
        for (String mention : mentioned) {
            // Examples such as `agentmon.task.deadline.ingest=2m` name a member of a key family.
            String name = mention.contains("=") ? mention.substring(0, mention.indexOf('=')) : mention;
            if (!known.contains(name) && !name.equals("agentmon.*") && !ConfigKey.find(name).isPresent()) {
                unknown.add(mention);
            }
        }

        StringBuilder problems = new StringBuilder();
        if (!undocumented.isEmpty()) {
            problems.append("README.md has no table row \"| `key` | ...\" for ").append(undocumented)
                    .append("; rows written from ConfigKey:\n");
            for (ConfigKey key : ConfigKey.all()) {
                if (undocumented.contains(key.key())) {
                    problems.append(row(key)).append('\n');
                }
            }
        }
        if (!unknown.isEmpty()) {
            problems.append("README.md documents keys that are not in ConfigKey (the agent rejects them as unknown): ")
                    .append(unknown).append('\n');
        }
        if (problems.length() > 0) {
            fail(problems.toString());
        }
    }

    @Test
    void readmeRowsAreWhatThisTestLooksFor() {
        // Guards the patterns above: a test that matched nothing would pass on any README.
        assertTrue(KEY_ROW.matcher("| `agentmon.port` | Port ... | `9200` | `9300` |").find());
        assertTrue(KEY_ROW.matcher("|`agentmon.port`|x|").find());
        assertTrue(!KEY_ROW.matcher("| key | meaning |").find());
        assertTrue(!KEY_ROW.matcher("See `agentmon.port` | below").find());
        Matcher mention = KEY_MENTION.matcher("| `agentmon.a` | see `agentmon.b`, not /etc/agentmon.properties |");
        Set<String> found = new TreeSet<>();
        while (mention.find()) {
            found.add(mention.group(1));
        }
        assertTrue(found.equals(new TreeSet<>(List.of("agentmon.a", "agentmon.b"))), found.toString());
    }

    /** The markdown row for a key, as the README's table has it: key | meaning | default | example. */
    static String row(ConfigKey key) {
        String defaultValue = key.defaultValue().isEmpty() ? "(none)" : "`" + key.defaultValue() + "`";
        if (key == ConfigKey.SERVICE) {
            defaultValue = "`otel.service.name`, else the main class";
        }
        return "| `" + key.key() + "` | " + key.description() + " | " + defaultValue + " | `" + key.example() + "` |";
    }

    /** README.md at the repository root: one level above the agent module, where Maven runs this test. */
    private static Path readme() {
        Path module = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
        Path readme = module.resolve("../README.md").normalize();
        if (!Files.isRegularFile(readme)) {
            fail("no README.md at " + readme + " (the repository root); its configuration reference is checked here");
        }
        return readme;
    }
}

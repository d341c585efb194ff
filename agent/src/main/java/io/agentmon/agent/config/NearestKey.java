package io.agentmon.agent.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * The known key nearest to a misspelt one, for the error that names it: by edit distance
 * (insertions, deletions, substitutions and swaps of neighbours), ignoring case, and only when
 * it is near enough to be a slip (at most a quarter of the name, and 3, apart).
 */
final class NearestKey {

    private static final int MAX_COMPARED = 200;

    private NearestKey() {
    }

    /** As written in a system property or file ({@code agentmon.task.bucket}). */
    static String forKey(String name) {
        return nearest(name, ConfigKey::key);
    }

    /** As written in the agent arguments, with or without the {@code agentmon.} prefix. */
    static String forArgument(String name) {
        return name.startsWith("agentmon.") ? forKey(name) : nearest(name, ConfigKey::shortName);
    }

    /** As an environment variable ({@code AGENTMON_TASK_BUCKET}). */
    static String forEnvironmentVariable(String name) {
        return nearest(name, ConfigKey::environmentVariable);
    }

    /** What goes between the unknown key and the list of keys: the suggestion, when there is one. */
    static String hint(String suggestion) {
        return suggestion == null ? "; known keys are " : "; did you mean " + suggestion + "? The known keys are ";
    }

    private static String nearest(String name, Function<ConfigKey, String> spelling) {
        if (name.length() > MAX_COMPARED) {
            return null; // not a slip of the keyboard
        }
        String typed = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Math.min(3, Math.max(1, typed.length() / 4)) + 1;
        for (ConfigKey key : ConfigKey.values()) {
            String candidate = spelling.apply(key);
            if (key.isPrefix()) {
                candidate = withTail(candidate, name); // agentmon.task.deadline.<label>: the label as typed
            }
            int distance = distance(typed, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best;
    }

    /** A family's prefix with what {@code name} has after as many separators as the prefix has. */
    private static String withTail(String pattern, String name) {
        int open = pattern.indexOf('<');
        String prefix = open < 0 ? pattern : pattern.substring(0, open); // an environment variable's prefix has no <label>
        char separator = prefix.charAt(prefix.length() - 1);
        int separators = 0;
        for (char c : prefix.toCharArray()) {
            separators += c == separator ? 1 : 0;
        }
        int at = -1;
        for (int i = 0; i < separators && at < name.length(); i++) {
            at = name.indexOf(separator, at + 1);
            if (at < 0) {
                return prefix;
            }
        }
        return prefix + name.substring(at + 1);
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

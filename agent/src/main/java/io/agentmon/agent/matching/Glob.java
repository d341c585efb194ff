package io.agentmon.agent.matching;

/**
 * A name pattern of a matcher: {@code *} is any characters, dots included, and nothing else is
 * special. Matched with {@code startsWith}, {@code indexOf} and {@code endsWith} rather than a
 * regular expression: matchers are parsed in premain, where the JDK's regular expressions cost
 * the worker's start a few milliseconds (their classes and the lambdas they spin).
 */
final class Glob {

    /** The literal text between the stars: one part without a star, n + 1 parts with n. */
    private final String[] parts;

    Glob(String glob) {
        this.parts = glob.split("\\*", -1);
    }

    boolean matches(String name) {
        if (parts.length == 1) {
            return name.equals(parts[0]);
        }
        String first = parts[0];
        String last = parts[parts.length - 1];
        int end = name.length() - last.length();
        if (end < first.length() || !name.startsWith(first) || !name.endsWith(last)) {
            return false;
        }
        // Each middle part at its leftmost place after the one before: the earliest end leaves the
        // most room to the parts after it, so if that does not fit, nothing does.
        int at = first.length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = name.indexOf(parts[i], at);
            if (found < 0 || found + parts[i].length() > end) {
                return false;
            }
            at = found + parts[i].length();
        }
        return true;
    }
}

package io.agentmon.agent;

/**
 * How a value the user gave is shown in an error line: cut to a readable length and with every
 * control character escaped, so that a 100 KB value or a raw {@code \r} cannot turn one line on
 * stderr into a screenful or into two lines.
 */
public final class Echo {

    /** Characters of a value shown before it is cut. */
    public static final int MAX_SHOWN = 80;
    /** Longest message agentmon prints or throws as one configuration error. */
    public static final int MAX_LINE = 2000;

    private Echo() {
    }

    /** {@code 'value'}, cut and escaped: {@code 'aaaa...(100000 chars)'}. */
    public static String quote(String value) {
        return "'" + cut(value, MAX_SHOWN) + "'";
    }

    /** The value escaped, cut after {@code max} characters with a note of its full length. */
    public static String cut(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder(Math.min(value.length(), max) + 24);
        int end = Math.min(value.length(), max);
        for (int i = 0; i < end; i++) {
            escape(value.charAt(i), shown);
        }
        if (value.length() > max) {
            shown.append("...(").append(value.length()).append(" chars)");
        }
        return shown.toString();
    }

    /** A whole message made safe to print as one line (control characters escaped, length bounded). */
    public static String line(String message) {
        return cut(message, MAX_LINE);
    }

    private static void escape(char c, StringBuilder out) {
        switch (c) {
            case '\n': out.append("\\n"); return;
            case '\r': out.append("\\r"); return;
            case '\t': out.append("\\t"); return;
            default:
                // C0, DEL and C1 controls, and the Unicode line and paragraph separators.
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
        }
    }
}

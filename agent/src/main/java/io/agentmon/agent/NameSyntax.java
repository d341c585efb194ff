package io.agentmon.agent;

/**
 * Character checks for names and numbers (matchers, labels, event names, value paths, numbers in
 * the configuration and in requests), written out rather than as regular expressions: most run
 * in premain, where the first regular expression with {@code \p{javaJavaIdentifierPart}} costs
 * the worker's start several milliseconds for the JDK classes and lambdas it brings.
 */
public final class NameSyntax {

    private NameSyntax() {
    }

    /** Non-empty, and every code point a Java identifier part or one of {@code alsoAllowed}. */
    public static boolean javaNameChars(String text, String alsoAllowed) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!Character.isJavaIdentifierPart(c) && alsoAllowed.indexOf(c) < 0) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** A Java identifier: a start code point, then part code points. */
    public static boolean javaIdentifier(String text) {
        return !text.isEmpty() && Character.isJavaIdentifierStart(text.codePointAt(0)) && javaNameChars(text, "");
    }

    /** An ASCII letter or {@code _}, then ASCII letters, digits, {@code _} or one of {@code alsoAllowed}. */
    public static boolean asciiName(String text, String alsoAllowed) {
        if (text.isEmpty() || !(asciiLetter(text.charAt(0)) || text.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!asciiLetter(c) && !asciiDigit(c) && c != '_' && alsoAllowed.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * One to {@code maxDigits} ASCII digits and nothing else: {@code Integer.parseInt} alone would
     * also read a sign, and Arabic-Indic or fullwidth digits.
     */
    public static boolean asciiDigits(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!asciiDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean asciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}

package io.agentmon.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written name checks accept exactly what the regular expressions they replaced did (kept here as their specification), on random text drawn from the characters
 * that matter: ASCII letters and digits, the separators, non-ASCII letters and digits, a
 * supplementary letter, an unpaired surrogate, a control character Java counts as an
 * identifier part, and spaces.
 */
class NameSyntaxTest {

    private static final String[] PIECES = {"a", "Z", "_", "0", "9", ".", "$", "*", ":", "-", "é", "\u0663", "\uFF11",
        "\uD835\uDC00", "\uD800", "\u0001", " ", "arg", "e", "+"};

    @Test
    void theNameChecksAcceptWhatTheirRegularExpressionsDid() {
        Pattern type = Pattern.compile("[\\p{javaJavaIdentifierPart}.$*]+");
        Pattern annotation = Pattern.compile("[\\p{javaJavaIdentifierPart}.$]+");
        Pattern method = Pattern.compile("[\\p{javaJavaIdentifierPart}*]+");
        Pattern label = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]*");
        Pattern event = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
        Pattern identifier = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*");
        Pattern number = Pattern.compile("[0-9]{1,9}");
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String text = randomText(random);
            assertEquals(type.matcher(text).matches(), NameSyntax.javaNameChars(text, ".$*"), text);
            assertEquals(annotation.matcher(text).matches(), NameSyntax.javaNameChars(text, ".$"), text);
            assertEquals(method.matcher(text).matches(), NameSyntax.javaNameChars(text, "*"), text);
            assertEquals(label.matcher(text).matches(), NameSyntax.asciiName(text, ".:-"), text);
            assertEquals(event.matcher(text).matches(), NameSyntax.asciiName(text, ""), text);
            assertEquals(identifier.matcher(text).matches(), NameSyntax.javaIdentifier(text), text);
            assertEquals(number.matcher(text).matches(), NameSyntax.asciiDigits(text, 9), text);
        }
    }

    private static String randomText(Random random) {
        return join(random, PIECES, random.nextInt(5));
    }

    private static String join(Random random, String[] pieces, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}

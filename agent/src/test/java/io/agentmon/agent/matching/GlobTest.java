package io.agentmon.agent.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A matcher's glob matches exactly what the regular expression it replaced did (kept here as its specification). */
class GlobTest {

    @Test
    void aGlobMatchesWhatItsRegularExpressionDid() {
        String[] globPieces = {"a", "b", ".", "$", "*", "*", "ab"};
        String[] namePieces = {"a", "b", ".", "$", "ab", "ba"};
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            String glob = join(random, globPieces, random.nextInt(6));
            String name = join(random, namePieces, random.nextInt(8));
            StringBuilder regex = new StringBuilder();
            for (String part : glob.split("\\*", -1)) {
                regex.append(regex.length() == 0 ? "" : ".*").append(Pattern.quote(part));
            }
            assertEquals(Pattern.compile(regex.toString()).matcher(name).matches(), new Glob(glob).matches(name),
                    glob + " against " + name);
        }
    }

    private static String join(Random random, String[] pieces, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}

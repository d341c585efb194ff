package io.agentmon.agent.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The matcher grammar of agentmon.tasks: every form, labels, lists, and what is rejected. */
class MethodMatcherTest {

    @Test
    void exactClassAndMethod() {
        MethodMatcher matcher = MethodMatcher.parse("com.acme.Worker#execute");
        assertEquals(MethodMatcher.Kind.METHOD, matcher.kind());
        assertEquals("com.acme.Worker", matcher.typeName());
        assertNull(matcher.label());
        assertEquals("com.acme.Worker#execute", matcher.toString());
        assertTrue(matcher.typeNameMatches("com.acme.Worker"));
        assertFalse(matcher.typeNameMatches("com.acme.WorkerPool"), "no prefix match");
        assertFalse(matcher.typeNameMatches("org.com.acme.Worker"), "no suffix match");
        assertFalse(matcher.typeNameMatches("comXacme.Worker"), "a dot is a dot, not any character");
        assertTrue(matcher.methodNameMatches("execute"));
        assertFalse(matcher.methodNameMatches("executeAll"));
        assertFalse(matcher.methodNameMatches("Execute"), "case matters");
    }

    @Test
    void nestedClassesUseDollar() {
        MethodMatcher matcher = MethodMatcher.parse("com.acme.Outer$Inner#run");
        assertTrue(matcher.typeNameMatches("com.acme.Outer$Inner"));
        assertFalse(matcher.typeNameMatches("com.acme.Outer"));
    }

    @Test
    void starInTheClassNameIsAnyCharactersDotsIncluded() {
        MethodMatcher matcher = MethodMatcher.parse("com.acme.*Job#run");
        assertEquals(MethodMatcher.Kind.METHOD, matcher.kind());
        assertTrue(matcher.typeNameMatches("com.acme.IngestJob"));
        assertTrue(matcher.typeNameMatches("com.acme.Job"), "* may be empty");
        assertTrue(matcher.typeNameMatches("com.acme.jobs.FetchJob"), "* crosses packages");
        assertFalse(matcher.typeNameMatches("com.acme.IngestJobs"));
        assertFalse(matcher.typeNameMatches("org.acme.IngestJob"));
    }

    @Test
    void starInTheMethodName() {
        MethodMatcher matcher = MethodMatcher.parse("com.acme.Worker#handle*");
        assertTrue(matcher.methodNameMatches("handle"));
        assertTrue(matcher.methodNameMatches("handleMessage"));
        assertFalse(matcher.methodNameMatches("onHandle"));
        MethodMatcher any = MethodMatcher.parse("com.acme.*#*");
        assertTrue(any.methodNameMatches("anything"));
        assertTrue(any.typeNameMatches("com.acme.X"));
    }

    @Test
    void plusMeansTheTypeAndItsSubtypes() {
        MethodMatcher matcher = MethodMatcher.parse("com.acme.Task+#run");
        assertEquals(MethodMatcher.Kind.SUBTYPE, matcher.kind());
        assertEquals("com.acme.Task", matcher.typeName(), "the + is not part of the name");
        assertTrue(matcher.typeNameMatches("com.acme.Task"));
        assertTrue(matcher.methodNameMatches("run"));
    }

    @Test
    void annotation() {
        MethodMatcher matcher = MethodMatcher.parse("@com.acme.Monitored");
        assertEquals(MethodMatcher.Kind.ANNOTATION, matcher.kind());
        assertEquals("com.acme.Monitored", matcher.typeName());
        assertNull(matcher.label());
        assertFalse(matcher.methodNameMatches("run"), "an annotation matcher names no method");
    }

    @Test
    void labelsOnEveryForm() {
        assertLabel("ingest", "com.acme.Ingest", MethodMatcher.Kind.METHOD,
                MethodMatcher.parse("ingest=com.acme.Ingest#run"));
        assertLabel("jobs", "com.acme.*Job", MethodMatcher.Kind.METHOD, MethodMatcher.parse("jobs=com.acme.*Job#run"));
        assertLabel("tasks", "com.acme.Task", MethodMatcher.Kind.SUBTYPE, MethodMatcher.parse("tasks=com.acme.Task+#run"));
        assertLabel("audited", "com.acme.Monitored", MethodMatcher.Kind.ANNOTATION,
                MethodMatcher.parse("audited=@com.acme.Monitored"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"_x", "billing.ingest", "ns:ingest", "ingest-v2", "A9"})
    void labelCharacters(String label) {
        assertEquals(label, MethodMatcher.parse(label + "=com.acme.Ingest#run").label());
    }

    @Test
    void spacesAroundTheLabelAreTrimmed() {
        MethodMatcher matcher = MethodMatcher.parse("ingest = com.acme.Ingest#run");
        assertEquals("ingest", matcher.label());
        assertEquals("com.acme.Ingest", matcher.typeName());
    }

    @Test
    void listsKeepOrderAndSkipEmptyEntries() {
        List<MethodMatcher> matchers = MethodMatcher.parseList(
                " com.acme.Worker#execute , ingest=com.acme.Ingest#run,, @com.acme.Monitored ,com.acme.Task+#run,");
        List<String> texts = new ArrayList<>();
        for (MethodMatcher matcher : matchers) {
            texts.add(matcher.toString());
        }
        assertEquals(List.of("com.acme.Worker#execute", "ingest=com.acme.Ingest#run", "@com.acme.Monitored",
                "com.acme.Task+#run"), texts);
        assertThrows(UnsupportedOperationException.class, () -> matchers.add(MethodMatcher.parse("a.B#c")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ",", " , ,"})
    void emptyListsAreEmpty(String list) {
        assertTrue(MethodMatcher.parseList(list).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "com.acme.Worker",          // no method
        "com.acme.Worker#",         // empty method
        "#execute",                 // no class
        "+#execute",                // no supertype
        "com.acme.Worker#run#again",
        "com.acme.Worker#run()",
        "com.acme.Worker#run(int)",
        "com.acme.Worker.run",
        "com acme.Worker#run",
        "com.acme.Worker#r un",
        "com.acme.Task++#run",
        "com.acme.+Task#run",
        "com.acme.Worker#run+",
        "com/acme/Worker#run",
        "@",
        "@Monitored",               // not fully qualified
        "@com.acme.Monitored#run",
        "@com.acme.*",
        "@ com.acme.Monitored",
    })
    void malformedMatchersAreRejectedWithTheirText(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> MethodMatcher.parse(text)).getMessage();
        assertTrue(message.startsWith("'" + text + "'"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"=com.acme.Ingest#run", "1st=com.acme.Ingest#run", "in gest=com.acme.Ingest#run",
            "a/b=com.acme.Ingest#run", "ingest!=com.acme.Ingest#run"})
    void badLabelsAreRejected(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> MethodMatcher.parse(text)).getMessage();
        assertTrue(message.startsWith("'" + text + "'"), message);
        assertTrue(message.contains("label"), message);
    }

    @Test
    void aBadLabelThatIsAlsoAMalformedMatcherIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MethodMatcher.parse("ingest=com.acme.Ingest"));
        assertThrows(IllegalArgumentException.class, () -> MethodMatcher.parse("a=b=com.acme.Ingest#run"));
    }

    @Test
    void aListNamesTheBadEntry() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> MethodMatcher.parseList("com.acme.Worker#execute,com.acme.Other")).getMessage();
        assertTrue(message.startsWith("'com.acme.Other'"), message);
    }

    @Test
    void regexCharactersInNamesAreLiteral() {
        MethodMatcher matcher = MethodMatcher.parse("com.acme.Outer$Inner#run");
        assertFalse(matcher.typeNameMatches("com.acme.Outer"), "$ is not an end-of-line anchor");
        MethodMatcher dotted = MethodMatcher.parse("a.B#c");
        assertFalse(dotted.typeNameMatches("aXB"));
    }

    private static void assertLabel(String label, String typeName, MethodMatcher.Kind kind, MethodMatcher matcher) {
        assertEquals(label, matcher.label());
        assertEquals(typeName, matcher.typeName());
        assertEquals(kind, matcher.kind());
    }
}

package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value spec grammar of agentmon.docker.cpu, .memory and agentmon.events.NAME.value. */
class ValueSpecTest {

    @Test
    void anArgument() {
        ValueSpec spec = ValueSpec.parse("arg0");
        assertFalse(spec.isReturn());
        assertEquals(0, spec.argument());
        assertEquals(Collections.emptyList(), spec.path());
        assertEquals(999, ValueSpec.parse("arg999").argument());
    }

    @Test
    void anArgumentsGetterChainTrimmed() {
        ValueSpec spec = ValueSpec.parse("  arg1.hostConfig.memory_bytes$2 ");
        assertEquals(1, spec.argument());
        assertEquals(Arrays.asList("hostConfig", "memory_bytes$2"), spec.path());
        assertEquals("arg1.hostConfig.memory_bytes$2", spec.toString(), "shown in errors as written, trimmed");
        assertThrows(UnsupportedOperationException.class, () -> spec.path().add("more"));
    }

    @Test
    void theReturnValue() {
        ValueSpec spec = ValueSpec.parse("return");
        assertTrue(spec.isReturn());
        assertEquals(Collections.emptyList(), spec.path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "arg", "arg1000", "arg-1", "arg1.", "arg1..memory", "arg1.2x", "arg1.memory()", "return.value",
        "Return", "ARG0", "arg0 .x", "this.memory", "args0"})
    void anythingElseIsRefusedWithTheForms(String text) {
        assertEquals(Echo.quote(text) + " is not a value: expected argN (N below 1000), argN.getter[.getter...] or return",
                assertThrows(IllegalArgumentException.class, () -> ValueSpec.parse(text)).getMessage());
    }

    /**
     * Read by hand, not by a regular expression (premain's cost): exactly what the expression it
     * replaced accepted, kept here as its specification, on random specs.
     */
    @Test
    void acceptsWhatItsRegularExpressionDid() {
        java.util.regex.Pattern syntax = java.util.regex.Pattern.compile(
                "(arg[0-9]{1,3}(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*|return)");
        String[] pieces = {"arg", "return", "0", "12", "999", "1000", ".", "x", "_", "$", "é", "9", "\u0663", " ", "-"};
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            boolean parsed;
            try {
                ValueSpec.parse(text.toString());
                parsed = true;
            } catch (IllegalArgumentException e) {
                parsed = false;
            }
            assertEquals(syntax.matcher(text.toString().trim()).matches(), parsed, text.toString());
        }
    }
}

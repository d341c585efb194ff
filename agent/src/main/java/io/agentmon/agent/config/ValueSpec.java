package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import io.agentmon.agent.NameSyntax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Where a number comes from in a matched method's call: {@code arg0} (the first argument),
 * {@code arg1.memoryBytes} (a getter or field of the second: {@code memoryBytes()},
 * {@code getMemoryBytes()}, {@code isMemoryBytes()} or the field {@code memoryBytes}, chained
 * with further dots), or {@code return} (the method's numeric return value). The result must
 * be a number (primitive or boxed).
 */
public final class ValueSpec {

    private final String text;
    private final int argument;
    private final List<String> path;

    private ValueSpec(String text, int argument, List<String> path) {
        this.text = text;
        this.argument = argument;
        this.path = path;
    }

    /** Parses a spec; throws {@link IllegalArgumentException} saying what is wrong. */
    public static ValueSpec parse(String text) {
        String spec = text.trim();
        if (spec.equals("return")) {
            return new ValueSpec(spec, -1, Collections.emptyList());
        }
        List<String> parts = new ArrayList<>(Arrays.asList(spec.split("\\.", -1)));
        if (!isArgumentPath(parts)) {
            throw new IllegalArgumentException(Echo.quote(text) + " is not a value: expected argN (N below 1000), argN.getter[.getter...] or return");
        }
        int argument = Integer.parseInt(parts.remove(0).substring("arg".length()));
        return new ValueSpec(spec, argument, Collections.unmodifiableList(parts));
    }

    /** {@code argN} (one to three ASCII digits), then any number of Java identifiers. */
    private static boolean isArgumentPath(List<String> parts) {
        if (!parts.get(0).startsWith("arg") || !NameSyntax.asciiDigits(parts.get(0).substring("arg".length()), 3)) {
            return false;
        }
        for (String getter : parts.subList(1, parts.size())) {
            if (!NameSyntax.javaIdentifier(getter)) {
                return false;
            }
        }
        return true;
    }

    public boolean isReturn() {
        return argument < 0;
    }

    /** The argument's index (from 0); only when not {@link #isReturn()}. */
    public int argument() {
        return argument;
    }

    /** The getters or fields to follow from the argument, in order. */
    public List<String> path() {
        return path;
    }

    @Override
    public String toString() {
        return text;
    }
}

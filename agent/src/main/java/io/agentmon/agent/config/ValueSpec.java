package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a number comes from in a matched method's call: {@code arg0} (the first argument),
 * {@code arg1.memoryBytes} (a getter or field of the second: {@code memoryBytes()},
 * {@code getMemoryBytes()}, {@code isMemoryBytes()} or the field {@code memoryBytes}, chained
 * with further dots), or {@code return} (the method's numeric return value). The result must
 * be a number (primitive or boxed).
 */
public final class ValueSpec {

    private static final Pattern SYNTAX = Pattern.compile("(arg[0-9]{1,3}(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*|return)");

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
        if (!SYNTAX.matcher(spec).matches()) {
            throw new IllegalArgumentException(Echo.quote(text) + " is not a value: expected argN (N below 1000), argN.getter[.getter...] or return");
        }
        if (spec.equals("return")) {
            return new ValueSpec(spec, -1, Collections.emptyList());
        }
        List<String> parts = new ArrayList<>(Arrays.asList(spec.split("\\.")));
        int argument = Integer.parseInt(parts.remove(0).substring("arg".length()));
        return new ValueSpec(spec, argument, Collections.unmodifiableList(parts));
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

package io.agentmon.agent.matching;

import io.agentmon.agent.NameSyntax;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One parsed entry of a matcher list such as {@code agentmon.tasks}:
 * <pre>
 *   com.acme.Worker#execute        that method of that class
 *   com.acme.*Job#run              '*' is any characters (dots included) in a class or method name
 *   com.acme.Task+#run             that method in Task and every subtype (class or interface)
 *   &#64;com.acme.Monitored            every method carrying that annotation
 *   ingest=com.acme.Ingest#run     any of the above, labelled "ingest" instead of "Ingest.run"
 * </pre>
 * A method pattern matches every overload of that name. A built-in integration may narrow a
 * matcher further ({@link #restrictedTo}, {@link #onlyWhereVisible}), which no matcher list's text can.
 */
public final class MethodMatcher {

    /** What the type part of the matcher means. */
    public enum Kind { METHOD, SUBTYPE, ANNOTATION }

    private final String text;
    private final String label;
    private final Kind kind;
    private final String typeName;
    private final Glob typeGlob;
    private final String methodName;
    private final Glob methodGlob;
    private final String visibleType;
    /** Globs of the erased parameter types, one per parameter; null for any parameters. */
    private final List<Glob> parameterGlobs;
    /** Prefixes of the names of types never selected. */
    private final List<String> excludedTypes;

    private MethodMatcher(String text, String label, Kind kind, String typeName, String methodName, String visibleType,
            List<Glob> parameterGlobs, List<String> excludedTypes) {
        this.text = text;
        this.label = label;
        this.kind = kind;
        this.typeName = typeName;
        this.typeGlob = new Glob(typeName);
        this.methodName = methodName;
        this.methodGlob = methodName == null ? null : new Glob(methodName);
        this.visibleType = visibleType;
        this.parameterGlobs = parameterGlobs;
        this.excludedTypes = excludedTypes;
    }

    private MethodMatcher(String text, String label, Kind kind, String typeName, String methodName) {
        this(text, label, kind, typeName, methodName, null, null, Collections.emptyList());
    }

    /**
     * This matcher, tried only on classes whose class loader sees {@code className} (a
     * framework's own type): a built-in framework's matcher then costs a worker without that
     * framework one resource look-up per class loader, not a walk up every class's supertypes.
     */
    public MethodMatcher onlyWhereVisible(String className) {
        return new MethodMatcher(text, label, kind, typeName, methodName, className, parameterGlobs, excludedTypes);
    }

    /**
     * This matcher, selecting only methods whose parameters' erased types are named by
     * {@code parameterTypes} (one glob per parameter, in order; null for any parameters), and
     * nothing in a type whose name starts with one of {@code excludedTypePrefixes}. For built-in
     * integrations: an interface's one method rather than every overload of its name, and not
     * the framework's own adapters that call the user's implementation (which would count each
     * call twice).
     */
    public MethodMatcher restrictedTo(List<String> parameterTypes, List<String> excludedTypePrefixes) {
        List<Glob> globs = null;
        if (parameterTypes != null) {
            globs = new ArrayList<>();
            for (String parameterType : parameterTypes) {
                globs.add(new Glob(parameterType));
            }
            globs = Collections.unmodifiableList(globs);
        }
        return new MethodMatcher(text, label, kind, typeName, methodName, visibleType, globs,
                Collections.unmodifiableList(new ArrayList<>(excludedTypePrefixes)));
    }

    /** Whether {@link #restrictedTo} left types of this name out. */
    boolean excludesType(String name) {
        for (String prefix : excludedTypes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #restrictedTo} named the parameter types. */
    boolean restrictsParameters() {
        return parameterGlobs != null;
    }

    /** Whether a method whose parameters' erased types have these names may be selected. */
    boolean parametersMatch(List<String> erasedParameterTypes) {
        if (parameterGlobs == null) {
            return true;
        }
        if (parameterGlobs.size() != erasedParameterTypes.size()) {
            return false;
        }
        for (int i = 0; i < parameterGlobs.size(); i++) {
            if (!parameterGlobs.get(i).matches(erasedParameterTypes.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The class a loader must see for this matcher to be tried on its classes, or null for every loader. */
    public String visibleType() {
        return visibleType;
    }

    /** Parses a comma-separated list; empty entries are ignored. */
    public static List<MethodMatcher> parseList(String list) {
        List<MethodMatcher> matchers = new ArrayList<>();
        for (String entry : list.split(",")) {
            if (!entry.trim().isEmpty()) {
                matchers.add(parse(entry.trim()));
            }
        }
        return Collections.unmodifiableList(matchers);
    }

    /** Parses one matcher; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static MethodMatcher parse(String text) {
        String rest = text;
        String label = null;
        int equals = rest.indexOf('=');
        if (equals >= 0) {
            label = rest.substring(0, equals).trim();
            rest = rest.substring(equals + 1).trim();
            if (!NameSyntax.asciiName(label, ".:-")) {
                throw new IllegalArgumentException("'" + text + "': label '" + label
                        + "' must start with a letter or '_' and hold only letters, digits, '_', '.', ':' or '-'");
            }
        }
        if (rest.startsWith("@")) {
            String annotation = rest.substring(1);
            if (!NameSyntax.javaNameChars(annotation, ".$") || !annotation.contains(".")) {
                throw new IllegalArgumentException("'" + text + "': '" + rest
                        + "' is not an annotation's fully qualified name such as @com.acme.Monitored");
            }
            return new MethodMatcher(text, label, Kind.ANNOTATION, annotation, null);
        }
        int hash = rest.indexOf('#');
        if (hash <= 0 || hash != rest.lastIndexOf('#') || hash == rest.length() - 1) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a matcher: expected Class#method, Type+#method or @Annotation");
        }
        String type = rest.substring(0, hash);
        String method = rest.substring(hash + 1);
        Kind kind = Kind.METHOD;
        if (type.endsWith("+")) {
            kind = Kind.SUBTYPE;
            type = type.substring(0, type.length() - 1);
        }
        if (!NameSyntax.javaNameChars(type, ".$*")) {
            throw new IllegalArgumentException("'" + text + "': '" + type + "' is not a class name (letters, digits, '.', '$', '*')");
        }
        if (!NameSyntax.javaNameChars(method, "*")) {
            throw new IllegalArgumentException("'" + text + "': '" + method + "' is not a method name (letters, digits, '*')");
        }
        return new MethodMatcher(text, label, kind, type, method);
    }

    public Kind kind() {
        return kind;
    }

    /** The class name pattern, the supertype pattern or the annotation's name, by {@link #kind()}. */
    public String typeName() {
        return typeName;
    }

    boolean typeNameMatches(String name) {
        return typeGlob.matches(name);
    }

    boolean methodNameMatches(String name) {
        return methodGlob != null && methodGlob.matches(name);
    }

    /** The label given with {@code label=}, or null for the default {@code Class.method}. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return text;
    }
}

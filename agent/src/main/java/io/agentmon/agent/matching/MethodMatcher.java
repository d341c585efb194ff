package io.agentmon.agent.matching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

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

    private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]*");
    private static final Pattern TYPE_NAME = Pattern.compile("[\\p{javaJavaIdentifierPart}.$*]+");
    private static final Pattern ANNOTATION_NAME = Pattern.compile("[\\p{javaJavaIdentifierPart}.$]+");
    private static final Pattern METHOD_NAME = Pattern.compile("[\\p{javaJavaIdentifierPart}*]+");

    private final String text;
    private final String label;
    private final Kind kind;
    private final String typeName;
    private final Pattern typePattern;
    private final String methodName;
    private final Pattern methodPattern;
    private final String visibleType;
    /** Globs of the erased parameter types, one per parameter; null for any parameters. */
    private final List<Pattern> parameterPatterns;
    /** Prefixes of the names of types never selected. */
    private final List<String> excludedTypes;

    private MethodMatcher(String text, String label, Kind kind, String typeName, String methodName, String visibleType,
            List<Pattern> parameterPatterns, List<String> excludedTypes) {
        this.text = text;
        this.label = label;
        this.kind = kind;
        this.typeName = typeName;
        this.typePattern = glob(typeName);
        this.methodName = methodName;
        this.methodPattern = methodName == null ? null : glob(methodName);
        this.visibleType = visibleType;
        this.parameterPatterns = parameterPatterns;
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
        return new MethodMatcher(text, label, kind, typeName, methodName, className, parameterPatterns, excludedTypes);
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
        List<Pattern> patterns = null;
        if (parameterTypes != null) {
            patterns = new ArrayList<>();
            for (String parameterType : parameterTypes) {
                patterns.add(glob(parameterType));
            }
            patterns = Collections.unmodifiableList(patterns);
        }
        return new MethodMatcher(text, label, kind, typeName, methodName, visibleType, patterns,
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
        return parameterPatterns != null;
    }

    /** Whether a method whose parameters' erased types have these names may be selected. */
    boolean parametersMatch(List<String> erasedParameterTypes) {
        if (parameterPatterns == null) {
            return true;
        }
        if (parameterPatterns.size() != erasedParameterTypes.size()) {
            return false;
        }
        for (int i = 0; i < parameterPatterns.size(); i++) {
            if (!parameterPatterns.get(i).matcher(erasedParameterTypes.get(i)).matches()) {
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
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + text + "': label '" + label
                        + "' must start with a letter or '_' and hold only letters, digits, '_', '.', ':' or '-'");
            }
        }
        if (rest.startsWith("@")) {
            String annotation = rest.substring(1);
            if (!ANNOTATION_NAME.matcher(annotation).matches() || !annotation.contains(".")) {
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
        if (type.isEmpty() || !TYPE_NAME.matcher(type).matches()) {
            throw new IllegalArgumentException("'" + text + "': '" + type + "' is not a class name (letters, digits, '.', '$', '*')");
        }
        if (!METHOD_NAME.matcher(method).matches()) {
            throw new IllegalArgumentException("'" + text + "': '" + method + "' is not a method name (letters, digits, '*')");
        }
        return new MethodMatcher(text, label, kind, type, method);
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            regex.append(regex.length() == 0 ? "" : ".*").append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    public Kind kind() {
        return kind;
    }

    /** The class name pattern, the supertype pattern or the annotation's name, by {@link #kind()}. */
    public String typeName() {
        return typeName;
    }

    boolean typeNameMatches(String name) {
        return typePattern.matcher(name).matches();
    }

    boolean methodNameMatches(String name) {
        return methodPattern != null && methodPattern.matcher(name).matches();
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

package io.agentmon.agent.instrument;

import io.agentmon.agent.config.ValueSpec;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.member.FieldAccess;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;

/**
 * Compiles a {@link ValueSpec} against one method, at transform time, into the bytecode that
 * reads the value as a {@code double}: load the argument, call each getter, widen or unbox.
 * The woven code then reads the value directly, with no reflection and no allocation.
 */
final class ValueReader {

    private static final TypeDescription.Generic DOUBLE = TypeDescription.ForLoadedType.of(double.class).asGenericType();

    private ValueReader() {
    }

    /** The bytecode for an argument value; throws {@link IllegalArgumentException} saying why it can't be read. */
    static StackManipulation argument(ValueSpec spec, MethodDescription method, TypeDescription instrumented) {
        if (spec.argument() >= method.getParameters().size()) {
            throw new IllegalArgumentException(spec + ": " + method.getName() + " has " + method.getParameters().size() + " arguments");
        }
        ParameterDescription parameter = method.getParameters().get(spec.argument());
        List<StackManipulation> steps = new ArrayList<>();
        steps.add(MethodVariableAccess.load(parameter));
        TypeDescription.Generic type = parameter.getType();
        for (String name : spec.path()) {
            TypeDescription owner = type.asErasure();
            MethodDescription getter = getter(owner, name, instrumented);
            if (getter != null) {
                steps.add(getter.isStatic() ? MethodInvocation.invoke(getter.asDefined())
                        : MethodInvocation.invoke(getter.asDefined()).virtual(owner));
                type = getter.getReturnType();
                continue;
            }
            FieldDescription field = field(owner, name, instrumented);
            if (field == null) {
                throw new IllegalArgumentException(spec + ": " + owner.getName() + " has no accessible " + name + "(), get"
                        + capitalized(name) + "(), is" + capitalized(name) + "() or field " + name);
            }
            steps.add(FieldAccess.forField(field.asDefined()).read());
            type = field.getType();
        }
        steps.add(toDouble(spec, type));
        return new StackManipulation.Compound(steps);
    }

    /** Checks that the method's return value can be read as a number. */
    static void checkReturn(ValueSpec spec, MethodDescription method) {
        toDouble(spec, method.getReturnType());
    }

    private static StackManipulation toDouble(ValueSpec spec, TypeDescription.Generic type) {
        boolean numeric = type.isPrimitive() ? !type.represents(void.class) && !type.represents(boolean.class)
                : type.asErasure().isAssignableTo(Number.class);
        StackManipulation assignment = Assigner.DEFAULT.assign(type, DOUBLE, Assigner.Typing.DYNAMIC);
        if (!numeric || !assignment.isValid()) {
            throw new IllegalArgumentException(spec + ": " + type.getTypeName() + " is not a number");
        }
        return assignment;
    }

    private static MethodDescription getter(TypeDescription owner, String name, TypeDescription instrumented) {
        String[] candidates = {name, "get" + capitalized(name), "is" + capitalized(name)};
        for (TypeDefinition type : hierarchy(owner)) {
            for (MethodDescription method : type.getDeclaredMethods()) {
                if (method.isMethod() && method.getParameters().isEmpty() && !method.getReturnType().represents(void.class)
                        && method.isVisibleTo(instrumented) && matchesAny(method.getName(), candidates)) {
                    return method;
                }
            }
        }
        return null;
    }

    private static FieldDescription field(TypeDescription owner, String name, TypeDescription instrumented) {
        for (TypeDefinition type : hierarchy(owner)) {
            for (FieldDescription field : type.getDeclaredFields()) {
                if (field.getName().equals(name) && field.isVisibleTo(instrumented)) {
                    return field;
                }
            }
        }
        return null;
    }

    /** The type, its superclasses and all its interfaces. */
    private static List<TypeDefinition> hierarchy(TypeDescription owner) {
        List<TypeDefinition> types = new ArrayList<>();
        List<TypeDefinition> pending = new ArrayList<>();
        pending.add(owner);
        while (!pending.isEmpty()) {
            TypeDefinition type = pending.remove(0);
            if (type == null || types.contains(type)) {
                continue;
            }
            types.add(type);
            if (type.getSuperClass() != null) {
                pending.add(type.getSuperClass().asErasure());
            }
            for (TypeDescription.Generic implemented : type.getInterfaces()) {
                pending.add(implemented.asErasure());
            }
        }
        return types;
    }

    private static boolean matchesAny(String name, String[] candidates) {
        for (String candidate : candidates) {
            if (candidate.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String capitalized(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}

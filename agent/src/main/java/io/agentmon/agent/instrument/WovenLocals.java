package io.agentmon.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * What agentmon's ASM weavers ({@link TaskWeaver}, {@link CallHookWeaver}) share: locals of their
 * own after a method's {@code max_locals}, so the method's code is copied unchanged, and appended
 * to each of its expanded frames ({@code EXPAND_FRAMES}), where every frame lists all its locals.
 */
final class WovenLocals {

    private WovenLocals() {
    }

    /**
     * A frame's locals, then TOP up to {@code firstFree}, then {@code ours} (frame types, one
     * entry each: a long or a double is one entry and fills two slots).
     */
    static Object[] withOurs(Object[] locals, int localCount, int firstFree, Object[] ours) {
        int padding = padding(locals, localCount, firstFree);
        Object[] all = new Object[localCount + padding + ours.length];
        System.arraycopy(locals, 0, all, 0, localCount);
        for (int i = 0; i < padding; i++) {
            all[localCount + i] = Opcodes.TOP;
        }
        System.arraycopy(ours, 0, all, localCount + padding, ours.length);
        return all;
    }

    /** How many TOPs take the frame's locals up to {@code firstFree}: a long or a double fills two slots. */
    private static int padding(Object[] locals, int localCount, int firstFree) {
        int slots = 0;
        for (int i = 0; i < localCount; i++) {
            slots += locals[i] == Opcodes.LONG || locals[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        if (slots > firstFree) {
            throw new IllegalStateException("a frame holds " + slots + " local slots, max_locals is " + firstFree);
        }
        return firstFree - slots;
    }

    /** Pushes an int constant in the shortest form. */
    static void push(MethodVisitor visitor, int value) {
        if (value >= -1 && value <= 5) {
            visitor.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            visitor.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            visitor.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            visitor.visitLdcInsn(value);
        }
    }
}

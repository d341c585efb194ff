package io.agentmon.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves task methods with ASM alone, for classes that names alone select
 * ({@link WeavingRoutes}): what {@link TaskAdvice} does, written as bytecode, so that a worker whose
 * tasks are named {@code Class#method} never loads Byte Buddy's thousand classes for them. A
 * selected method becomes
 * <pre>
 *   long start = System.nanoTime();
 *   int slot = TaskProbes.enterQuietly(probeId, methodId, start);
 *   try {
 *       ... the method's own code, each return preceded by TaskProbes.exitQuietly(null, probeId, slot, start) ...
 *   } catch (Throwable t) {
 *       TaskProbes.exitQuietly(t, probeId, slot, start);
 *       throw t;
 *   }
 * </pre>
 * The two locals go after the method's own ({@code max_locals}, read in a first pass), so its
 * code is copied unchanged; its stack map frames get them appended, and every method not
 * selected is copied byte for byte. No member is added, so a retransformation may weave too.
 * The {@code Quietly} probes catch their own failures, which Byte Buddy's {@code suppress} does for
 * the advice; a handler of ours around them would need the frame of every return site.
 */
final class TaskWeaver {

    /** Which methods to weave, and their ids. */
    interface Selector {
        /** Whether this method is a task; asked of every method, with no side effect. */
        boolean selects(String methodName, int access);

        /** Registers a selected method about to be woven: its probe id, then its method id. */
        int[] register(String methodName, int access, String descriptor);
    }

    private static final String PROBES = "io/agentmon/bootstrap/TaskProbes";
    private static final String THROWABLE = "java/lang/Throwable";

    private TaskWeaver() {
    }

    /** The woven class file, or null when no method is selected or the class is compiler-made. */
    static byte[] weave(byte[] classFile, Selector selector) {
        return weave(new ClassReader(classFile), selector);
    }

    /** The same, for a class file already opened (its header read to choose it). */
    static byte[] weave(ClassReader reader, Selector selector) {
        return TwoPasses.weave(reader, new TwoPasses.Weaving<Boolean>() {
            @Override
            public Boolean choose(int access, String name, String descriptor) {
                return selector.selects(name, access) ? Boolean.TRUE : null;
            }

            @Override
            public MethodVisitor weave(MethodVisitor next, int access, String name, String descriptor, Boolean chosen,
                    int firstFree, boolean frames) {
                int[] ids = selector.register(name, access, descriptor);
                return new TaskMethod(next, ids[0], ids[1], firstFree, frames);
            }
        });
    }

    /** Second pass, on one selected method. */
    private static final class TaskMethod extends MethodVisitor {
        /** The frame types of the slot and the start. */
        private static final Object[] OURS = {Opcodes.INTEGER, Opcodes.LONG};

        private final int probeId;
        private final int methodId;
        /** The method's own locals end here; the slot is here, the start time (two slots) after it. */
        private final int slotLocal;
        private final int startLocal;
        private final boolean frames;
        private final Label body = new Label();
        private final Label handler = new Label();

        TaskMethod(MethodVisitor next, int probeId, int methodId, int firstFree, boolean frames) {
            super(Opcodes.ASM9, next);
            this.probeId = probeId;
            this.methodId = methodId;
            this.slotLocal = firstFree;
            this.startLocal = firstFree + 1;
            this.frames = frames;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
            super.visitVarInsn(Opcodes.LSTORE, startLocal);
            push(probeId);
            push(methodId);
            super.visitVarInsn(Opcodes.LLOAD, startLocal);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "enterQuietly", "(IIJ)I", false);
            super.visitVarInsn(Opcodes.ISTORE, slotLocal);
            super.visitLabel(body);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                super.visitInsn(Opcodes.ACONST_NULL);
                exit();
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitFrame(int type, int localCount, Object[] locals, int stackCount, Object[] stack) {
            // Expanded frames (EXPAND_FRAMES): every one lists all its locals, ours appended after them.
            Object[] all = withOurs(locals, localCount);
            super.visitFrame(type, all.length, all, stackCount, stack);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(handler);
            if (frames) {
                // The method's own locals may hold anything here: none is read, so all are TOP.
                super.visitFrame(Opcodes.F_NEW, slotLocal + 2, withOurs(new Object[0], 0), 1, new Object[] {THROWABLE});
            }
            super.visitInsn(Opcodes.DUP);
            exit();
            super.visitInsn(Opcodes.ATHROW);
            // Last in the exception table, so that every handler of the method's own is tried first.
            super.visitTryCatchBlock(body, handler, handler, THROWABLE);
            // A return adds at most the thrown (null), the ids and the start above its value; the handler, six.
            super.visitMaxs(Math.max(maxStack + 5, 6), maxLocals + 3);
        }

        /** Calls exitQuietly with the Throwable (or null) already on the stack. */
        private void exit() {
            push(probeId);
            super.visitVarInsn(Opcodes.ILOAD, slotLocal);
            super.visitVarInsn(Opcodes.LLOAD, startLocal);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, "exitQuietly", "(Ljava/lang/Throwable;IIJ)V", false);
        }

        /** The method's locals, TOP up to its first free slot, then the slot (int) and the start (long). */
        private Object[] withOurs(Object[] locals, int localCount) {
            return WovenLocals.withOurs(locals, localCount, slotLocal, OURS);
        }

        private void push(int value) {
            WovenLocals.push(mv, value);
        }
    }
}

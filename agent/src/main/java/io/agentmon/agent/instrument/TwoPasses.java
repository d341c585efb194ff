package io.agentmon.agent.instrument;

import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * How agentmon's ASM weavers ({@link TaskWeaver}, {@link CallHookWeaver}) go over a class file: a
 * first pass chooses the methods and reads their {@code max_locals} (where the weaver's own
 * locals go, {@link WovenLocals}), a second copies the class with the chosen methods woven, its
 * frames expanded so that each lists all its locals. Every other method is copied byte for byte.
 */
final class TwoPasses {

    /** What one weaver does with a class's methods. */
    interface Weaving<C> {
        /** What this method is woven with, or null to leave it alone; never asked of a constructor or a static initialiser. */
        C choose(int access, String name, String descriptor);

        /** The visitor that weaves a chosen method with code; its own locals end at {@code firstFree}. */
        MethodVisitor weave(MethodVisitor next, int access, String name, String descriptor, C chosen, int firstFree,
                boolean frames);
    }

    /** Class files from Java 6 on carry stack map frames. */
    private static final int FRAMES_SINCE = 50;

    private TwoPasses() {
    }

    /** The woven class file, or null when no method with code is chosen or the class is compiler-made. */
    static <C> byte[] weave(ClassReader reader, Weaving<C> weaving) {
        if ((reader.getAccess() & Opcodes.ACC_SYNTHETIC) != 0) {
            return null;
        }
        Choices<C> choices = new Choices<>(weaving);
        reader.accept(choices, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (choices.byMethod.isEmpty()) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean frames = (choices.version & 0xFFFF) >= FRAMES_SINCE;
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                Chosen<C> chosen = choices.byMethod.get(name + descriptor);
                return chosen == null ? next : weaving.weave(next, access, name, descriptor, chosen.choice, chosen.firstFree, frames);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /** A chosen method with code, and its {@code max_locals}. */
    private static final class Chosen<C> {
        final C choice;
        final int firstFree;

        Chosen(C choice, int firstFree) {
            this.choice = choice;
            this.firstFree = firstFree;
        }
    }

    /** The first pass. */
    private static final class Choices<C> extends ClassVisitor {
        private final Weaving<C> weaving;
        final Map<String, Chosen<C>> byMethod = new HashMap<>();
        int version;

        Choices(Weaving<C> weaving) {
            super(Opcodes.ASM9);
            this.weaving = weaving;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.version = version;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            // Never a constructor: a handler around super() would hold an uninitialized this.
            if (name.startsWith("<")) {
                return null;
            }
            C choice = weaving.choose(access, name, descriptor);
            if (choice == null) {
                return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    byMethod.put(name + descriptor, new Chosen<>(choice, maxLocals)); // only a method with code gets here
                }
            };
        }
    }
}

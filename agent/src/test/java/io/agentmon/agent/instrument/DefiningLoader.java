package io.agentmon.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** Defines one class from the given bytes, child first; everything else from its parent. */
final class DefiningLoader extends ClassLoader {

    /** The class file {@code type} was loaded from. */
    static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** {@code static int abs(int x) { if (x >= 0) return x; return -x; }} in a version 49 class file, which has no frames. */
    static byte[] oldClassFile(String name) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name.replace('.', '/'), null, "java/lang/Object", null);
        MethodVisitor abs = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "abs", "(I)I", null, null);
        abs.visitCode();
        Label negative = new Label();
        abs.visitVarInsn(Opcodes.ILOAD, 0);
        abs.visitJumpInsn(Opcodes.IFLT, negative);
        abs.visitVarInsn(Opcodes.ILOAD, 0);
        abs.visitInsn(Opcodes.IRETURN);
        abs.visitLabel(negative);
        abs.visitVarInsn(Opcodes.ILOAD, 0);
        abs.visitInsn(Opcodes.INEG);
        abs.visitInsn(Opcodes.IRETURN);
        abs.visitMaxs(0, 0);
        abs.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private final String name;
    private final byte[] classFile;

    DefiningLoader(ClassLoader parent, String name, byte[] classFile) {
        super(parent);
        this.name = name;
        this.classFile = classFile;
    }

    DefiningLoader(ClassLoader parent, Class<?> type, byte[] classFile) {
        this(parent, type.getName(), classFile);
    }

    Class<?> load() {
        try {
            return loadClass(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(className)) {
            if (className.equals(name)) {
                Class<?> loaded = findLoadedClass(className);
                return loaded != null ? loaded : defineClass(className, classFile, 0, classFile.length);
            }
            return super.loadClass(className, resolve);
        }
    }
}

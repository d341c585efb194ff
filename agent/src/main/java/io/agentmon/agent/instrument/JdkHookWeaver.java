package io.agentmon.agent.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the JDK's thread pools and timed futures ({@link InstrumentationStats#JDK_HOOKS}) with
 * ASM alone, so that a worker with pools and tasks named {@code Class#method} never builds Byte
 * Buddy (a thousand classes and most of a second, and the largest part of the metaspace agentmon
 * used to add). Each hook is one call to {@code JdkHookProbes} with {@code this}, the first
 * argument, a field of {@code this}, the value returned or null, placed on entry, before each
 * return, or in a handler for a {@code TimeoutException} thrown out of the method. The probes never
 * throw and make the hooks' tests themselves, so the code woven on entry and before a return is
 * straight and needs no stack map frame, and the method's own code and frames are copied as
 * they are; the one handler goes last in the exception table, after the method's own. No member
 * is added: these classes are loaded before any agent, so they are woven by retransformation.
 */
final class JdkHookWeaver {

    private static final String PROBES = "io/agentmon/bootstrap/JdkHookProbes";
    private static final String TIMEOUT = "java/util/concurrent/TimeoutException";
    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String TWO_OBJECTS = "(" + OBJECT + OBJECT + ")V";

    /** Where a hook's call goes. */
    enum Place { ENTRY, EACH_RETURN, TIMEOUT_THROWN }

    /** What a hook's call is given, in order. */
    enum Value { THIS, FIRST_ARGUMENT, RETURNED, NULL }

    /**
     * One call woven into one method (every constructor when the descriptor is null); a field,
     * when named, is read from {@code this} as one more value after {@code values}.
     */
    static final class Hook {
        final String method;
        final String descriptor;
        final Place place;
        final String probe;
        final String probeDescriptor;
        final List<Value> values;
        final List<String> fields;

        private Hook(String method, String descriptor, Place place, String probe, String probeDescriptor,
                List<Value> values, List<String> fields) {
            this.method = method;
            this.descriptor = descriptor;
            this.place = place;
            this.probe = probe;
            this.probeDescriptor = probeDescriptor;
            this.values = values;
            this.fields = fields;
        }

        boolean applies(String name, String methodDescriptor) {
            return method.equals(name) && (descriptor == null || descriptor.equals(methodDescriptor));
        }

        @Override
        public String toString() {
            return method + (descriptor == null ? "" : descriptor);
        }
    }

    /** The hooks of each class of {@link InstrumentationStats#JDK_HOOKS}, by the same name. */
    static final Map<String, List<Hook>> HOOKS = new HashMap<>();

    static {
        String pool = "java/util/concurrent/ThreadPoolExecutor";
        HOOKS.put("java.util.concurrent.ThreadPoolExecutor", List.of(
                values("<init>", null, Place.EACH_RETURN, "created", "(" + OBJECT + ")V", Value.THIS),
                values("execute", "(Ljava/lang/Runnable;)V", Place.ENTRY, "submitted", "(" + OBJECT + ")V", Value.FIRST_ARGUMENT),
                // On entry the pool thread is done with its previous task, if any; the task returned was taken from the queue.
                values("getTask", "()Ljava/lang/Runnable;", Place.ENTRY, "ranTask", "()V"),
                values("getTask", "()Ljava/lang/Runnable;", Place.EACH_RETURN, "taken", TWO_OBJECTS, Value.RETURNED, Value.THIS),
                // The pool thread ends, after a task that threw or none.
                values("processWorkerExit", "(L" + pool + "$Worker;Z)V", Place.ENTRY, "ranTask", "()V"),
                values("reject", "(Ljava/lang/Runnable;)V", Place.ENTRY, "rejected", TWO_OBJECTS, Value.THIS, Value.FIRST_ARGUMENT),
                values("remove", "(Ljava/lang/Runnable;)Z", Place.EACH_RETURN, "removed", "(Z" + OBJECT + ")V",
                        Value.RETURNED, Value.FIRST_ARGUMENT),
                values("drainQueue", "()Ljava/util/List;", Place.EACH_RETURN, "drained", "(Ljava/util/List;)V", Value.RETURNED)));
        // Scheduled pools queue without execute(): what schedule, execute and submit come to (periodic re-runs do not).
        HOOKS.put("java.util.concurrent.ScheduledThreadPoolExecutor", List.of(
                values("delayedExecute", "(Ljava/util/concurrent/RunnableScheduledFuture;)V", Place.ENTRY, "scheduled",
                        "(" + OBJECT + ")V", Value.FIRST_ARGUMENT)));
        // A pool thread starts, with the task it was made for handed over directly (never queued), or none.
        HOOKS.put("java.util.concurrent.ThreadPoolExecutor$Worker", List.of(
                new Hook("run", "()V", Place.ENTRY, "workerStarted", TWO_OBJECTS, List.of(), List.of("this$0", "firstTask"))));
        HOOKS.put("java.util.concurrent.ForkJoinPool", List.of(
                values("<init>", null, Place.EACH_RETURN, "created", "(" + OBJECT + ")V", Value.THIS)));
        HOOKS.put("java.util.concurrent.ForkJoinWorkerThread", List.of(
                values("run", "()V", Place.ENTRY, "forkJoinThreadStarted", "(Ljava/util/concurrent/ForkJoinWorkerThread;)V",
                        Value.THIS)));
        String timedGet = "(JLjava/util/concurrent/TimeUnit;)" + OBJECT;
        // FutureTask's runner field is the thread running its task, to blame the timeout on.
        HOOKS.put("java.util.concurrent.FutureTask", List.of(
                new Hook("get", timedGet, Place.TIMEOUT_THROWN, "getTimedOut", "(Ljava/lang/Thread;)V", List.of(),
                        List.of("runner"))));
        HOOKS.put("java.util.concurrent.CompletableFuture", List.of(
                values("get", timedGet, Place.TIMEOUT_THROWN, "getTimedOut", "(Ljava/lang/Thread;)V", Value.NULL),
                // What orTimeout calls when it fires.
                values("completeExceptionally", "(Ljava/lang/Throwable;)Z", Place.EACH_RETURN, "completedExceptionally",
                        "(ZLjava/lang/Throwable;)V", Value.RETURNED, Value.FIRST_ARGUMENT)));
        HOOKS.put("java.util.concurrent.ForkJoinTask", List.of(
                values("get", timedGet, Place.TIMEOUT_THROWN, "getTimedOut", "(Ljava/lang/Thread;)V", Value.NULL)));
    }

    private static Hook values(String method, String descriptor, Place place, String probe, String probeDescriptor, Value... values) {
        return new Hook(method, descriptor, place, probe, probeDescriptor, List.of(values), List.of());
    }

    private JdkHookWeaver() {
    }

    /**
     * The class file with the hooks of {@code hookedClass} (a binary name) woven, or null when
     * that class has none. Hooks whose method or field the class does not have (another JDK's, say)
     * are added to {@code missing}, and the others are woven.
     */
    static byte[] weave(String hookedClass, byte[] classFile, List<String> missing) {
        List<Hook> hooks = HOOKS.get(hookedClass);
        if (hooks == null) {
            return null;
        }
        ClassReader reader = new ClassReader(classFile);
        String internalName = reader.getClassName();
        Map<String, String> fields = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                fields.put(name, descriptor);
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        Set<Hook> applied = new LinkedHashSet<>();
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                List<Hook> here = new ArrayList<>();
                for (Hook hook : hooks) {
                    if (hook.applies(name, descriptor) && (access & Opcodes.ACC_ABSTRACT) == 0 && hasFields(hook, fields)) {
                        here.add(hook);
                        applied.add(hook);
                    }
                }
                return here.isEmpty() ? next : new HookedMethod(next, internalName, here, fields);
            }
        }, ClassReader.EXPAND_FRAMES);
        for (Hook hook : hooks) {
            if (!applied.contains(hook)) {
                missing.add(hook.toString());
            }
        }
        return writer.toByteArray();
    }

    private static boolean hasFields(Hook hook, Map<String, String> fields) {
        for (String field : hook.fields) {
            if (!fields.containsKey(field)) {
                return false;
            }
        }
        return true;
    }

    /** One method with its hooks. */
    private static final class HookedMethod extends MethodVisitor {
        private final String owner;
        private final List<Hook> hooks;
        private final Map<String, String> fields;
        private final Label start = new Label();
        private final Label handler = new Label();

        HookedMethod(MethodVisitor next, String owner, List<Hook> hooks, Map<String, String> fields) {
            super(Opcodes.ASM9, next);
            this.owner = owner;
            this.hooks = hooks;
            this.fields = fields;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            call(Place.ENTRY);
            super.visitLabel(start);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                call(Place.EACH_RETURN);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            boolean timeouts = false;
            for (Hook hook : hooks) {
                timeouts |= hook.place == Place.TIMEOUT_THROWN;
            }
            if (timeouts) {
                super.visitLabel(handler);
                // Frames come expanded (EXPAND_FRAMES); this is the one frame added. The method is
                // not a constructor, so this is initialized wherever the exception comes from.
                super.visitFrame(Opcodes.F_NEW, 1, new Object[] {owner}, 1, new Object[] {TIMEOUT});
                call(Place.TIMEOUT_THROWN);
                super.visitInsn(Opcodes.ATHROW);
                // Last in the exception table, so that every handler of the method's own is tried first.
                super.visitTryCatchBlock(start, handler, handler, TIMEOUT);
            }
            // A call adds at most two values above what the stack holds where it goes (a handler holds one).
            super.visitMaxs(Math.max(maxStack, 1) + 2, maxLocals);
        }

        private void call(Place place) {
            for (Hook hook : hooks) {
                if (hook.place != place) {
                    continue;
                }
                for (Value value : hook.values) {
                    switch (value) {
                        case THIS:
                            super.visitVarInsn(Opcodes.ALOAD, 0);
                            break;
                        case FIRST_ARGUMENT:
                            super.visitVarInsn(Opcodes.ALOAD, 1); // every hooked method is an instance method
                            break;
                        case RETURNED:
                            super.visitInsn(Opcodes.DUP); // an int, a boolean or a reference: one slot
                            break;
                        default:
                            super.visitInsn(Opcodes.ACONST_NULL);
                    }
                }
                for (String field : hook.fields) {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner, field, fields.get(field));
                }
                super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, hook.probe, hook.probeDescriptor, false);
            }
        }
    }
}

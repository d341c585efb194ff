package io.agentmon.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves events, timeout handlers, container allocations and releases with ASM alone: what
 * {@link EventAdvice}, {@link TimeoutHandlerAdvice} and {@link ContainerAdvice}'s allocation and
 * release advice do, for values read straight from an argument or the return value (no getter
 * chain), so that such a method does not need Byte Buddy. An allocation becomes
 * <pre>
 *   long start = CallHookProbes.allocationStarted();
 *   CallHookProbes.allocationCpus(cpuArgument);       // or 0.0 when not configured
 *   CallHookProbes.allocationMemory(memoryArgument);
 *   try {
 *       ... the method's own code, each return preceded by allocationFinished(start, returned, null) ...
 *   } catch (Throwable t) {
 *       CallHookProbes.allocationFinished(start, null, t);
 *       throw t;
 *   }
 * </pre>
 * and the others are one call on entry, or before each normal return. The probes never throw
 * (the advice had Byte Buddy's {@code suppress}), so only the allocation needs a handler; it goes
 * last in the exception table, after the method's own. Locals of ours (the start; the first
 * argument as it was on entry, which Byte Buddy's exit advice sees too) go after the method's
 * {@code max_locals}, and are appended to its frames ({@link WovenLocals}) as {@link TaskWeaver}
 * does; a class that weaver wove is woven here as any other. No member is added, so a
 * retransformation may weave too.
 */
final class CallHookWeaver {

    /** What one method gets woven with; built by the caller's {@link Selector}. */
    static final class Plan {
        private enum Kind { COUNT, ARGUMENT_VALUE, RETURN_VALUE, TIMEOUT, LABELLED_TIMEOUT, ALLOCATION, RELEASE }

        private static final class Entry {
            final Kind kind;
            final int id;
            /** The argument read (a value's, or the CPU's), -1 for none. */
            final int argument;
            /** The memory's argument, -1 for none. */
            final int second;

            Entry(Kind kind, int id, int argument, int second) {
                this.kind = kind;
                this.id = id;
                this.argument = argument;
                this.second = second;
            }
        }

        /**
         * In the order given: entry code runs in this order and exit code in the reverse, as
         * Byte Buddy runs advice visited one after another (the earlier visit is the outer one).
         */
        private final List<Entry> entries = new ArrayList<>();
        private boolean allocation;
        private boolean release;

        /** On entry: {@code CallHookProbes.event(eventId)}. */
        Plan eventCounted(int eventId) {
            return add(new Entry(Kind.COUNT, eventId, -1, -1));
        }

        /** On entry (after the count, when planned first): {@code eventValue(eventId, argument)}. */
        Plan eventValueFromArgument(int eventId, int argument) {
            return add(new Entry(Kind.ARGUMENT_VALUE, eventId, argument, -1));
        }

        /** Before each normal return: {@code eventValue(eventId, the value returned)}. */
        Plan eventValueFromReturn(int eventId) {
            return add(new Entry(Kind.RETURN_VALUE, eventId, -1, -1));
        }

        /** On entry: {@code timeoutHandler(probeId)}, or {@code labelledTimeoutHandler} for a matcher with a label. */
        Plan timeoutHandler(int probeId, boolean labelled) {
            return add(new Entry(labelled ? Kind.LABELLED_TIMEOUT : Kind.TIMEOUT, probeId, -1, -1));
        }

        /** Counted, timed and sized from these arguments (-1: not configured, 0.0 is passed); once per method. */
        Plan allocation(int cpuArgument, int memoryArgument) {
            if (allocation) {
                throw new IllegalStateException("one allocation per method");
            }
            allocation = true;
            return add(new Entry(Kind.ALLOCATION, 0, cpuArgument, memoryArgument));
        }

        /** Before each normal return: {@code released(argument 0 as it was on entry)}; once per method. */
        Plan release() {
            if (release) {
                throw new IllegalStateException("one release per method");
            }
            release = true;
            return add(new Entry(Kind.RELEASE, 0, -1, -1));
        }

        private Plan add(Entry entry) {
            entries.add(entry);
            return this;
        }

        /** Throws {@link IllegalArgumentException} when a value planned cannot be read from this method. */
        private void check(String method, String descriptor) {
            for (Entry entry : entries) {
                switch (entry.kind) {
                    case ARGUMENT_VALUE:
                        checkArgument(method, descriptor, entry.argument, "the event's value");
                        break;
                    case RETURN_VALUE:
                        if (!readsNumber(descriptor, -1)) {
                            throw new IllegalArgumentException(method + descriptor + " returns no number");
                        }
                        break;
                    case ALLOCATION:
                        if (entry.argument != -1) {
                            checkArgument(method, descriptor, entry.argument, "the CPU");
                        }
                        if (entry.second != -1) {
                            checkArgument(method, descriptor, entry.second, "the memory");
                        }
                        break;
                    case RELEASE:
                        if (Type.getArgumentTypes(descriptor).length == 0) {
                            throw new IllegalArgumentException(method + descriptor + " takes no argument to release");
                        }
                        break;
                    default:
                        break;
                }
            }
        }

        private static void checkArgument(String method, String descriptor, int argument, String what) {
            if (!readsNumber(descriptor, argument)) {
                throw new IllegalArgumentException(method + descriptor + ": argument " + argument + ", " + what
                        + ", is not a number this weaver reads");
            }
        }
    }

    /** Which methods to weave, and with what. */
    interface Selector {
        /**
         * The plan for this method, or null to leave it alone; asked once per method with code
         * (constructors, static initialisers, abstract and native methods never asked).
         */
        Plan plan(String methodName, int access, String descriptor);
    }

    private static final String PROBES = "io/agentmon/bootstrap/CallHookProbes";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String FINISHED = "(J" + OBJECT + "Ljava/lang/Throwable;)V";
    /** The reference types whose values are numbers: the probes read them with {@link Number#doubleValue()}. */
    private static final Set<String> NUMBERS = Set.of("java/lang/Number", "java/lang/Byte", "java/lang/Short",
            "java/lang/Integer", "java/lang/Long", "java/lang/Float", "java/lang/Double", "java/math/BigInteger",
            "java/math/BigDecimal", "java/util/concurrent/atomic/AtomicInteger", "java/util/concurrent/atomic/AtomicLong",
            "java/util/concurrent/atomic/DoubleAdder", "java/util/concurrent/atomic/LongAdder",
            "java/util/concurrent/atomic/DoubleAccumulator", "java/util/concurrent/atomic/LongAccumulator");

    private CallHookWeaver() {
    }

    /**
     * The woven class file, or null when no method got a plan (or the class is synthetic). Throws
     * {@link IllegalArgumentException} when a plan reads a value its method does not have as a
     * number (see {@link #readsNumber}), or releases the argument of a method without one.
     */
    static byte[] weave(byte[] classFile, Selector selector) {
        return weave(new ClassReader(classFile), selector);
    }

    /** The same, for a class file already opened. */
    static byte[] weave(ClassReader reader, Selector selector) {
        return TwoPasses.weave(reader, new TwoPasses.Weaving<Plan>() {
            @Override
            public Plan choose(int access, String name, String descriptor) {
                // Abstract and native methods have no code to weave: the selector is not asked.
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return null;
                }
                Plan plan = selector.plan(name, access, descriptor);
                if (plan == null || plan.entries.isEmpty()) {
                    return null;
                }
                plan.check(name, descriptor);
                return plan;
            }

            @Override
            public MethodVisitor weave(MethodVisitor next, int access, String name, String descriptor, Plan plan,
                    int firstFree, boolean frames) {
                return new HookedMethod(next, access, descriptor, plan, firstFree, frames);
            }
        });
    }

    /**
     * Whether argument {@code index} of {@code descriptor} (or the return value, index -1) can be
     * read as a number by this weaver: a primitive other than boolean (and void), or one of the
     * {@link Number} types it knows by name ({@code java.lang.Number}, the {@code java.lang} boxes
     * of numbers, {@code BigInteger}, {@code BigDecimal}, the atomic numbers, adders and
     * accumulators). Another subclass of {@code Number} would need its class hierarchy, which
     * this weaver does not load. An index out of range is false.
     */
    static boolean readsNumber(String descriptor, int index) {
        Type type;
        if (index == -1) {
            type = Type.getReturnType(descriptor);
        } else {
            Type[] arguments = Type.getArgumentTypes(descriptor);
            if (index < 0 || index >= arguments.length) {
                return false;
            }
            type = arguments[index];
        }
        switch (type.getSort()) {
            case Type.BYTE:
            case Type.SHORT:
            case Type.CHAR:
            case Type.INT:
            case Type.LONG:
            case Type.FLOAT:
            case Type.DOUBLE:
                return true;
            case Type.OBJECT:
                return NUMBERS.contains(type.getInternalName());
            default:
                return false;
        }
    }

    /** Second pass, on one planned method. */
    private static final class HookedMethod extends MethodVisitor {
        private final List<Plan.Entry> entries;
        private final Type[] arguments;
        private final Type returned;
        /** Argument 0's slot: 1 after this, 0 in a static method. */
        private final int firstArgument;
        private final int firstFree;
        /** The allocation's start (a long), or -1. */
        private final int startLocal;
        /** Argument 0 as it was on entry, for the release, or -1. */
        private final int releaseLocal;
        /** The frame types of our locals, in slot order. */
        private final Object[] ours;
        private final int ourSlots;
        private final boolean frames;
        private final Label body = new Label();
        private final Label handler = new Label();

        HookedMethod(MethodVisitor next, int access, String descriptor, Plan plan, int firstFree, boolean frames) {
            super(Opcodes.ASM9, next);
            this.entries = plan.entries;
            this.arguments = Type.getArgumentTypes(descriptor);
            this.returned = Type.getReturnType(descriptor);
            this.firstArgument = (access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
            this.firstFree = firstFree;
            this.frames = frames;
            List<Object> types = new ArrayList<>();
            int slot = firstFree;
            if (plan.allocation) {
                startLocal = slot;
                slot += 2;
                types.add(Opcodes.LONG);
            } else {
                startLocal = -1;
            }
            if (plan.release) {
                releaseLocal = slot;
                slot += arguments[0].getSize();
                types.add(frameType(arguments[0]));
            } else {
                releaseLocal = -1;
            }
            this.ours = types.toArray();
            this.ourSlots = slot - firstFree;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            for (Plan.Entry entry : entries) {
                enter(entry);
            }
            // Every local of ours is set from here on: the frames and the handler may list them.
            super.visitLabel(body);
        }

        private void enter(Plan.Entry entry) {
            switch (entry.kind) {
                case COUNT:
                    push(entry.id);
                    call("event", "(I)V");
                    break;
                case ARGUMENT_VALUE:
                    push(entry.id);
                    call("eventValue", "(I" + loadNumber(entry.argument) + ")V");
                    break;
                case TIMEOUT:
                    push(entry.id);
                    call("timeoutHandler", "(I)V");
                    break;
                case LABELLED_TIMEOUT:
                    push(entry.id);
                    call("labelledTimeoutHandler", "(I)V");
                    break;
                case ALLOCATION:
                    call("allocationStarted", "()J");
                    super.visitVarInsn(Opcodes.LSTORE, startLocal);
                    size("allocationCpus", entry.argument);
                    size("allocationMemory", entry.second);
                    break;
                case RELEASE:
                    super.visitVarInsn(arguments[0].getOpcode(Opcodes.ILOAD), firstArgument);
                    super.visitVarInsn(arguments[0].getOpcode(Opcodes.ISTORE), releaseLocal);
                    break;
                default:
                    break; // the return value has nothing to do on entry
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                for (int i = entries.size() - 1; i >= 0; i--) {
                    exit(entries.get(i));
                }
            }
            super.visitInsn(opcode);
        }

        /** Before a return, its value (if any) on top of the stack, where it stays. */
        private void exit(Plan.Entry entry) {
            switch (entry.kind) {
                case RETURN_VALUE:
                    returnedValue(entry.id);
                    break;
                case RELEASE:
                    super.visitVarInsn(arguments[0].getOpcode(Opcodes.ILOAD), releaseLocal);
                    box(arguments[0]);
                    call("released", "(" + OBJECT + ")V");
                    break;
                case ALLOCATION:
                    if (returned.getSort() == Type.VOID) {
                        super.visitVarInsn(Opcodes.LLOAD, startLocal);
                        super.visitInsn(Opcodes.ACONST_NULL);
                    } else {
                        // value -> value, boxed -> value, start, boxed
                        super.visitInsn(returned.getSize() == 2 ? Opcodes.DUP2 : Opcodes.DUP);
                        box(returned);
                        super.visitVarInsn(Opcodes.LLOAD, startLocal);
                        super.visitInsn(Opcodes.DUP2_X1);
                        super.visitInsn(Opcodes.POP2);
                    }
                    super.visitInsn(Opcodes.ACONST_NULL);
                    call("allocationFinished", FINISHED);
                    break;
                default:
                    break; // the others are done on entry
            }
        }

        /** eventValue(id, the value on top of the stack), the value left where it was. */
        private void returnedValue(int id) {
            if (returned.getSize() == 2) {
                // value -> value, double -> value, double, id -> value, id, double
                super.visitInsn(Opcodes.DUP2);
                if (returned.getSort() == Type.LONG) {
                    super.visitInsn(Opcodes.L2D);
                }
                push(id);
                super.visitInsn(Opcodes.DUP_X2);
                super.visitInsn(Opcodes.POP);
                call("eventValue", "(ID)V");
                return;
            }
            // value -> value, value, id -> value, id, value (widened)
            super.visitInsn(Opcodes.DUP);
            push(id);
            super.visitInsn(Opcodes.SWAP);
            call("eventValue", "(I" + widen(returned) + ")V");
        }

        @Override
        public void visitFrame(int type, int localCount, Object[] locals, int stackCount, Object[] stack) {
            // Expanded frames (EXPAND_FRAMES): every one lists all its locals, ours appended after them.
            Object[] all = WovenLocals.withOurs(locals, localCount, firstFree, ours);
            super.visitFrame(type, all.length, all, stackCount, stack);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (startLocal >= 0) {
                super.visitLabel(handler);
                if (frames) {
                    // The method's own locals may hold anything here: none is read, so all are TOP.
                    Object[] locals = WovenLocals.withOurs(new Object[0], 0, firstFree, ours);
                    super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE});
                }
                // t -> t, t, start -> t, start, t, start -> t, start, t -> t, start, null, t
                super.visitInsn(Opcodes.DUP);
                super.visitVarInsn(Opcodes.LLOAD, startLocal);
                super.visitInsn(Opcodes.DUP2_X1);
                super.visitInsn(Opcodes.POP2);
                super.visitInsn(Opcodes.ACONST_NULL);
                super.visitInsn(Opcodes.SWAP);
                call("allocationFinished", FINISHED);
                super.visitInsn(Opcodes.ATHROW);
                // Last in the exception table, so that every handler of the method's own is tried first.
                super.visitTryCatchBlock(body, handler, handler, THROWABLE);
            }
            // Above a return's value, the allocation's exit holds at most five slots (the value boxed and
            // the start twice), the value of a long returned four; entry code needs three; the handler six.
            super.visitMaxs(Math.max(maxStack + 5, 6), maxLocals + ourSlots);
        }

        /** allocationCpus or allocationMemory with the argument, or 0.0 when none is configured. */
        private void size(String probe, int argument) {
            if (argument < 0) {
                super.visitInsn(Opcodes.DCONST_0);
                call(probe, "(D)V");
            } else {
                call(probe, "(" + loadNumber(argument) + ")V");
            }
        }

        /** Loads the argument, a primitive widened to double; the descriptor of what it left on the stack. */
        private String loadNumber(int argument) {
            int slot = firstArgument;
            for (int i = 0; i < argument; i++) {
                slot += arguments[i].getSize(); // a long or a double takes two slots
            }
            super.visitVarInsn(arguments[argument].getOpcode(Opcodes.ILOAD), slot);
            return widen(arguments[argument]);
        }

        /** Widens the primitive on top of the stack to double; the descriptor of what is there then. */
        private String widen(Type type) {
            switch (type.getSort()) {
                case Type.BYTE:
                case Type.SHORT:
                case Type.CHAR:
                case Type.INT:
                    super.visitInsn(Opcodes.I2D);
                    return "D";
                case Type.LONG:
                    super.visitInsn(Opcodes.L2D);
                    return "D";
                case Type.FLOAT:
                    super.visitInsn(Opcodes.F2D);
                    return "D";
                case Type.DOUBLE:
                    return "D";
                default:
                    return OBJECT; // a reference: the probe tests it for a number
            }
        }

        /** Boxes the primitive on top of the stack into its own box, as Byte Buddy's dynamic typing did. */
        private void box(Type type) {
            String box;
            switch (type.getSort()) {
                case Type.BOOLEAN:
                    box = "java/lang/Boolean";
                    break;
                case Type.CHAR:
                    box = "java/lang/Character";
                    break;
                case Type.BYTE:
                    box = "java/lang/Byte";
                    break;
                case Type.SHORT:
                    box = "java/lang/Short";
                    break;
                case Type.INT:
                    box = "java/lang/Integer";
                    break;
                case Type.LONG:
                    box = "java/lang/Long";
                    break;
                case Type.FLOAT:
                    box = "java/lang/Float";
                    break;
                case Type.DOUBLE:
                    box = "java/lang/Double";
                    break;
                default:
                    return; // a reference already
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, box, "valueOf", "(" + type.getDescriptor() + ")L" + box + ";", false);
        }

        /** A local of ours holding a value of this type, as a frame lists it. */
        private static Object frameType(Type type) {
            switch (type.getSort()) {
                case Type.LONG:
                    return Opcodes.LONG;
                case Type.DOUBLE:
                    return Opcodes.DOUBLE;
                case Type.FLOAT:
                    return Opcodes.FLOAT;
                case Type.BOOLEAN:
                case Type.CHAR:
                case Type.BYTE:
                case Type.SHORT:
                case Type.INT:
                    return Opcodes.INTEGER;
                default:
                    return "java/lang/Object"; // only ever passed on as an Object
            }
        }

        private void call(String probe, String descriptor) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, PROBES, probe, descriptor, false);
        }

        private void push(int value) {
            WovenLocals.push(mv, value);
        }
    }
}

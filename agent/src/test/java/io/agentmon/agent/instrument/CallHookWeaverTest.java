package io.agentmon.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.bootstrap.ContainerProbes;
import io.agentmon.bootstrap.Containers;
import io.agentmon.bootstrap.EventRecorders;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * {@link CallHookWeaver}: each woven class is defined in a loader of its own, so the JVM's
 * verifier checks the frames, the slots read and the exception table; each call is then read
 * back from the bootstrap's own tables (events, containers, timeout counts), and the method
 * returns or throws what it did before.
 */
class CallHookWeaverTest {

    /** Event methods: values from arguments of every kind, and from what they return. */
    public static class Events {
        static {
            System.setProperty("CallHookWeaverTest.clinit", "ran"); // a static initialiser the selector is never asked about
        }

        public static int counted(int x) {
            return x + 1;
        }

        public static void intArgument(String label, int x) {
        }

        public static void longArgument(long x) {
        }

        public static void doubleArgument(double x) {
        }

        public static void floatArgument(float x) {
        }

        public static void charArgument(char c) {
        }

        public static void boxedArgument(Integer x) {
        }

        public static void bigDecimalArgument(BigDecimal x) {
        }

        public static int primitiveReturn(int x) {
            if (x < 0) {
                return -x; // a return of its own, with a frame after it
            }
            return x * 2;
        }

        public static long longReturn(long x) {
            return x * 3;
        }

        public static Long boxedReturn(long x) {
            return x == 0 ? null : Long.valueOf(x);
        }

        public static int fails(int x) throws IOException {
            throw new IOException("as asked " + x);
        }

        /** Static, a double and a long before the int read: the int is in slot 4. */
        public static int staticAfterWide(double a, long b, int c) {
            return (int) a + (int) b + c;
        }

        /** Instance: this, a long and a double before the float read: the float is in slot 5. */
        public float instanceAfterWide(long a, double b, float c) {
            double local = a * b; // a wide local of its own, after the arguments
            return (float) local + c;
        }
    }

    /** A fixed-size container key, released by equals as the worker's own would be. */
    public static final class Container {
        final String id;

        public Container(String id) {
            this.id = id;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Container && ((Container) other).id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    /** The sample worker's ContainerAllocator, shaped: sizes from (double cpuCores, long memoryBytes). */
    public static class Allocator {
        public static int caughtInside;

        public Container allocate(double cpuCores, long memoryBytes) {
            if (memoryBytes > 1_000_000) {
                throw new IllegalStateException("no capacity");
            }
            return new Container("c-" + System.nanoTime());
        }

        /** A primitive returned: the key is its box. */
        public static long allocateId(long id, int cpus, long memoryBytes) {
            return id;
        }

        /** The CPU boxed (a null one leaves the size 0). */
        public static Object allocateBoxed(Double cpus, Object key) {
            return key;
        }

        public static void allocateNothing() {
        }

        /** Its own handler takes what it throws inside: a success, not a failure. */
        public Object allocateCatching(double cpuCores, long memoryBytes) {
            try {
                if (memoryBytes > 0) {
                    throw new IllegalArgumentException("caught below");
                }
                return "never";
            } catch (IllegalArgumentException e) {
                caughtInside++;
                return new Container("caught-" + System.nanoTime());
            }
        }

        public void release(Object container) {
        }

        public static void releaseId(long id) {
        }

        /** Reassigns its argument: what is released is what was passed, as Byte Buddy's backed-up arguments saw. */
        public void releaseReassigning(Object container) {
            container = "something else";
            if (container.hashCode() == 0) {
                throw new AssertionError();
            }
        }

        public void releaseThrows(Object container) {
            throw new IllegalStateException("not released");
        }
    }

    /** Timeout handlers, and a task calling them (woven by TaskWeaver first). */
    public static class Handlers {
        public static void onTimeout() {
        }

        public static void onLabelledTimeout() {
        }

        public static int task(int x) {
            onTimeout();
            onLabelledTimeout();
            return x;
        }
    }

    /** Woven as a task by TaskWeaver, then as an event and an allocation here. */
    public static class Both {
        public static int work(int x) throws IOException {
            int sum = 0;
            for (int i = 0; i < x; i++) {
                sum += i;
            }
            if (x > 10) {
                throw new IOException("too many");
            }
            return sum;
        }
    }

    // --- events -------------------------------------------------------------------------------

    @Test
    void eachCallIsCountedOnceAndItsValueReadFromTheArgument() throws Exception {
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        int counted = event("counted");
        int intValue = event("int");
        int longValue = event("long");
        int doubleValue = event("double");
        int floatValue = event("float");
        int charValue = event("char");
        int boxed = event("boxed");
        int big = event("big");
        plans.put("counted", new CallHookWeaver.Plan().eventCounted(counted));
        plans.put("intArgument", new CallHookWeaver.Plan().eventCounted(intValue).eventValueFromArgument(intValue, 1));
        plans.put("longArgument", new CallHookWeaver.Plan().eventCounted(longValue).eventValueFromArgument(longValue, 0));
        plans.put("doubleArgument", new CallHookWeaver.Plan().eventCounted(doubleValue).eventValueFromArgument(doubleValue, 0));
        plans.put("floatArgument", new CallHookWeaver.Plan().eventCounted(floatValue).eventValueFromArgument(floatValue, 0));
        plans.put("charArgument", new CallHookWeaver.Plan().eventCounted(charValue).eventValueFromArgument(charValue, 0));
        plans.put("boxedArgument", new CallHookWeaver.Plan().eventCounted(boxed).eventValueFromArgument(boxed, 0));
        plans.put("bigDecimalArgument", new CallHookWeaver.Plan().eventCounted(big).eventValueFromArgument(big, 0));
        List<String> asked = new ArrayList<>();
        Class<?> events = weave(Events.class, plans, asked);

        assertEquals(4, call(events, "counted", 3));
        assertEquals(8, call(events, "counted", 7));
        call(events, "intArgument", "x", 5);
        call(events, "intArgument", "y", -2);
        call(events, "longArgument", 1L << 40);
        call(events, "doubleArgument", 2.5);
        call(events, "floatArgument", 0.25f);
        call(events, "charArgument", 'A');
        call(events, "boxedArgument", 7);
        call(events, "boxedArgument", (Object) null);
        call(events, "bigDecimalArgument", new BigDecimal("1.5"));

        assertEvent(counted, 2, 0, 0);
        assertEvent(intValue, 2, 2, 3);
        assertEvent(longValue, 1, 1, 1L << 40);
        assertEvent(doubleValue, 1, 1, 2.5);
        assertEvent(floatValue, 1, 1, 0.25);
        assertEvent(charValue, 1, 1, 'A');
        assertEvent(boxed, 2, 1, 7); // the null is counted, with no value
        assertEvent(big, 1, 1, 1.5);

        for (String name : asked) {
            assertFalse(name.startsWith("<"), name + ": constructors and static initialisers are never asked");
        }
        assertEquals(asked.size(), asked.stream().distinct().count(), "each method asked once: " + asked);
        assertTrue(asked.contains("fails") && asked.contains("instanceAfterWide"), "every other method asked: " + asked);
    }

    @Test
    void theValueReturnedIsRecordedAndStillReturned() throws Exception {
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        int primitive = event("primitiveReturn");
        int wide = event("longReturn");
        int boxed = event("boxedReturn");
        int fails = event("fails");
        plans.put("primitiveReturn", new CallHookWeaver.Plan().eventCounted(primitive).eventValueFromReturn(primitive));
        plans.put("longReturn", new CallHookWeaver.Plan().eventCounted(wide).eventValueFromReturn(wide));
        plans.put("boxedReturn", new CallHookWeaver.Plan().eventCounted(boxed).eventValueFromReturn(boxed));
        plans.put("fails", new CallHookWeaver.Plan().eventCounted(fails).eventValueFromReturn(fails));
        Class<?> events = weave(Events.class, plans, new ArrayList<>());

        assertEquals(6, call(events, "primitiveReturn", 3));
        assertEquals(4, call(events, "primitiveReturn", -4));
        assertEquals(30L, call(events, "longReturn", 10L));
        assertEquals(5L, call(events, "boxedReturn", 5L));
        assertNull(call(events, "boxedReturn", 0L));
        assertEquals(IOException.class, thrown(events, "fails", 1).getClass());

        assertEvent(primitive, 2, 2, 10); // both returns
        assertEvent(wide, 1, 1, 30);
        assertEvent(boxed, 2, 1, 5); // a null returned: counted, no value
        assertEvent(fails, 1, 0, 0); // counted on entry; it returned nothing
    }

    @Test
    void argumentsAfterLongsAndDoublesAreReadFromTheirOwnSlots() throws Exception {
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        int statics = event("staticAfterWide");
        int instance = event("instanceAfterWide");
        int wideArgument = event("instanceWideArgument");
        plans.put("staticAfterWide", new CallHookWeaver.Plan().eventCounted(statics).eventValueFromArgument(statics, 2));
        // Two events on one method: one from its third argument, one from its second (a double after a long).
        plans.put("instanceAfterWide", new CallHookWeaver.Plan().eventCounted(instance).eventValueFromArgument(instance, 2)
                .eventCounted(wideArgument).eventValueFromArgument(wideArgument, 1));
        Class<?> events = weave(Events.class, plans, new ArrayList<>());

        assertEquals(1 + 20 + 7, call(events, "staticAfterWide", 1.0, 20L, 7));
        Object target = events.getDeclaredConstructor().newInstance();
        Method method = events.getMethod("instanceAfterWide", long.class, double.class, float.class);
        assertEquals(2f * 1.5f + 0.5f, method.invoke(target, 2L, 1.5, 0.5f));

        assertEvent(statics, 1, 1, 7);
        assertEvent(instance, 1, 1, 0.5);
        assertEvent(wideArgument, 1, 1, 1.5);
    }

    // --- containers ---------------------------------------------------------------------------

    @Test
    void anAllocationIsTimedSizedFromItsArgumentsAndTrackedUntilReleased() throws Exception {
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        plans.put("allocate", new CallHookWeaver.Plan().allocation(0, 1));
        plans.put("release", new CallHookWeaver.Plan().release());
        Class<?> allocator = weave(Allocator.class, plans, new ArrayList<>());
        Object target = allocator.getDeclaredConstructor().newInstance();
        Method allocate = allocator.getMethod("allocate", double.class, long.class);
        Method release = allocator.getMethod("release", Object.class);

        Totals before = Totals.now();
        Object container = allocate.invoke(target, 1.5, 256L);
        assertTrue(container instanceof Container);
        Totals allocated = Totals.now();
        assertEquals(1, allocated.succeeded - before.succeeded);
        assertEquals(0, allocated.failed - before.failed);
        assertEquals(1, allocated.active - before.active);
        assertEquals(1.5, allocated.cpus - before.cpus, 1e-9);
        assertEquals(256, allocated.memory - before.memory);

        release.invoke(target, container);
        Totals released = Totals.now();
        assertEquals(before.active, released.active, "released: no longer alive");
        assertEquals(before.memory, released.memory);
    }

    @Test
    void aThrowingAllocationIsRecordedAsFailedAndStillThrows() throws Exception {
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        plans.put("allocate", new CallHookWeaver.Plan().allocation(0, 1));
        Class<?> allocator = weave(Allocator.class, plans, new ArrayList<>());
        Object target = allocator.getDeclaredConstructor().newInstance();
        Method allocate = allocator.getMethod("allocate", double.class, long.class);

        Totals before = Totals.now();
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> allocate.invoke(target, 1.0, 2_000_000L));
        assertEquals(IllegalStateException.class, e.getCause().getClass());
        assertEquals("no capacity", e.getCause().getMessage());
        Totals after = Totals.now();
        assertEquals(1, after.failed - before.failed);
        assertEquals(0, after.succeeded - before.succeeded);
        assertEquals(before.active, after.active);

        // The failed one was popped: the next allocation on this thread has its own size.
        Object container = allocate.invoke(target, 0.5, 64L);
        Totals next = Totals.now();
        assertEquals(0.5, next.cpus - after.cpus, 1e-9);
        assertEquals(64, next.memory - after.memory);
        ContainerProbes.released(container);
    }

    @Test
    void aPrimitiveReturnedIsTheKeyAndAPrimitiveArgumentReleasesIt() throws Exception {
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        plans.put("allocateId", new CallHookWeaver.Plan().allocation(1, 2));
        plans.put("releaseId", new CallHookWeaver.Plan().release());
        plans.put("allocateBoxed", new CallHookWeaver.Plan().allocation(0, -1));
        plans.put("allocateNothing", new CallHookWeaver.Plan().allocation(-1, -1));
        Class<?> allocator = weave(Allocator.class, plans, new ArrayList<>());
        long id = System.nanoTime();

        Totals before = Totals.now();
        assertEquals(id, call(allocator, "allocateId", id, 3, 1024L));
        Totals allocated = Totals.now();
        assertEquals(1, allocated.active - before.active);
        assertEquals(3.0, allocated.cpus - before.cpus, 1e-9);
        assertEquals(1024, allocated.memory - before.memory);
        call(allocator, "releaseId", id);
        assertEquals(before.active, Totals.now().active, "released by its box, equal to the one returned");

        // A boxed CPU, memory not configured: 0; a null CPU: 0 as well; void: counted, nothing tracked.
        Container key = new Container("boxed-" + id);
        Container unsized = new Container("unsized-" + id);
        before = Totals.now();
        assertSame(key, call(allocator, "allocateBoxed", 2.25, key));
        assertSame(unsized, call(allocator, "allocateBoxed", null, unsized));
        call(allocator, "allocateNothing");
        Totals after = Totals.now();
        assertEquals(3, after.succeeded - before.succeeded);
        assertEquals(2, after.active - before.active);
        assertEquals(2.25, after.cpus - before.cpus, 1e-9);
        assertEquals(0, after.memory - before.memory);
        ContainerProbes.released(key);
        ContainerProbes.released(unsized);
    }

    @Test
    void theMethodsOwnHandlerIsTriedFirst() throws Exception {
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        plans.put("allocateCatching", new CallHookWeaver.Plan().allocation(0, 1));
        Class<?> allocator = weave(Allocator.class, plans, new ArrayList<>());
        Object target = allocator.getDeclaredConstructor().newInstance();

        Totals before = Totals.now();
        Object container = allocator.getMethod("allocateCatching", double.class, long.class).invoke(target, 1.0, 32L);
        assertTrue(container instanceof Container, "its own handler returned");
        assertEquals(1, allocator.getField("caughtInside").getInt(null));
        Totals after = Totals.now();
        assertEquals(1, after.succeeded - before.succeeded, "what its own handler caught never left the method");
        assertEquals(0, after.failed - before.failed);
        assertEquals(1, after.active - before.active);
        ContainerProbes.released(container);
    }

    @Test
    void aReleaseReleasesTheArgumentAsPassedAndAThrowingOneNothing() throws Exception {
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        plans.put("allocateBoxed", new CallHookWeaver.Plan().allocation(0, -1));
        plans.put("releaseReassigning", new CallHookWeaver.Plan().release());
        plans.put("releaseThrows", new CallHookWeaver.Plan().release());
        Class<?> allocator = weave(Allocator.class, plans, new ArrayList<>());
        Object target = allocator.getDeclaredConstructor().newInstance();
        Container first = new Container("first-" + System.nanoTime());
        Container second = new Container("second-" + System.nanoTime());

        Totals before = Totals.now();
        call(allocator, "allocateBoxed", 1.0, first);
        call(allocator, "allocateBoxed", 1.0, second);
        assertEquals(2, Totals.now().active - before.active);

        Method throwing = allocator.getMethod("releaseThrows", Object.class);
        assertThrows(InvocationTargetException.class, () -> throwing.invoke(target, first));
        assertEquals(2, Totals.now().active - before.active, "a release that threw released nothing");

        allocator.getMethod("releaseReassigning", Object.class).invoke(target, second);
        assertEquals(1, Totals.now().active - before.active, "the argument as passed was released");
        ContainerProbes.released(first);
        assertEquals(before.active, Totals.now().active);
    }

    // --- timeout handlers, and a class TaskWeaver wove first ----------------------------------

    @Test
    void timeoutHandlersCountForTheTaskRunningElseTheirOwnLabel() throws Exception {
        String name = Handlers.class.getName();
        int handlerProbe = TaskRecorders.registerTimeoutTarget("CallHookWeaverTest.handler." + System.nanoTime());
        int labelledProbe = TaskRecorders.registerTimeoutTarget("CallHookWeaverTest.labelled." + System.nanoTime());
        int taskProbe = TaskRecorders.registerTask("CallHookWeaverTest.task." + System.nanoTime(), TaskRecorder.NO_DEADLINE);
        byte[] tasks = TaskWeaver.weave(DefiningLoader.classFile(Handlers.class), taskSelector("task", taskProbe));
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        plans.put("onTimeout", new CallHookWeaver.Plan().timeoutHandler(handlerProbe, false));
        plans.put("onLabelledTimeout", new CallHookWeaver.Plan().timeoutHandler(labelledProbe, true));
        Class<?> handlers = define(name, CallHookWeaver.weave(tasks, selector(plans, new ArrayList<>())));

        call(handlers, "onTimeout");
        call(handlers, "onLabelledTimeout");
        assertEquals(1, TaskRecorders.recorder(handlerProbe).handlerTimeouts(), "no task running: its own label");
        assertEquals(1, TaskRecorders.recorder(labelledProbe).handlerTimeouts());

        assertEquals(4, call(handlers, "task", 4));
        assertEquals(1, TaskRecorders.recorder(taskProbe).handlerTimeouts(), "inside the task: the task's");
        assertEquals(1, TaskRecorders.recorder(handlerProbe).handlerTimeouts());
        assertEquals(2, TaskRecorders.recorder(labelledProbe).handlerTimeouts(), "a labelled handler: always its own");
        assertEquals(1, TaskRecorders.recorder(taskProbe).success().count());
    }

    @Test
    void aClassTaskWeaverWoveFirstVerifiesAndBothCount() throws Exception {
        String name = Both.class.getName();
        int taskProbe = TaskRecorders.registerTask("CallHookWeaverTest.both." + System.nanoTime(), TaskRecorder.NO_DEADLINE);
        int work = event("work");
        byte[] tasks = TaskWeaver.weave(DefiningLoader.classFile(Both.class), taskSelector("work", taskProbe));
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        plans.put("work", new CallHookWeaver.Plan().eventCounted(work).eventValueFromReturn(work).allocation(0, -1));
        Class<?> both = define(name, CallHookWeaver.weave(tasks, selector(plans, new ArrayList<>())));

        Totals before = Totals.now();
        assertEquals(0 + 1 + 2 + 3, call(both, "work", 4));
        assertEquals(IOException.class, thrown(both, "work", 11).getClass());
        Totals after = Totals.now();

        TaskRecorder recorder = TaskRecorders.recorder(taskProbe);
        assertEquals(1, recorder.success().count());
        assertEquals(1, recorder.failure().count());
        assertEquals(0, recorder.untracked());
        assertEvent(work, 2, 1, 6);
        assertEquals(1, after.succeeded - before.succeeded);
        assertEquals(1, after.failed - before.failed, "TaskWeaver's rethrow went through our handler too");
        assertEquals(4.0, after.cpus - before.cpus, 1e-9, "the int key 6 is tracked with 4 cores");
        ContainerProbes.released(6);
    }

    @Test
    void aClassFileWithoutStackMapFramesGetsNone() throws Exception {
        String name = "io.agentmon.agent.instrument.OldCallHooks";
        int abs = event("abs");
        Map<String, CallHookWeaver.Plan> plans = new HashMap<>();
        plans.put("abs", new CallHookWeaver.Plan().eventCounted(abs).eventValueFromReturn(abs).allocation(-1, 0));
        byte[] woven = CallHookWeaver.weave(DefiningLoader.oldClassFile(name), selector(plans, new ArrayList<>()));
        assertFalse(new String(woven, StandardCharsets.ISO_8859_1).contains("StackMapTable"));
        Class<?> old = define(name, woven);

        Totals before = Totals.now();
        assertEquals(3, old.getMethod("abs", int.class).invoke(null, -3));
        assertEquals(4, old.getMethod("abs", int.class).invoke(null, 4));
        assertEvent(abs, 2, 2, 7);
        Totals after = Totals.now();
        assertEquals(2, after.succeeded - before.succeeded);
        assertEquals(-3 + 4, after.memory - before.memory, "memory from the int argument, keys 3 and 4");
        ContainerProbes.released(3);
        ContainerProbes.released(4);
    }

    // --- the class file as a whole ------------------------------------------------------------

    @Test
    void noMethodPlannedLeavesTheClassAloneAndAPlannedOneAddsNoMember() throws Exception {
        byte[] classFile = DefiningLoader.classFile(Events.class);
        assertNull(CallHookWeaver.weave(classFile, (name, access, descriptor) -> null));
        assertNull(CallHookWeaver.weave(classFile, (name, access, descriptor) -> new CallHookWeaver.Plan()), "an empty plan is none");

        int counted = event("members");
        byte[] woven = CallHookWeaver.weave(classFile, (name, access, descriptor) ->
                name.equals("counted") ? new CallHookWeaver.Plan().eventCounted(counted) : null);
        assertEquals(members(classFile), members(woven), "retransformation may weave it: no member added");
    }

    @Test
    void aValueThatIsNoNumberIsRefused() throws Exception {
        byte[] classFile = DefiningLoader.classFile(Events.class);
        assertThrows(IllegalArgumentException.class, () -> CallHookWeaver.weave(classFile, (name, access, descriptor) ->
                name.equals("intArgument") ? new CallHookWeaver.Plan().eventValueFromArgument(0, 0) : null), "a String");
        assertThrows(IllegalArgumentException.class, () -> CallHookWeaver.weave(classFile, (name, access, descriptor) ->
                name.equals("longArgument") ? new CallHookWeaver.Plan().eventValueFromReturn(0) : null), "void");
        assertThrows(IllegalArgumentException.class, () -> CallHookWeaver.weave(classFile, (name, access, descriptor) ->
                name.equals("counted") ? new CallHookWeaver.Plan().allocation(0, 1) : null), "no second argument");
        assertThrows(IllegalStateException.class, () -> new CallHookWeaver.Plan().allocation(0, 1).allocation(0, 1));
    }

    @Test
    void readsNumber() {
        String primitives = "(BSCIJFDZ)V";
        for (int i = 0; i < 7; i++) {
            assertTrue(CallHookWeaver.readsNumber(primitives, i), "argument " + i);
        }
        assertFalse(CallHookWeaver.readsNumber(primitives, 7), "boolean");
        assertFalse(CallHookWeaver.readsNumber(primitives, -1), "void");
        assertFalse(CallHookWeaver.readsNumber(primitives, 8), "out of range");
        assertFalse(CallHookWeaver.readsNumber(primitives, -2), "out of range");
        assertFalse(CallHookWeaver.readsNumber("()V", 0), "no argument");

        for (String type : new String[] {"java/lang/Number", "java/lang/Byte", "java/lang/Short", "java/lang/Integer",
                "java/lang/Long", "java/lang/Float", "java/lang/Double", "java/math/BigInteger", "java/math/BigDecimal",
                "java/util/concurrent/atomic/AtomicInteger", "java/util/concurrent/atomic/AtomicLong",
                "java/util/concurrent/atomic/DoubleAdder", "java/util/concurrent/atomic/LongAdder",
                "java/util/concurrent/atomic/DoubleAccumulator", "java/util/concurrent/atomic/LongAccumulator"}) {
            assertTrue(CallHookWeaver.readsNumber("(L" + type + ";)V", 0), type);
            assertTrue(CallHookWeaver.readsNumber("()L" + type + ";", -1), type + " returned");
        }
        for (String type : new String[] {"Ljava/lang/Object;", "Ljava/lang/String;", "Ljava/lang/Boolean;",
                "Ljava/lang/Character;", "Ljava/util/concurrent/atomic/AtomicBoolean;", "[I", "[Ljava/lang/Integer;"}) {
            assertFalse(CallHookWeaver.readsNumber("(" + type + ")" + type, 0), type);
            assertFalse(CallHookWeaver.readsNumber("(" + type + ")" + type, -1), type + " returned");
        }
        assertTrue(CallHookWeaver.readsNumber("(Ljava/lang/String;JLjava/lang/Long;)Z", 2), "after a reference and a long");
        assertFalse(CallHookWeaver.readsNumber("(Ljava/lang/String;JLjava/lang/Long;)Z", -1), "boolean returned");
    }

    @Test
    void theWeaverUsesNoByteBuddyClassButItsAsm() throws Exception {
        // So that weaving with it never builds Byte Buddy (its thousand classes): every class file
        // of it (nested, anonymous and javac's switch maps too) names no other part of Byte Buddy.
        Pattern outsideAsm = Pattern.compile("net/bytebuddy/(?!jar/asm/)");
        Path classes = Paths.get(CallHookWeaver.class.getResource("CallHookWeaver.class").toURI()).getParent();
        List<Path> ours = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(classes, "{CallHookWeaver,WovenLocals}*.class")) {
            files.forEach(ours::add);
        }
        for (Path file : ours) {
            String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertFalse(outsideAsm.matcher(constants).find(), file.getFileName().toString());
        }
        assertTrue(ours.size() >= 7, "the nested classes were found: " + ours);
    }

    // --- helpers ------------------------------------------------------------------------------

    /** Containers.readActive and the allocation counts, at one moment. */
    private static final class Totals {
        long succeeded;
        long failed;
        long active;
        long memory;
        double cpus;

        static Totals now() {
            Totals totals = new Totals();
            long[] read = new long[2];
            totals.cpus = Containers.readActive(read);
            totals.active = read[0];
            totals.memory = read[1];
            totals.succeeded = Containers.succeeded().count();
            totals.failed = Containers.failed().count();
            return totals;
        }
    }

    private static int event(String name) {
        // A name of its own per test run, so that counts start from nothing.
        int id = EventRecorders.register("CallHookWeaverTest." + name + "." + System.nanoTime());
        assertTrue(id >= 0, "room for the event");
        return id;
    }

    private static void assertEvent(int id, long count, long valueCount, double valueSum) {
        EventRecorders.Event event = EventRecorders.event(id);
        assertEquals(count, event.count(), event.name() + " count");
        assertEquals(valueCount, event.valueCount(), event.name() + " values");
        assertEquals(valueSum, event.valueSum(), 1e-9, event.name() + " sum");
    }

    private static CallHookWeaver.Selector selector(Map<String, CallHookWeaver.Plan> plans, List<String> asked) {
        return (name, access, descriptor) -> {
            asked.add(name);
            return plans.get(name);
        };
    }

    private static Class<?> weave(Class<?> type, Map<String, CallHookWeaver.Plan> plans, List<String> asked) throws IOException {
        byte[] woven = CallHookWeaver.weave(DefiningLoader.classFile(type), selector(plans, asked));
        return define(type.getName(), woven);
    }

    private static Class<?> define(String name, byte[] classFile) {
        return new DefiningLoader(CallHookWeaverTest.class.getClassLoader(), name, classFile).load();
    }

    private static TaskWeaver.Selector taskSelector(String method, int probeId) {
        return new TaskWeaver.Selector() {
            @Override
            public boolean selects(String methodName, int access) {
                return methodName.equals(method);
            }

            @Override
            public int[] register(String methodName, int access, String descriptor) {
                return new int[] {probeId, 0};
            }
        };
    }

    private static Object call(Class<?> type, String name, Object... arguments) throws Exception {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                return method.invoke(null, arguments);
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static Throwable thrown(Class<?> type, String name, Object... arguments) {
        return assertThrows(InvocationTargetException.class, () -> call(type, name, arguments)).getCause();
    }

    /** The class's fields and methods, by name and descriptor. */
    private static List<String> members(byte[] classFile) {
        List<String> members = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                members.add(name + " " + descriptor);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                members.add(name + descriptor);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return members;
    }
}

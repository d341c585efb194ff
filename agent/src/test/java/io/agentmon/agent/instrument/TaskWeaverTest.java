package io.agentmon.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskWeaver} on methods of every shape javac makes: each woven class is defined in a
 * loader of its own, so the JVM's verifier checks the frames and the exception table, and each
 * run counts once, by outcome, on its own label.
 */
class TaskWeaverTest {

    /** Methods of every shape: loops whose head is the first instruction, wide locals, handlers of their own, each return type. */
    public static class Shapes {
        public static int finallyRuns;

        public static int loopAtTheStart(int n) {
            for (;;) {
                if (--n <= 0) {
                    return n;
                }
            }
        }

        public static long wide(long a, double b, int times) {
            long sum = a;
            for (int i = 0; i < times; i++) {
                double step = b * i;
                sum += (long) step;
            }
            return sum;
        }

        public static double doubles(double d) {
            return d * 2;
        }

        public static float floats(float f) {
            return f / 2;
        }

        public static boolean bools(boolean b) {
            return !b;
        }

        public static char chars(char c) {
            return Character.toUpperCase(c);
        }

        public static String objects(String s) {
            return s == null ? "none" : s + s;
        }

        public static int[] arrays(int n) {
            return new int[n];
        }

        public static void fails(boolean really) throws IOException {
            if (really) {
                throw new IOException("as asked");
            }
        }

        public static void timesOut() throws TimeoutException {
            throw new TimeoutException("as asked");
        }

        public static int catchesItsOwn(int x) {
            try {
                if (x > 0) {
                    throw new IllegalStateException("caught below");
                }
                return 0;
            } catch (IllegalStateException e) {
                return 1;
            } finally {
                finallyRuns++;
            }
        }

        public static int recursive(int depth) {
            return depth <= 0 ? 0 : recursive(depth - 1) + 1;
        }

        public synchronized int instance(long a, int b) {
            Object local = this;
            return local == null ? -1 : (int) a + b;
        }

        public static int untouched(int x) {
            return x + 1;
        }
    }

    /** A default method is code in an interface: woven like any other. */
    public interface WithDefault {
        default int twice(int x) {
            return 2 * x;
        }
    }

    public static class Implementation implements WithDefault {
    }

    @Test
    void everyShapeRunsAsBeforeAndEachRunIsCountedOnceByOutcome() throws Exception {
        Woven woven = weave(Shapes.class, (name, access) -> !name.equals("untouched"));
        Class<?> shapes = woven.type;

        assertEquals(0, call(shapes, "loopAtTheStart", 5));
        assertEquals(10L + 0 + 2 + 4, call(shapes, "wide", 10L, 2.0, 3));
        assertEquals(3.0, call(shapes, "doubles", 1.5));
        assertEquals(0.75f, call(shapes, "floats", 1.5f));
        assertEquals(false, call(shapes, "bools", true));
        assertEquals('Q', call(shapes, "chars", 'q'));
        assertEquals("abab", call(shapes, "objects", "ab"));
        assertEquals("none", call(shapes, "objects", (Object) null));
        assertArrayEquals(new int[3], (int[]) call(shapes, "arrays", 3));
        call(shapes, "fails", false);
        assertEquals(IOException.class, assertThrows(InvocationTargetException.class, () -> call(shapes, "fails", true))
                .getCause().getClass());
        assertEquals(TimeoutException.class, assertThrows(InvocationTargetException.class, () -> call(shapes, "timesOut"))
                .getCause().getClass());
        assertEquals(1, call(shapes, "catchesItsOwn", 1));
        assertEquals(0, call(shapes, "catchesItsOwn", 0));
        assertEquals(2, shapes.getDeclaredField("finallyRuns").getInt(null));
        assertEquals(4, call(shapes, "recursive", 4));
        Object instance = shapes.getDeclaredConstructor().newInstance();
        assertEquals(7, shapes.getMethod("instance", long.class, int.class).invoke(instance, 3L, 4));
        assertEquals(2, call(shapes, "untouched", 1));

        assertRuns(woven, "loopAtTheStart", 1, 0, 0);
        assertRuns(woven, "wide", 1, 0, 0);
        assertRuns(woven, "doubles", 1, 0, 0);
        assertRuns(woven, "floats", 1, 0, 0);
        assertRuns(woven, "bools", 1, 0, 0);
        assertRuns(woven, "chars", 1, 0, 0);
        assertRuns(woven, "objects", 2, 0, 0);
        assertRuns(woven, "arrays", 1, 0, 0);
        assertRuns(woven, "fails", 1, 1, 0);
        assertRuns(woven, "timesOut", 0, 0, 1);
        assertRuns(woven, "catchesItsOwn", 2, 0, 0); // its own handler caught it: the run returned
        assertRuns(woven, "recursive", 5, 0, 0); // each level is a run of its own
        assertRuns(woven, "instance", 1, 0, 0);
        assertNull(woven.probes.get("untouched"), "a method not selected is not woven");
        assertEquals(IOException.class, recorder(woven, "fails").exceptions().type(0));
        assertEquals(1, recorder(woven, "fails").exceptions().count(0));
    }

    @Test
    void aDefaultMethodOfAnInterfaceIsWoven() throws Exception {
        Woven woven = weave(WithDefault.class, (name, access) -> name.equals("twice"));
        ClassLoader loader = woven.type.getClassLoader();
        Class<?> implementation = new DefiningLoader(loader, Implementation.class, DefiningLoader.classFile(Implementation.class)).load();
        Object instance = implementation.getDeclaredConstructor().newInstance();
        assertEquals(6, woven.type.getMethod("twice", int.class).invoke(instance, 3));
        assertRuns(woven, "twice", 1, 0, 0);
    }

    @Test
    void aClassFileWithoutStackMapFramesGetsNone() throws Exception {
        // Java 5's format: the verifier infers types, and a frame of ours would be an unknown attribute's worth of noise.
        byte[] old = DefiningLoader.oldClassFile("io.agentmon.agent.instrument.OldFormat");
        Woven woven = weave("io.agentmon.agent.instrument.OldFormat", old, (name, access) -> name.equals("abs"));
        Method abs = woven.type.getMethod("abs", int.class);
        assertEquals(3, abs.invoke(null, -3));
        assertEquals(4, abs.invoke(null, 4));
        assertRuns(woven, "abs", 2, 0, 0);
    }

    @Test
    void noSelectedMethodLeavesTheClassAsItWas() throws Exception {
        assertNull(TaskWeaver.weave(DefiningLoader.classFile(Shapes.class), selector(Shapes.class.getName(), (name, access) -> false, new HashMap<>())));
    }

    // --- helpers -------------------------------------------------------------------------------

    private static final class Woven {
        final Class<?> type;
        final Map<String, Integer> probes;

        Woven(Class<?> type, Map<String, Integer> probes) {
            this.type = type;
            this.probes = probes;
        }
    }

    private static Woven weave(Class<?> type, BiPredicate<String, Integer> selects) throws IOException {
        return weave(type.getName(), DefiningLoader.classFile(type), selects);
    }

    private static Woven weave(String name, byte[] classFile, BiPredicate<String, Integer> selects) {
        Map<String, Integer> probes = new HashMap<>();
        byte[] woven = TaskWeaver.weave(classFile, selector(name, selects, probes));
        Class<?> type = new DefiningLoader(TaskWeaverTest.class.getClassLoader(), name, woven).load();
        return new Woven(type, probes);
    }

    private static TaskWeaver.Selector selector(String className, BiPredicate<String, Integer> selects, Map<String, Integer> probes) {
        return new TaskWeaver.Selector() {
            @Override
            public boolean selects(String methodName, int access) {
                return selects.test(methodName, access);
            }

            @Override
            public int[] register(String methodName, int access, String descriptor) {
                // A label of its own per test run, so that counts start from nothing.
                String label = className + "." + methodName + "." + System.nanoTime();
                int probeId = TaskRecorders.registerTask(label, TaskRecorder.NO_DEADLINE);
                probes.put(methodName, probeId);
                return new int[] {probeId, 0};
            }
        };
    }

    private static TaskRecorder recorder(Woven woven, String method) {
        return TaskRecorders.recorder(woven.probes.get(method));
    }

    private static void assertRuns(Woven woven, String method, long successes, long failures, long timeouts) {
        TaskRecorder recorder = recorder(woven, method);
        assertEquals(successes, recorder.success().count(), method + " successes");
        assertEquals(failures, recorder.failure().count(), method + " failures");
        assertEquals(timeouts, recorder.timeout().count(), method + " timeouts");
        assertEquals(0, recorder.untracked(), method + " left in flight");
    }

    private static Object call(Class<?> type, String name, Object... arguments) throws Exception {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                return method.invoke(null, arguments);
            }
        }
        throw new NoSuchMethodException(name);
    }
}

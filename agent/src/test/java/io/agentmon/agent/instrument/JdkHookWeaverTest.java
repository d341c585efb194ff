package io.agentmon.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentmon.bootstrap.TaskProbes;
import io.agentmon.bootstrap.TaskRecorder;
import io.agentmon.bootstrap.TaskRecorders;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * {@link JdkHookWeaver}: on this JDK's own pool and future classes every hook finds its method
 * and becomes a call; on classes of the same shape, defined in a loader of their own so that the
 * JVM's verifier checks what was woven, a timed {@code get} that gives up is counted once for the
 * task its runner runs and still throws, and a method's results are what they were. (The JDK's
 * classes themselves are woven and verified in real JVMs by the integration tests.)
 */
class JdkHookWeaverTest {

    private static final String FUTURE_TASK = "java.util.concurrent.FutureTask";
    private static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";

    /** {@code FutureTask}'s shape: a runner field and a timed get. */
    public static class LikeFutureTask {
        public Thread runner;
        public Exception fails;

        public Object get(long timeout, TimeUnit unit) throws Exception {
            if (fails != null) {
                throw fails;
            }
            return "done";
        }

        /** Not hooked: same name, other arguments. */
        public Object get() throws TimeoutException {
            throw new TimeoutException("untimed");
        }
    }

    /** A timed get whose own handler takes the timeout: nothing left the method, nothing is counted. */
    public static class CatchesItsOwn {
        public Thread runner;

        public Object get(long timeout, TimeUnit unit) {
            try {
                throw new TimeoutException("inside");
            } catch (TimeoutException e) {
                return "caught";
            }
        }
    }

    /** {@code CompletableFuture}'s completeExceptionally alone: its timed get is missing. */
    public static class LikeCompletableFuture {
        public boolean completes;

        public boolean completeExceptionally(Throwable cause) {
            return completes;
        }
    }

    @Test
    void theHookedClassesAreTheOnesWhoseLossIsReported() {
        assertEquals(InstrumentationStats.JDK_HOOKS.keySet(), JdkHookWeaver.HOOKS.keySet());
    }

    @Test
    void onThisJdkEveryHookFindsItsMethodAndBecomesACall() throws Exception {
        for (Map.Entry<String, List<JdkHookWeaver.Hook>> hooked : JdkHookWeaver.HOOKS.entrySet()) {
            String name = hooked.getKey();
            byte[] original;
            try (InputStream in = ClassLoader.getSystemResourceAsStream(name.replace('.', '/') + ".class")) {
                original = in.readAllBytes();
            }
            List<String> missing = new ArrayList<>();
            byte[] woven = JdkHookWeaver.weave(name, original, missing);
            assertEquals(List.of(), missing, name);
            Map<String, List<String>> calls = probeCalls(woven);
            for (JdkHookWeaver.Hook hook : hooked.getValue()) {
                boolean called = false;
                for (Map.Entry<String, List<String>> method : calls.entrySet()) {
                    called |= method.getKey().startsWith(hook.method + (hook.descriptor == null ? "(" : hook.descriptor))
                            && method.getValue().contains(hook.probe);
                }
                assertTrue(called, name + ": " + hook + " calls " + hook.probe);
            }
        }
        assertEquals(Map.of(), probeCalls(DefiningLoader.classFile(LikeFutureTask.class)), "the unwoven control calls no probe");
    }

    @Test
    void aTimedGetThatGivesUpIsCountedForTheTaskItsRunnerRunsAndStillThrows() throws Exception {
        Class<?> type = weave(FUTURE_TASK, LikeFutureTask.class, List.of());
        int runnerTask = task("runner");
        int waiterTask = task("waiter");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread runner = new Thread(() -> {
            long start = System.nanoTime();
            int slot = TaskProbes.enter(runnerTask, 0, start);
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TaskProbes.exit(runnerTask, slot, start, null);
        });
        runner.start();
        running.await();
        Object future = type.getDeclaredConstructor().newInstance();
        Method get = type.getMethod("get", long.class, TimeUnit.class);
        TimeoutException timeout = new TimeoutException("as asked");
        long start = System.nanoTime();
        int slot = TaskProbes.enter(waiterTask, 0, start);
        try {
            type.getField("runner").set(future, runner);
            type.getField("fails").set(future, timeout);
            assertSame(timeout, thrownBy(get, future), "the same exception goes on");
            assertEquals(1, recorder(runnerTask).futureTimeouts(), "blamed on the runner's task");
            assertEquals(0, recorder(waiterTask).futureTimeouts());

            type.getField("runner").set(future, null); // no runner: the waiting run's
            assertSame(timeout, thrownBy(get, future));
            assertEquals(1, recorder(waiterTask).futureTimeouts());

            IOException other = new IOException("not a timeout");
            type.getField("fails").set(future, other);
            assertSame(other, thrownBy(get, future));
            type.getField("fails").set(future, null);
            assertEquals("done", get.invoke(future, 1L, TimeUnit.SECONDS));
            assertEquals(TimeoutException.class, thrownBy(type.getMethod("get"), future).getClass());
            assertEquals(1, recorder(waiterTask).futureTimeouts(), "other exceptions, returns and the untimed get: not counted");
            assertEquals(1, recorder(runnerTask).futureTimeouts());
        } finally {
            TaskProbes.exit(waiterTask, slot, start, null);
            release.countDown();
            runner.join();
        }
    }

    @Test
    void aTimeoutTheMethodCatchesItselfIsNotCounted() throws Exception {
        Class<?> type = weave(FUTURE_TASK, CatchesItsOwn.class, List.of());
        int waiterTask = task("catches");
        long start = System.nanoTime();
        int slot = TaskProbes.enter(waiterTask, 0, start);
        try {
            Object future = type.getDeclaredConstructor().newInstance();
            assertEquals("caught", type.getMethod("get", long.class, TimeUnit.class).invoke(future, 1L, TimeUnit.SECONDS));
        } finally {
            TaskProbes.exit(waiterTask, slot, start, null);
        }
        assertEquals(0, recorder(waiterTask).futureTimeouts());
    }

    @Test
    void aHookTheClassLacksIsReportedAndTheOthersAreWovenKeepingTheirResults() throws Exception {
        String timedGet = "get(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;";
        Class<?> type = weave(COMPLETABLE_FUTURE, LikeCompletableFuture.class, List.of(timedGet));
        Object future = type.getDeclaredConstructor().newInstance();
        Method complete = type.getMethod("completeExceptionally", Throwable.class);
        int task = task("completes");
        long start = System.nanoTime();
        int slot = TaskProbes.enter(task, 0, start);
        try {
            assertEquals(false, complete.invoke(future, new TimeoutException()), "the method's own result");
            type.getField("completes").set(future, true);
            assertEquals(true, complete.invoke(future, new IllegalStateException()));
            assertEquals(0, recorder(task).futureTimeouts(), "not completed, or not by a timeout: not counted");
            assertEquals(true, complete.invoke(future, new TimeoutException()));
            assertEquals(1, recorder(task).futureTimeouts(), "orTimeout's way: completed by a TimeoutException");
        } finally {
            TaskProbes.exit(task, slot, start, null);
        }
    }

    @Test
    void aClassWithoutHooksIsLeftAlone() throws Exception {
        assertEquals(null, JdkHookWeaver.weave("java.util.HashMap", DefiningLoader.classFile(LikeFutureTask.class), new ArrayList<>()));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** Weaves {@code type} with the hooks of {@code hookedClass}, checks what is missing, and defines it. */
    private static Class<?> weave(String hookedClass, Class<?> type, List<String> expectMissing) throws IOException {
        List<String> missing = new ArrayList<>();
        byte[] woven = JdkHookWeaver.weave(hookedClass, DefiningLoader.classFile(type), missing);
        assertEquals(expectMissing, missing);
        return new DefiningLoader(JdkHookWeaverTest.class.getClassLoader(), type, woven).load();
    }

    private static int task(String name) {
        // A label of its own per test run, so that counts start from nothing.
        return TaskRecorders.registerTask("JdkHookWeaverTest." + name + "." + System.nanoTime(), TaskRecorder.NO_DEADLINE);
    }

    private static TaskRecorder recorder(int probeId) {
        return TaskRecorders.recorder(probeId);
    }

    private static Throwable thrownBy(Method method, Object target) {
        Object[] arguments = method.getParameterCount() == 0 ? new Object[0] : new Object[] {1L, TimeUnit.SECONDS};
        return assertThrows(InvocationTargetException.class, () -> method.invoke(target, arguments)).getCause();
    }

    /** The probes each method calls, by name and descriptor; methods calling none are left out. */
    private static Map<String, List<String>> probeCalls(byte[] classFile) {
        Map<String, List<String>> calls = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String methodDescriptor, boolean itf) {
                        if (owner.equals("io/agentmon/bootstrap/JdkHookProbes")) {
                            calls.computeIfAbsent(name + descriptor, k -> new ArrayList<>()).add(method);
                        }
                    }
                };
            }
        }, 0);
        return calls;
    }

}

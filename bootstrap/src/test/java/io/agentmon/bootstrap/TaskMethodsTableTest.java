package io.agentmon.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The method table grows with what is registered (issue 12: no {@link TaskMethods#MAX_METHODS}
 * slots up front) and still stops at {@link TaskMethods#MAX_METHODS}. It fills the table, so it
 * runs on a fresh copy of the class in a loader of its own, leaving the suite's table alone.
 */
class TaskMethodsTableTest {

    @Test
    void theTableGrowsAsMethodsAreRegisteredAndStopsAtItsBound() throws Exception {
        Class<?> table = new IsolatedLoader(TaskMethods.class.getName()).loadClass(TaskMethods.class.getName());
        Method register = table.getMethod("register", String.class, String.class, String.class, ClassLoader.class);
        Method className = table.getMethod("className", int.class);
        Method methodName = table.getMethod("methodName", int.class);
        Method loader = table.getDeclaredMethod("loader", int.class);
        Method capacity = table.getDeclaredMethod("capacity");
        loader.setAccessible(true);
        capacity.setAccessible(true);
        ClassLoader mine = getClass().getClassLoader();

        assertEquals(TaskMethods.INITIAL, capacity.invoke(null), "nothing preallocated past the first few");
        assertNull(className.invoke(null, TaskMethods.UNKNOWN));
        assertNull(className.invoke(null, 5), "an id not handed out yet");
        for (int id = 1; id < TaskMethods.MAX_METHODS; id++) {
            assertEquals(id, register.invoke(null, "t.C" + id, "run", "()V", mine));
            if (id == TaskMethods.INITIAL) {
                assertEquals(2 * TaskMethods.INITIAL, capacity.invoke(null), "doubled when full");
            }
        }
        assertEquals(TaskMethods.MAX_METHODS, capacity.invoke(null));
        assertEquals(TaskMethods.UNKNOWN, register.invoke(null, "t.Past", "run", "()V", mine), "full: the shared id");
        assertEquals(TaskMethods.UNKNOWN, register.invoke(null, "t.Past2", "run", "()V", mine));
        assertEquals(7, register.invoke(null, "t.C7", "run", "()V", mine), "a known method keeps its id when full");
        assertEquals(TaskMethods.MAX_METHODS, capacity.invoke(null), "never past the bound");
        for (int id = 1; id < TaskMethods.MAX_METHODS; id += 997) {
            assertEquals("t.C" + id, className.invoke(null, id), "kept across the copies");
            assertEquals("run", methodName.invoke(null, id));
            assertEquals(mine, loader.invoke(null, id));
        }
        assertEquals("t.C" + (TaskMethods.MAX_METHODS - 1), className.invoke(null, TaskMethods.MAX_METHODS - 1));
        InvocationTargetException past = assertThrows(InvocationTargetException.class,
                () -> className.invoke(null, TaskMethods.MAX_METHODS + 7));
        assertEquals(IndexOutOfBoundsException.class, past.getCause().getClass());
    }
}

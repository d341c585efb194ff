package io.agentmon.benchmarks;

import benchworker.TaskFailure;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Task classes made at run time, one per task label: {@code benchgen.Task0} ... {@code
 * benchgen.Task<N-1>}, each {@code public class TaskK implements Runnable { public void run() {
 * ScrapeWork.run(); } }}, as {@code benchworker.ManyTasksWorker} makes them, but written
 * directly as class files (what javac emits for that source, less the debug attributes) instead
 * of compiled, since every benchmark fork makes its own and none should wait for javac. They are
 * defined by an ordinary class
 * loader, so the agent's transformer sees them as it sees any worker class and weaves
 * {@code run()} under {@code agentmon.tasks=benchgen.Task*#run}, labelled {@code TaskK.run}.
 */
final class GeneratedTasks {

    static final String MATCHER = "benchgen.Task*#run";

    private GeneratedTasks() {
    }

    static String label(int k) {
        return "Task" + k + ".run";
    }

    /** Defines and instantiates {@code count} task classes in a fresh class loader. */
    static Runnable[] load(int count) {
        Loader loader = new Loader(GeneratedTasks.class.getClassLoader());
        Runnable[] tasks = new Runnable[count];
        try {
            for (int k = 0; k < count; k++) {
                String name = "benchgen.Task" + k;
                tasks[k] = (Runnable) loader.define(name, classFile(name.replace('.', '/')))
                        .getDeclaredConstructor().newInstance();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate a generated task class: " + e, e);
        }
        return tasks;
    }

    /**
     * Runs every task its {@link ScrapeWork#RUNS} times as planned, on {@code threads} plain
     * threads (not a pool, which the agent would count as a pool with series of its own), each
     * taking every {@code threads}-th label: the long runs sleep, so many threads bring the wall
     * time down, and the short ones spin on whichever core is free.
     */
    static void runAll(Runnable[] tasks, int threads) throws InterruptedException {
        Thread[] workers = new Thread[threads];
        Throwable[] failed = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            int first = t;
            workers[t] = new Thread(() -> {
                for (int k = first; k < tasks.length; k += threads) {
                    for (int run = 0; run < ScrapeWork.RUNS; run++) {
                        ScrapeWork.plan(k, run);
                        try {
                            tasks[k].run();
                        } catch (TaskFailure expected) {
                            // the planned failure
                        } catch (Throwable e) {
                            synchronized (failed) {
                                failed[0] = e;
                            }
                        }
                    }
                }
            }, "scrape-recorder-" + t);
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failed[0] != null) {
            throw new IllegalStateException("a generated task failed unexpectedly: " + failed[0], failed[0]);
        }
    }

    /** The class file of {@code public class <name> implements Runnable}, version 55 (Java 11). */
    static byte[] classFile(String internalName) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(55);
            out.writeShort(17); // constant pool count: entries 1..16
            utf8(out, internalName);                          // 1
            classRef(out, 1);                                 // 2 this class
            utf8(out, "java/lang/Object");                    // 3
            classRef(out, 3);                                 // 4 super class
            utf8(out, "java/lang/Runnable");                  // 5
            classRef(out, 5);                                 // 6 interface
            utf8(out, "<init>");                              // 7
            utf8(out, "()V");                                 // 8
            nameAndType(out, 7, 8);                           // 9
            memberRef(out, 4, 9);                             // 10 Object.<init>()V
            utf8(out, "run");                                 // 11
            utf8(out, "Code");                                // 12
            utf8(out, ScrapeWork.class.getName().replace('.', '/')); // 13
            classRef(out, 13);                                // 14
            nameAndType(out, 11, 8);                          // 15 run()V
            memberRef(out, 14, 15);                           // 16 ScrapeWork.run()V
            out.writeShort(0x0021); // public super
            out.writeShort(2);
            out.writeShort(4);
            out.writeShort(1);
            out.writeShort(6);
            out.writeShort(0); // fields
            out.writeShort(2); // methods
            // public <init>() { super(); }: aload_0, invokespecial #10, return
            method(out, 7, 1, 1, new byte[] {0x2a, (byte) 0xb7, 0, 10, (byte) 0xb1});
            // public void run() { ScrapeWork.run(); }: invokestatic #16, return
            method(out, 11, 0, 1, new byte[] {(byte) 0xb8, 0, 16, (byte) 0xb1});
            out.writeShort(0); // class attributes
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void utf8(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8); // ASCII only here, so plain UTF-8 is modified UTF-8
        out.writeByte(1);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static void classRef(DataOutputStream out, int name) throws IOException {
        out.writeByte(7);
        out.writeShort(name);
    }

    private static void nameAndType(DataOutputStream out, int name, int descriptor) throws IOException {
        out.writeByte(12);
        out.writeShort(name);
        out.writeShort(descriptor);
    }

    private static void memberRef(DataOutputStream out, int owner, int nameAndType) throws IOException {
        out.writeByte(10);
        out.writeShort(owner);
        out.writeShort(nameAndType);
    }

    /** A public method named by constant {@code name}, descriptor {@code ()V} (constant 8). */
    private static void method(DataOutputStream out, int name, int maxStack, int maxLocals, byte[] code)
            throws IOException {
        out.writeShort(0x0001);
        out.writeShort(name);
        out.writeShort(8);
        out.writeShort(1);
        out.writeShort(12); // "Code"
        out.writeInt(2 + 2 + 4 + code.length + 2 + 2);
        out.writeShort(maxStack);
        out.writeShort(maxLocals);
        out.writeInt(code.length);
        out.write(code);
        out.writeShort(0); // exception table
        out.writeShort(0); // code attributes
    }

    private static final class Loader extends ClassLoader {
        Loader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}

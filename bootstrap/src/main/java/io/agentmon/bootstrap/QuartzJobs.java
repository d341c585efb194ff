package io.agentmon.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Quartz's jobs by job key (name and group), with what the scheduler decided about them rather
 * than what they did: triggers that misfired and runs a {@code TriggerListener} vetoed. A
 * misfire names only the trigger's job key, so the key's job class is learned wherever the
 * scheduler hands a job detail over (added to the scheduler, about to run, vetoed); the agent
 * labels each key's counts by that class at scrape time. Misfires counted while no class was
 * known are kept apart ({@link Entry#misfiresUnknown}), so that no series shrinks when the class
 * is learned later.
 *
 * <p>A fixed, lock-free open-addressing table: a key's entry sits within {@link #PROBE_LIMIT}
 * slots of its hash, claimed by CAS, and is never removed (job keys are few and long-lived).
 * Finding a known key compares two strings and allocates nothing; a key's first sight
 * allocates its entry, and a class seen for it for the first time a weak reference (the job's
 * class loader is never held). Keys beyond the table's room are counted in {@link #overflow}.
 *
 * <p><b>Threads.</b> Written by Quartz's threads (the scheduler thread, its pool's threads,
 * the threads that schedule jobs), any number at once; read by agent threads at scrape time.
 * Nothing here locks or throws.
 */
public final class QuartzJobs {

    /** Slots in the table; a power of two. */
    public static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;
    private static final int PROBE_LIMIT = 32;

    /** What {@link Entry#jobClass} returns while no job detail has named the key's class. */
    public static final Class<?> UNKNOWN_CLASS = Void.class;

    private static final AtomicReferenceArray<Entry> ENTRIES = new AtomicReferenceArray<>(SLOTS);
    private static final Entry OVERFLOW = new Entry(null, null);

    private QuartzJobs() {
    }

    /** A job detail for {@code name}/{@code group} names {@code jobClass}. */
    public static void learned(String name, String group, Class<?> jobClass) {
        Entry entry = entry(name, group);
        if (entry != OVERFLOW && jobClass != null) {
            entry.learn(jobClass);
        }
    }

    /** A trigger of the job {@code name}/{@code group} misfired (Quartz notified its listeners). */
    public static void misfired(String name, String group) {
        Entry entry = entry(name, group);
        (entry.jobClass == null ? entry.misfiresUnknown : entry.misfires).increment();
    }

    /** A {@code TriggerListener} vetoed a run of the job {@code name}/{@code group}, of {@code jobClass}. */
    public static void vetoed(String name, String group, Class<?> jobClass) {
        Entry entry = entry(name, group);
        if (jobClass != null && entry != OVERFLOW) {
            entry.learn(jobClass);
        }
        entry.vetoes.increment();
    }

    /** The entry in {@code slot}, or null; for agent threads walking the table. */
    public static Entry entry(int slot) {
        return ENTRIES.get(slot);
    }

    /** What was counted for keys the table had no room for. */
    public static Entry overflow() {
        return OVERFLOW;
    }

    /** The entry of a key, created on first sight; {@link #OVERFLOW} when its neighbourhood is full. */
    private static Entry entry(String name, String group) {
        if (name == null || group == null) {
            return OVERFLOW;
        }
        int home = (name.hashCode() * 31 + group.hashCode()) & MASK;
        for (int i = 0; i < PROBE_LIMIT; i++) {
            int slot = (home + i) & MASK;
            Entry current = ENTRIES.get(slot);
            while (current == null) {
                Entry created = new Entry(name, group);
                if (ENTRIES.compareAndSet(slot, null, created)) {
                    return created;
                }
                current = ENTRIES.get(slot); // lost the slot: it may be this key's, put there just now
            }
            if (current.is(name, group)) {
                return current;
            }
        }
        return OVERFLOW;
    }

    /** One job key's counts. */
    public static final class Entry {
        private final String name;
        private final String group;
        private volatile WeakReference<Class<?>> jobClass;
        final LongAdder misfires = new LongAdder();
        /** Misfires counted while the key's class was unknown: they stay so, each series only grows. */
        final LongAdder misfiresUnknown = new LongAdder();
        final LongAdder vetoes = new LongAdder();

        Entry(String name, String group) {
            this.name = name;
            this.group = group;
        }

        boolean is(String otherName, String otherGroup) {
            return name.equals(otherName) && group.equals(otherGroup);
        }

        void learn(Class<?> seen) {
            WeakReference<Class<?>> known = jobClass;
            if (known == null || known.get() != seen) {
                jobClass = new WeakReference<>(seen); // a job key rebound to another class keeps the latest
            }
        }

        /** The job class last seen for this key, or {@link #UNKNOWN_CLASS}; null once that class was unloaded. */
        public Class<?> jobClass() {
            WeakReference<Class<?>> known = jobClass;
            return known == null ? UNKNOWN_CLASS : known.get();
        }

        /** Misfires since the key's class was known (all of them for the overflow). */
        public long misfires() {
            return misfires.sum();
        }

        /** Misfires counted before any job detail named the key's class. */
        public long misfiresUnknown() {
            return misfiresUnknown.sum();
        }

        public long vetoes() {
            return vetoes.sum();
        }
    }
}

package io.agentmon.bootstrap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link InFlight} claim/release, on the real {@link InFlight.Table} sized so that every claim
 * collides (the agent's table has 4096 slots and homes from thread ids, where two jcstress
 * actors would almost never meet): two threads never own one slot, a released slot is
 * claimable again, the owner's reads of its slot come before the next claimer's writes, and a
 * reader that sees a run's thread sees its probe and start.
 */
public final class InFlightStress {

    private InFlightStress() {
    }

    /** The run that held slot 0 before each test (a thread object that never runs). */
    static final Thread EARLIER_RUN = new Thread("earlier run");

    /** Two threads claim from the same home in a two-slot table: each gets a slot of its own, holding its own run. */
    @JCStressTest
    @Outcome(id = {"0, 1, 1", "1, 0, 1"}, expect = ACCEPTABLE, desc = "One slot each, each listing its own thread and probe.")
    @Outcome(expect = FORBIDDEN, desc = "Two owners of one slot, a claim refused with a slot free, or a slot listing the wrong run.")
    @State
    public static class ClaimRace {
        final InFlight.Table table = new InFlight.Table(2);
        Thread first;
        Thread second;
        int firstSlot;
        int secondSlot;

        @Actor
        public void run1() {
            first = Thread.currentThread();
            firstSlot = table.claim(first, 0, 1, 100);
        }

        @Actor
        public void run2() {
            second = Thread.currentThread();
            secondSlot = table.claim(second, 0, 2, 200);
        }

        @Arbiter
        public void check(III_Result r) {
            r.r1 = firstSlot;
            r.r2 = secondSlot;
            r.r3 = firstSlot >= 0 && secondSlot >= 0
                    && table.thread(firstSlot) == first && table.probe(firstSlot) == 1 && table.startNanos(firstSlot) == 100
                    && table.thread(secondSlot) == second && table.probe(secondSlot) == 2 && table.startNanos(secondSlot) == 200
                    ? 1 : 0;
        }
    }

    /**
     * A one-slot table, full: its owner reads its probe and releases the slot while another
     * thread claims. The claim succeeds only after the release; if it came too early, the slot
     * is claimable afterwards; and the owner's read never sees the next run's probe.
     */
    @JCStressTest
    @Outcome(id = "1, 0, -1", expect = ACCEPTABLE, desc = "Claimed after the release and listed; nobody else can claim it now.")
    @Outcome(id = "1, -1, 0", expect = ACCEPTABLE, desc = "Claim came before the release and was refused; the freed slot is claimable.")
    @Outcome(expect = FORBIDDEN,
            desc = "Two owners, a released slot not claimable, the new run unlisted, or the owner read the next run's probe.")
    @State
    public static class ReleaseThenClaim {
        final InFlight.Table table = new InFlight.Table(1);
        int ownerRead;
        int claimed;
        Thread next;

        public ReleaseThenClaim() {
            table.claim(EARLIER_RUN, 0, 1, 100);
        }

        @Actor
        public void owner() {
            ownerRead = table.probe(0); // what TaskProbes.exit reads of its slot before releasing it
            table.release(0);
        }

        @Actor
        public void next() {
            next = Thread.currentThread();
            claimed = table.claim(next, 0, 2, 200);
        }

        @Arbiter
        public void check(III_Result r) {
            r.r1 = ownerRead;
            // The release's two stores must not undo the next claim (the claimer's run listed as its own).
            r.r2 = claimed == 0 && (table.thread(0) != next || table.probe(0) != 2) ? -100 : claimed;
            r.r3 = table.claim(EARLIER_RUN, 0, 3, 300);
        }
    }

    /**
     * An agent thread reads the table while a thread claims four runs (nested, as a task calling
     * tasks): every run the reader sees listed comes with its own probe and start, stored before
     * the ordered store of the thread. The reader scans against the claim order, so that it
     * meets each claim in progress.
     */
    @JCStressTest
    @Outcome(id = "[0-4], 0", expect = ACCEPTABLE, desc = "Each run listed (the first number: how many) came with its probe and start.")
    @Outcome(expect = FORBIDDEN, desc = "A run listed before its probe or start was visible.")
    @State
    public static class ReaderSeesListedRunsWhole {
        static final int RUNS = 4;
        final InFlight.Table table = new InFlight.Table(RUNS);

        @Actor
        public void nestedRuns() {
            Thread current = Thread.currentThread();
            for (int i = 0; i < RUNS; i++) {
                table.claim(current, 0, 7 + i, 42 + i); // gets slot i: the ones before are this thread's
            }
        }

        @Actor
        public void reader(II_Result r) {
            int whole = 0;
            int broken = 0;
            for (int slot = RUNS - 1; slot >= 0; slot--) {
                if (table.thread(slot) == null) {
                    continue;
                }
                if (table.probe(slot) == 7 + slot && table.startNanos(slot) == 42 + slot) {
                    whole++;
                } else {
                    broken++;
                }
            }
            r.r1 = whole;
            r.r2 = broken;
        }
    }
}

package io.agentmon.bootstrap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link IdentityTable} claim/take/remove/sweep on the real class, in a one-slot table so
 * that every key meets every other: a slot has one key at a time, a claim is freed exactly
 * once (so a value has one taker), and removing one key never removes another.
 */
public final class IdentityTableStress {

    private IdentityTableStress() {
    }

    static final Object A = new Object();
    static final Object B = new Object();

    /** Takes {@code key} as the owners do ({@code QueueWaits}, {@code Handoffs}): read the value, then release; -1 if not ours. */
    static int take(IdentityTable table, int[] values, Object key) {
        for (int i = 0; i < IdentityTable.PROBE_LIMIT; i++) {
            int slot = table.slot(key, i);
            if (table.holds(slot, key)) {
                int value = values[slot];
                if (table.release(slot, key)) {
                    return value;
                }
            }
        }
        return -1;
    }

    /** Two keys claim the one slot: one gets it, the other is refused and counted; the slot holds the winner. */
    @JCStressTest
    @Outcome(id = {"0, -1, 1", "-1, 0, 2"}, expect = ACCEPTABLE, desc = "One key holds the slot; the other claim is refused and counted.")
    @Outcome(expect = FORBIDDEN, desc = "Two keys own one slot, both refused, or a refusal not counted.")
    @State
    public static class ClaimRace {
        final IdentityTable table = new IdentityTable(1);
        int slotA;
        int slotB;

        @Actor
        public void claimA() {
            slotA = table.claim(A, 1);
        }

        @Actor
        public void claimB() {
            slotB = table.claim(B, 1);
        }

        @Arbiter
        public void check(III_Result r) {
            r.r1 = slotA;
            r.r2 = slotB;
            boolean holdsA = table.holds(0, A);
            boolean holdsB = table.holds(0, B);
            r.r3 = table.overflows() != 1 ? -1 : holdsA && !holdsB ? 1 : holdsB && !holdsA ? 2 : 0;
        }
    }

    /** Two threads take the same key: exactly one gets its value. */
    @JCStressTest
    @Outcome(id = {"5, -1", "-1, 5"}, expect = ACCEPTABLE, desc = "One taker got the value, the other found nothing.")
    @Outcome(expect = FORBIDDEN, desc = "Two owners of one claim, or the claim lost.")
    @State
    public static class TakeRace {
        final IdentityTable table = new IdentityTable(1);
        final int[] values = new int[1];

        public TakeRace() {
            values[table.claim(A, 1)] = 5;
        }

        @Actor
        public void taker1(II_Result r) {
            r.r1 = take(table, values, A);
        }

        @Actor
        public void taker2(II_Result r) {
            r.r2 = take(table, values, A);
        }
    }

    /**
     * Two threads remove key A; the second then claims key B into the slot A left. Exactly one
     * remove succeeds, and the other, however it interleaves with B's claim, never removes B.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 0, 1", "0, 1, 0, 1"}, expect = ACCEPTABLE, desc = "A removed once; B claimed the slot and still holds it.")
    @Outcome(expect = FORBIDDEN, desc = "A removed twice or not at all, or removing A removed B.")
    @State
    public static class RemoveNeverRemovesAnother {
        final IdentityTable table = new IdentityTable(1);

        public RemoveNeverRemovesAnother() {
            table.claim(A, 1);
        }

        @Actor
        public void removeA(IIII_Result r) {
            r.r1 = table.remove(A) ? 1 : 0;
        }

        @Actor
        public void removeAThenClaimB(IIII_Result r) {
            r.r2 = table.remove(A) ? 1 : 0;
            r.r3 = table.claim(B, 1);
        }

        @Arbiter
        public void check(IIII_Result r) {
            r.r4 = table.holds(0, B) && !table.holds(0, A) ? 1 : 0;
        }
    }

    /** The sweeper frees a stale claim while its taker takes it: exactly one of them frees it. */
    @JCStressTest
    @Outcome(id = {"1, -1, 0", "0, 5, 0"}, expect = ACCEPTABLE, desc = "Swept, or taken with its value; freed once either way.")
    @Outcome(expect = FORBIDDEN, desc = "Swept and taken, or neither and still held.")
    @State
    public static class SweepVersusTake {
        final IdentityTable table = new IdentityTable(1);
        final int[] values = new int[1];

        public SweepVersusTake() {
            values[table.claim(A, System.nanoTime() - 1_000_000_000L)] = 5;
        }

        @Actor
        public void sweeper() {
            table.sweepOlderThan(1_000_000L);
        }

        @Actor
        public void taker(III_Result r) {
            r.r2 = take(table, values, A);
        }

        @Arbiter
        public void check(III_Result r) {
            r.r1 = (int) table.swept();
            r.r3 = table.holds(0, A) ? 1 : 0;
        }
    }
}

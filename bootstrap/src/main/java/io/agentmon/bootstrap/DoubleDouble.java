package io.agentmon.bootstrap;

/**
 * A number as the unevaluated sum of two doubles, {@code hi + lo} with {@code |lo| <= ulp(hi)/2}:
 * about 106 bits, enough to floor {@code 1e9 * 2^(i/2^s)} exactly up to 2^63 ns. Written with
 * Dekker's splitting rather than {@link Math#fma}, whose fallback in an interpreted premain is
 * BigDecimal, and BigDecimal's first use loads ForkJoinTask on JDK 25 (see {@link HistogramLayout}).
 */
final class DoubleDouble {

    final double hi;
    final double lo;

    private DoubleDouble(double hi, double lo) {
        this.hi = hi;
        this.lo = lo;
    }

    static DoubleDouble of(double value) {
        return new DoubleDouble(value, 0);
    }

    DoubleDouble times(DoubleDouble other) {
        double product = hi * other.hi;
        double error = productError(hi, other.hi, product) + (hi * other.lo + lo * other.hi);
        return normalized(product, error);
    }

    DoubleDouble sqrt() {
        double root = Math.sqrt(hi);
        double square = root * root;
        // One Newton step on the residue, worked out in double-double: (this - root^2) / (2 root).
        double residue = ((hi - square) - productError(root, root, square)) + lo;
        return normalized(root, residue / (2 * root));
    }

    /** Times 2^exponent: exact. */
    DoubleDouble scalb(int exponent) {
        return new DoubleDouble(Math.scalb(hi, exponent), Math.scalb(lo, exponent));
    }

    /** The largest long at or below this number, which must be below 2^63 and not negative. */
    long floor() {
        double whole = Math.floor(hi);
        if (whole == hi) { // hi is an integer (always, from 2^52 up): lo decides one step down
            long floor = hi == 0x1p63 ? Long.MIN_VALUE : (long) hi; // 2^63 itself only with lo < 0, wrapping below
            return floor + (long) Math.floor(lo);
        }
        double fraction = (hi - whole) + lo; // hi - whole is exact
        return (long) whole + (fraction >= 1 ? 1 : fraction < 0 ? -1 : 0);
    }

    /** a * b - product, exactly, for product = a * b rounded (Dekker). */
    private static double productError(double a, double b, double product) {
        double aSplit = 134217729.0 * a; // 2^27 + 1
        double aHi = aSplit - (aSplit - a);
        double aLo = a - aHi;
        double bSplit = 134217729.0 * b;
        double bHi = bSplit - (bSplit - b);
        double bLo = b - bHi;
        return ((aHi * bHi - product) + aHi * bLo + aLo * bHi) + aLo * bLo;
    }

    private static DoubleDouble normalized(double hi, double lo) {
        double sum = hi + lo;
        return new DoubleDouble(sum, lo - (sum - hi));
    }
}

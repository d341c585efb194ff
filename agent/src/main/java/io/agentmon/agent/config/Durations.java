package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import io.agentmon.agent.NameSyntax;

/**
 * Parses durations such as {@code 250ms}, {@code 2.5s} or {@code 5m}; a bare number is seconds.
 * Exact, in decimal digits and {@code long}s rather than {@link java.math.BigDecimal}: this runs
 * in premain, and on JDK 25 BigDecimal's first use loads ForkJoinTask (BigInteger's parallel
 * multiply) and ForkJoinPool, classes agentmon hooks, which would load and weave them there (and
 * built Byte Buddy there, before the JDK's classes had agentmon's own weaver).
 */
public final class Durations {

    private Durations() {
    }

    /** The duration in nanoseconds; throws {@link IllegalArgumentException} saying what is wrong. */
    public static long parseNanos(String text) {
        String value = text.trim();
        int unitStart = value.length();
        while (unitStart > 0 && Character.isLetter(value.charAt(unitStart - 1))) {
            unitStart--;
        }
        String unit = value.substring(unitStart);
        // Nanoseconds per unit, as a significand times a power of ten.
        int perUnit;
        int perUnitPower;
        switch (unit) {
            case "ns": perUnit = 1; perUnitPower = 0; break;
            case "us": perUnit = 1; perUnitPower = 3; break;
            case "ms": perUnit = 1; perUnitPower = 6; break;
            case "": case "s": perUnit = 1; perUnitPower = 9; break;
            case "m": perUnit = 6; perUnitPower = 10; break;
            case "h": perUnit = 36; perUnitPower = 11; break;
            default: throw new IllegalArgumentException(Echo.quote(text) + " has unknown unit " + Echo.quote(unit) + " (use ns, us, ms, s, m or h)");
        }
        String number = value.substring(0, unitStart);
        String[] amount = amount(number);
        if (amount == null) {
            throw new IllegalArgumentException(Echo.quote(text) + " is not a duration such as 250ms, 2.5s or 5m");
        }
        // The amount as digits times a power of ten, e.g. 2.5e3 is 25 x 10^2.
        String mantissa = amount[0];
        int point = mantissa.indexOf('.');
        String digits = point < 0 ? mantissa : mantissa.substring(0, point) + mantissa.substring(point + 1);
        long scale = (amount[1] == null ? 0 : Long.parseLong(amount[1]))
                - (point < 0 ? 0 : mantissa.length() - point - 1);
        digits = withoutLeadingZeros(digits);
        if (number.startsWith("-") || digits.isEmpty()) {
            throw new IllegalArgumentException(Echo.quote(text) + " is not a positive duration");
        }
        String product = times(digits, perUnit);
        scale += perUnitPower;
        String whole;
        boolean fraction;
        if (scale >= 0) {
            if (product.length() + scale > 19) {
                throw tooLong(text);
            }
            whole = product + "0".repeat((int) scale);
            fraction = false;
        } else {
            if (-scale >= product.length()) {
                throw new IllegalArgumentException(Echo.quote(text) + " is shorter than a nanosecond");
            }
            whole = product.substring(0, product.length() - (int) -scale);
            fraction = !withoutLeadingZeros(product.substring(whole.length())).isEmpty();
        }
        long nanos;
        try {
            nanos = Long.parseLong(whole);
        } catch (NumberFormatException e) {
            throw tooLong(text);
        }
        if (nanos == Long.MAX_VALUE && fraction) {
            throw tooLong(text);
        }
        return nanos; // a fraction of a nanosecond is dropped
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException(Echo.quote(text) + " is too long (at most 2562047h)");
    }

    /**
     * {@code [-+]? (digits [. digits?] | . digits) ([eE] [-+]? 1-9 digits)?} in ASCII digits only
     * (the arithmetic reads each digit as {@code c - '0'}): the mantissa without its sign, and the
     * exponent with its sign or null; null when {@code number} is not of that form.
     */
    private static String[] amount(String number) {
        int at = number.startsWith("-") || number.startsWith("+") ? 1 : 0;
        int mantissaStart = at;
        at = skipDigits(number, at);
        int integerDigits = at - mantissaStart;
        int fractionDigits = 0;
        if (at < number.length() && number.charAt(at) == '.') {
            int fractionStart = at + 1;
            at = skipDigits(number, fractionStart);
            fractionDigits = at - fractionStart;
        }
        if (integerDigits == 0 && fractionDigits == 0) {
            return null;
        }
        String mantissa = number.substring(mantissaStart, at);
        String exponent = null;
        if (at < number.length() && (number.charAt(at) == 'e' || number.charAt(at) == 'E')) {
            int exponentStart = at + 1;
            int digitsStart = exponentStart < number.length() && (number.charAt(exponentStart) == '-' || number.charAt(exponentStart) == '+')
                    ? exponentStart + 1 : exponentStart;
            at = skipDigits(number, digitsStart);
            if (at == digitsStart || at - digitsStart > 9) {
                return null;
            }
            exponent = number.substring(exponentStart, at);
        }
        return at == number.length() ? new String[] {mantissa, exponent} : null;
    }

    private static int skipDigits(String text, int from) {
        int at = from;
        while (at < text.length() && NameSyntax.asciiDigit(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static String withoutLeadingZeros(String digits) {
        int first = 0;
        while (first < digits.length() && digits.charAt(first) == '0') {
            first++;
        }
        return digits.substring(first);
    }

    /** Decimal digits times a small factor, as digits. */
    private static String times(String digits, int factor) {
        char[] out = new char[digits.length() + 2];
        int carry = 0;
        int at = out.length;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = (digits.charAt(i) - '0') * factor + carry;
            out[--at] = (char) ('0' + d % 10);
            carry = d / 10;
        }
        while (carry > 0) {
            out[--at] = (char) ('0' + carry % 10);
            carry /= 10;
        }
        return new String(out, at, out.length - at);
    }
}

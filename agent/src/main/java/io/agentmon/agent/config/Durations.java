package io.agentmon.agent.config;

import io.agentmon.agent.Echo;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** Parses durations such as {@code 250ms}, {@code 2.5s} or {@code 5m}; a bare number is seconds. */
public final class Durations {

    /** ASCII digits only: BigDecimal alone would also take Arabic-Indic or fullwidth ones. */
    private static final Pattern AMOUNT = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,9})?");

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
        long nanosPerUnit;
        switch (unit) {
            case "ns": nanosPerUnit = 1L; break;
            case "us": nanosPerUnit = 1_000L; break;
            case "ms": nanosPerUnit = 1_000_000L; break;
            case "": case "s": nanosPerUnit = 1_000_000_000L; break;
            case "m": nanosPerUnit = 60_000_000_000L; break;
            case "h": nanosPerUnit = 3_600_000_000_000L; break;
            default: throw new IllegalArgumentException(Echo.quote(text) + " has unknown unit " + Echo.quote(unit) + " (use ns, us, ms, s, m or h)");
        }
        BigDecimal amount;
        try {
            String number = value.substring(0, unitStart);
            if (!AMOUNT.matcher(number).matches()) {
                throw new NumberFormatException(number);
            }
            amount = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Echo.quote(text) + " is not a duration such as 250ms, 2.5s or 5m");
        }
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException(Echo.quote(text) + " is not a positive duration");
        }
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException(Echo.quote(text) + " is shorter than a nanosecond");
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(Echo.quote(text) + " is too long (at most 2562047h)");
        }
        return nanos.setScale(0, RoundingMode.DOWN).longValueExact();
    }
}

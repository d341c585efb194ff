package io.agentmon.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
        "1ns, 1",
        "7us, 7000",
        "250ms, 250000000",
        "2s, 2000000000",
        "2, 2000000000",
        "5m, 300000000000",
        "1h, 3600000000000",
        "2.5s, 2500000000",
        "0.5ms, 500000",
        "0.001, 1000000",
        "1.5ns, 1",
        "1e3ms, 1000000000",
        "'  10ms  ', 10000000",
        "2562047h, 9223369200000000000",
    })
    void parsesEveryUnit(String text, long nanos) {
        assertEquals(nanos, Durations.parseNanos(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10sec", "10S", "10MS", "1d", "5 min", "1x"})
    void unknownUnitIsNamed(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text)).getMessage();
        assertTrue(message.contains("unknown unit"), message);
        assertTrue(message.contains("'" + text + "'"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "ms", "abc1s", "1.2.3s", "1,5s", "NaN", "--1s", "5 ms"})
    void notANumberIsRejected(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text)).getMessage();
        assertTrue(message.contains("'" + text + "'"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0.0ms", "-1s", "-0.5"})
    void zeroAndNegativeAreRejected(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text)).getMessage();
        assertTrue(message.contains("not a positive duration"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1ns", "0.0000000001s", "1e-13h"})
    void lessThanOneNanosecondIsRejectedRatherThanReadAsZero(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text)).getMessage();
        assertTrue(message.contains("shorter than a nanosecond"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2562048h", "9223372037s", "1e30h", "1e999999999s"})
    void tooLongIsRejectedRatherThanWrappedAround(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text)).getMessage();
        assertTrue(message.contains("too long"), message);
    }

    /**
     * The parser works in digits and longs (BigDecimal in premain loads ForkJoinTask on JDK 25);
     * here it is held to BigDecimal's exact answer over random amounts, units and exponents.
     */
    @Test
    void agreesWithExactDecimalArithmetic() {
        Random random = new Random(20261202L);
        String[] units = {"ns", "us", "ms", "s", "", "m", "h"};
        long[] perUnit = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder amount = new StringBuilder();
            for (int d = random.nextInt(4); d >= 0; d--) {
                amount.append(random.nextInt(3) == 0 ? '0' : (char) ('0' + random.nextInt(10)));
            }
            if (random.nextBoolean()) {
                amount.append('.');
                for (int d = random.nextInt(25); d > 0; d--) {
                    amount.append((char) ('0' + random.nextInt(10)));
                }
            }
            if (random.nextInt(3) == 0) {
                amount.append('e').append(random.nextInt(45) - 22);
            }
            int unit = random.nextInt(units.length);
            String text = amount + units[unit];
            BigDecimal nanos = new BigDecimal(amount.toString()).multiply(BigDecimal.valueOf(perUnit[unit]));
            String expected;
            if (nanos.signum() <= 0) {
                expected = "not a positive duration";
            } else if (nanos.compareTo(BigDecimal.ONE) < 0) {
                expected = "shorter than a nanosecond";
            } else if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                expected = "too long";
            } else {
                expected = Long.toString(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
            }
            String actual;
            try {
                actual = Long.toString(Durations.parseNanos(text));
            } catch (IllegalArgumentException e) {
                actual = e.getMessage();
            }
            assertTrue(actual.equals(expected) || actual.contains(expected), text + ": " + actual + ", exactly " + expected);
        }
    }

    @Test
    void longestOrJustOverIsDecidedByTheFraction() {
        assertEquals(Long.MAX_VALUE, Durations.parseNanos(Long.MAX_VALUE + ".0ns"));
        String message = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(Long.MAX_VALUE + ".5ns")).getMessage();
        assertTrue(message.contains("too long"), message);
    }

    @Test
    void theLongestDurationIsExact() {
        assertEquals(Long.MAX_VALUE, Durations.parseNanos(Long.MAX_VALUE + "ns"));
    }

    /**
     * The amount is read by hand, not by a regular expression (premain's cost): it accepts
     * exactly the numbers the expression it replaced did, kept here as its specification.
     */
    @Test
    void theAmountIsReadAsItsRegularExpressionDid() {
        java.util.regex.Pattern amount = java.util.regex.Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,9})?");
        String[] pieces = {"0", "1", "7", ".", "e", "E", "+", "-", "\u0663", "12", "000000000"};
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder number = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                number.append(pieces[random.nextInt(pieces.length)]);
            }
            if (number.length() > 0 && Character.isLetter(number.charAt(number.length() - 1))) {
                continue; // a trailing letter would be read as part of the unit
            }
            boolean readAsNumber;
            try {
                Durations.parseNanos(number + "ms");
                readAsNumber = true;
            } catch (IllegalArgumentException e) {
                readAsNumber = !e.getMessage().contains("is not a duration such as");
            }
            assertEquals(amount.matcher(number).matches(), readAsNumber, number.toString());
        }
    }
}

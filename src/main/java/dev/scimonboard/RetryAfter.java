package dev.scimonboard;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads a {@code Retry-After} header: whole or fractional seconds (Graph sends {@code 2.128}), or an HTTP date. */
public final class RetryAfter {
    /** A wait longer than this is taken as this: a step should not sleep for hours on one answer. */
    private static final Duration LONGEST = Duration.ofMinutes(10);

    private RetryAfter() {
    }

    /**
     * Parses the header's value.
     *
     * @param value such as {@code 2.128}, {@code 30} or {@code Wed, 21 Oct 2015 07:28:00 GMT}
     * @return the wait, or null when the value is not understood
     */
    public static Duration parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            BigDecimal seconds = new BigDecimal(text);
            if (seconds.signum() < 0) {
                return null;
            }
            long millis = seconds.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
            return min(Duration.ofMillis(millis));
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return min(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static Duration min(Duration wait) {
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}

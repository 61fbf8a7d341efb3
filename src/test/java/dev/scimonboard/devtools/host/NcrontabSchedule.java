package dev.scimonboard.devtools.host;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A timer trigger's schedule: an NCRONTAB expression of six fields, {@code second minute hour day month
 * day-of-week}, as the Functions host reads it. Each field takes a number, {@code *}, a range {@code a-b}, a step
 * ({@code *}{@code /n} or {@code a-b/n}), or a comma-separated list of those; months and days of the week may be named
 * ({@code JAN}, {@code MON}). A day matches when both the day and the day-of-week fields match, as in NCrontab.
 * Times are UTC, the Functions host's default time zone.
 */
final class NcrontabSchedule {

    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
        Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
        Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4,
        "FRI", 5, "SAT", 6);
    /** Far enough to find the next 29 February, or to tell that an expression such as 31 February never comes. */
    private static final int SEARCH_YEARS = 8;

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet daysOfWeek;

    private NcrontabSchedule(String expression, String[] fields) {
        this.expression = expression;
        this.seconds = field(fields[0], "second", 0, 59, Map.of());
        this.minutes = field(fields[1], "minute", 0, 59, Map.of());
        this.hours = field(fields[2], "hour", 0, 23, Map.of());
        this.days = field(fields[3], "day", 1, 31, Map.of());
        this.months = field(fields[4], "month", 1, 12, MONTHS);
        this.daysOfWeek = field(fields[5], "day-of-week", 0, 6, DAYS);
    }

    /**
     * Reads an expression.
     *
     * @param expression six fields separated by spaces, such as {@code 0 *}{@code /15 * * * *} (every quarter hour)
     * @return the schedule
     * @throws IllegalArgumentException when the expression is not six valid fields; the message says which
     */
    static NcrontabSchedule parse(String expression) {
        String trimmed = expression == null ? "" : expression.trim();
        String[] fields = trimmed.split("\\s+");
        if (fields.length != 6) {
            throw new IllegalArgumentException("'" + expression + "' is not an NCRONTAB expression of six fields "
                + "(second minute hour day month day-of-week), such as '0 */15 * * * *'");
        }
        return new NcrontabSchedule(trimmed, fields);
    }

    /**
     * The first occurrence strictly after a time.
     *
     * @param after the time
     * @return the next occurrence, a whole second
     * @throws IllegalStateException when the schedule never occurs (such as the 31st of February)
     */
    Instant next(Instant after) {
        ZonedDateTime time = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        ZonedDateTime limit = time.plusYears(SEARCH_YEARS);
        while (time.isBefore(limit)) {
            // Move to the start of the next unit whenever a coarser field does not match: a few hundred steps at most.
            if (!months.get(time.getMonthValue())) {
                time = time.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!days.get(time.getDayOfMonth()) || !daysOfWeek.get(time.getDayOfWeek().getValue() % 7)) {
                time = time.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(time.getHour())) {
                time = time.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(time.getMinute())) {
                time = time.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(time.getSecond())) {
                time = time.plusSeconds(1);
            } else {
                return time.toInstant();
            }
        }
        throw new IllegalStateException("the schedule '" + expression + "' never occurs");
    }

    @Override
    public String toString() {
        return expression;
    }

    /** One field as the set of values it allows. */
    private static BitSet field(String text, String name, int min, int max, Map<String, Integer> names) {
        BitSet allowed = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, 1, max - min + 1, Map.of(), text);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                from = number(range.substring(0, range.indexOf('-')), name, min, max, names, text);
                to = number(range.substring(range.indexOf('-') + 1), name, min, max, names, text);
                if (to < from) {
                    throw new IllegalArgumentException("the " + name + " field '" + text + "' has a range that runs "
                        + "backwards");
                }
            } else {
                from = number(range, name, min, max, names, text);
                // A single value with a step ("5/10") runs to the end of the field, as in NCrontab.
                to = slash >= 0 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                allowed.set(value);
            }
        }
        return allowed;
    }

    private static int number(String text, String name, int min, int max, Map<String, Integer> names,
                              String field) {
        Integer named = names.get(text.toUpperCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the " + name + " field '" + field + "' needs values from " + min
                + " to " + max + ", not '" + text + "'", e);
        }
    }
}

package dev.scimonboard.devtools.host;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NcrontabScheduleTest {

    @Test
    void aStepInTheMinuteFieldFiresEveryQuarterHourOnTheSecondZero() {
        NcrontabSchedule schedule = NcrontabSchedule.parse("0 */15 * * * *");

        assertEquals(at("2026-12-03T10:15:00Z"), schedule.next(at("2026-12-03T10:07:30Z")));
        assertEquals(at("2026-12-03T11:00:00Z"), schedule.next(at("2026-12-03T10:45:00Z")));
    }

    @Test
    void theNextOccurrenceIsStrictlyAfterTheGivenTime() {
        NcrontabSchedule schedule = NcrontabSchedule.parse("*/2 * * * * *");

        assertEquals(at("2026-12-03T10:00:04Z"), schedule.next(at("2026-12-03T10:00:02Z")));
        assertEquals(at("2026-12-03T10:00:02Z"), schedule.next(at("2026-12-03T10:00:00.900Z")));
    }

    @Test
    void listsRangesAndSteppedRangesCombine() {
        NcrontabSchedule schedule = NcrontabSchedule.parse("5,35 0 9-17/4 * * *");

        assertEquals(at("2026-12-03T09:00:05Z"), schedule.next(at("2026-12-03T08:59:59Z")));
        assertEquals(at("2026-12-03T09:00:35Z"), schedule.next(at("2026-12-03T09:00:05Z")));
        assertEquals(at("2026-12-03T13:00:05Z"), schedule.next(at("2026-12-03T09:00:35Z")));
        assertEquals(at("2026-12-04T09:00:05Z"), schedule.next(at("2026-12-03T17:00:35Z")));
    }

    @Test
    void namedMonthsAndWeekdaysAreRead() {
        // 2026-12-03 is a Thursday; the next Monday in January is 2027-01-04.
        NcrontabSchedule schedule = NcrontabSchedule.parse("0 30 6 * JAN MON");

        assertEquals(at("2027-01-04T06:30:00Z"), schedule.next(at("2026-12-03T00:00:00Z")));
    }

    @Test
    void aDayMatchesOnlyWhenBothTheDayAndTheWeekdayFieldsMatch() {
        // The 13th that is a Friday: August 2027 is the first after December 2026.
        NcrontabSchedule schedule = NcrontabSchedule.parse("0 0 0 13 * 5");

        assertEquals(at("2027-08-13T00:00:00Z"), schedule.next(at("2026-12-03T00:00:00Z")));
    }

    @Test
    void anExpressionWithoutSixFieldsIsRefusedWithAnExample() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> NcrontabSchedule.parse("*/5 * * * *"));

        assertTrue(refused.getMessage().contains("six fields"), refused.getMessage());
    }

    @Test
    void aValueOutsideItsFieldIsRefusedNamingTheField() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> NcrontabSchedule.parse("0 0 24 * * *"));

        assertTrue(refused.getMessage().contains("hour field"), refused.getMessage());
    }

    @Test
    void aScheduleThatNeverOccursSaysSo() {
        NcrontabSchedule schedule = NcrontabSchedule.parse("0 0 0 31 2 *");

        assertThrows(IllegalStateException.class, () -> schedule.next(at("2026-12-03T00:00:00Z")));
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }
}

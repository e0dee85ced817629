package dev.pgo.backup;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronScheduleTest {
    private static Instant next(String expression, String after) {
        return CronSchedule.parse(expression).next(Instant.parse(after));
    }

    @Test
    void nextRunFollowsEachFieldKind() {
        assertEquals(Instant.parse("2026-01-31T02:00:00Z"), next("0 2 * * *", "2026-01-30T02:00:00Z"));
        assertEquals(Instant.parse("2026-01-30T02:15:00Z"), next("*/15 * * * *", "2026-01-30T02:00:00Z"));
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), next("@monthly", "2026-01-15T10:00:00Z"));
        assertEquals(Instant.parse("2026-02-02T03:30:00Z"), next("30 3 * * MON", "2026-01-31T00:00:00Z"),
                "2026-02-02 is a Monday");
        assertEquals(Instant.parse("2026-03-01T09:00:00Z"), next("0 9-17/4 1 MAR *", "2026-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), next("0 0 29 2 *", "2026-03-01T00:00:00Z"));
        assertEquals(Instant.parse("2026-01-04T00:00:00Z"), next("0 0 * * 7", "2026-01-01T00:00:00Z"), "7 is Sunday");
    }

    @Test
    void restrictedDayFieldsMatchEitherAsInCron() {
        // the 15th or any Friday: 2026-01-02 is a Friday
        assertEquals(Instant.parse("2026-01-02T00:00:00Z"), next("0 0 15 * FRI", "2026-01-01T00:00:00Z"));
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 2 * *")).getMessage()
                .contains("5 fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("61 * * * *")).getMessage()
                .contains("minute 61"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 0 * * FUNDAY")).getMessage()
                .contains("not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 0 31 2 *")
                .next(Instant.parse("2026-01-01T00:00:00Z"))).getMessage().contains("never"));
    }
}

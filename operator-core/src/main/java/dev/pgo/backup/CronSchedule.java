package dev.pgo.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A five-field cron expression (minute, hour, day of month, month, day of week), evaluated in
 * UTC as a Kubernetes CronJob does: lists, ranges, steps, names (JAN, MON), and the macros
 * {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly}. When both
 * day fields are restricted a day matching either runs, as in cron.
 */
public final class CronSchedule {
    private static final Map<String, String> MACROS = Map.of(
            "@hourly", "0 * * * *", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
            "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String expression, String[] fields) {
        this.expression = expression;
        minutes = field(fields[0], 0, 59, null, "minute");
        hours = field(fields[1], 0, 23, null, "hour");
        daysOfMonth = field(fields[2], 1, 31, null, "day of month");
        months = field(fields[3], 1, 12, MONTHS, "month");
        BitSet dow = field(fields[4], 0, 7, DAYS, "day of week");
        if (dow.get(7)) {
            dow.set(0); // 7 is Sunday too
        }
        daysOfWeek = dow;
        anyDayOfMonth = fields[2].equals("*");
        anyDayOfWeek = fields[4].equals("*");
    }

    /** Parses an expression; throws IllegalArgumentException saying what is wrong. */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String text = expression.trim();
        String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("needs 5 fields (minute hour day-of-month month day-of-week) or a macro "
                    + "such as @daily, not " + fields.length);
        }
        return new CronSchedule(text, fields);
    }

    /** The first matching minute strictly after {@code after}. */
    public Instant next(Instant after) {
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        // Four years of minutes cover every valid expression (29 February included).
        ZonedDateTime limit = t.plusYears(4).plusDays(1);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.plusMonths(1).withDayOfMonth(1).withHour(0).withMinute(0);
            } else if (!dayMatches(t)) {
                t = t.plusDays(1).withHour(0).withMinute(0);
            } else if (!hours.get(t.getHour())) {
                t = t.plusHours(1).withMinute(0);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t.toInstant();
            }
        }
        throw new IllegalArgumentException("'" + expression + "' never matches a date");
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return expression;
    }

    private static BitSet field(String text, int min, int max, String[] names, String what) {
        var bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, null, what + " step");
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.indexOf('-') > 0) {
                from = number(range.substring(0, range.indexOf('-')), min, max, names, what);
                to = number(range.substring(range.indexOf('-') + 1), min, max, names, what);
                if (to < from) {
                    throw new IllegalArgumentException(what + " range '" + range + "' runs backwards");
                }
            } else {
                from = number(range, min, max, names, what);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String text, int min, int max, String[] names, String what) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(text)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " " + value + " is outside " + min + "-" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number" + (names == null ? ""
                    : " or a name such as " + names[1]));
        }
    }
}

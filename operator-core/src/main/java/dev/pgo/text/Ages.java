package dev.pgo.text;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** kubectl-style ages: 45s, 12m, 3h, 5d. */
public final class Ages {
    private Ages() {
    }

    /** The age of an ISO-8601 timestamp now; "-" when there is none or it does not parse. */
    public static String since(String timestamp) {
        if (timestamp == null) {
            return "-";
        }
        try {
            return of(Duration.between(Instant.parse(timestamp), Instant.now()));
        } catch (DateTimeParseException e) {
            return "-";
        }
    }

    /** A duration the same way. */
    public static String of(Duration d) {
        if (d.toSeconds() < 120) {
            return Math.max(0, d.toSeconds()) + "s";
        }
        if (d.toMinutes() < 120) {
            return d.toMinutes() + "m";
        }
        if (d.toHours() < 48) {
            return d.toHours() + "h";
        }
        return d.toDays() + "d";
    }
}

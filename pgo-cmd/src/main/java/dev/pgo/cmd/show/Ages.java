package dev.pgo.cmd.show;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** kubectl-style ages: 45s, 12m, 3h, 5d. */
final class Ages {
    private Ages() {
    }

    static String since(String timestamp) {
        if (timestamp == null) {
            return "-";
        }
        try {
            Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
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
        } catch (DateTimeParseException e) {
            return "-";
        }
    }
}

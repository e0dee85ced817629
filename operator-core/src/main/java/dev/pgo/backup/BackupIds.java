package dev.pgo.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** Backup ids are their start time in UTC, {@code YYYY-MM-DD-HH-MM-SS}: sortable, and the directory name. */
public final class BackupIds {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
            .withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}");

    private BackupIds() {
    }

    public static String of(Instant start) {
        return FORMAT.format(start.truncatedTo(ChronoUnit.SECONDS));
    }

    public static boolean isId(String name) {
        return name != null && ID.matcher(name).matches();
    }
}

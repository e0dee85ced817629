package dev.pgo.backup;

import dev.pgo.PgoException;
import dev.pgo.api.v1.RestoreSpec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a restore replays: a base backup from a repository, then archived WAL up to a target:
 * the end of the backup itself, a moment in time, or the last archived segment.
 */
public record RestorePoint(BackupCatalog repository, BackupEntry backup, Target target, Instant targetTime) {
    public enum Target { BACKUP_END, TIME, LATEST }

    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);

    /**
     * Chooses the backup a restore spec names: the one at its path; or in the cluster's
     * repository the one it names, else the newest that ended before the target time, else the
     * newest. Refuses a backup that is not restorable and a target it cannot reach.
     */
    public static RestorePoint resolve(RestoreSpec spec, BackupCatalog repository) {
        Instant time = parseTime(spec.getTargetTime());
        if (time != null && time.isAfter(Instant.now())) {
            throw new PgoException("the target time " + time + " is in the future",
                    "leave out --to-time to restore everything archived so far");
        }
        String id = spec.getPath() != null ? idOfPath(spec.getPath()) : spec.getBackup();
        BackupEntry entry;
        if (id != null) {
            entry = repository.entry(id).orElseThrow(() -> new PgoException("there is no backup " + id + " in "
                    + repository.volume() + "/" + repository.path(), "pgo show backup lists the backups"));
            if (!entry.status().restorable()) {
                throw new PgoException("backup " + id + " is " + entry.status()
                        + (entry.error() == null ? "" : " (" + entry.error() + ")") + " and cannot be restored",
                        "choose a Completed or Verified backup: pgo show backup");
            }
            if (time != null && entry.logical()) {
                throw new PgoException("backup " + id + " is a logical backup: it restores as it was taken, "
                        + "not to another moment", "leave out --to-time, or choose a full backup");
            }
            if (time != null && time.isBefore(entry.stopInstant())) {
                throw new PgoException("backup " + id + " ended at " + entry.stopTime() + ", after the target time "
                        + time, "choose an older backup, or leave out --backup to let pgo choose");
            }
        } else {
            List<BackupEntry> restorable = BackupCatalog.baseBackupsOf(repository.entries());
            if (restorable.isEmpty()) {
                boolean logical = !repository.restorable().isEmpty();
                throw new PgoException(repository.volume() + " holds no restorable full backup",
                        logical ? "name a logical backup with --backup ID (pgo show backup lists them)"
                                : "take one with pgo create backup");
            }
            entry = restorable.getLast();
            if (time != null) {
                entry = restorable.reversed().stream().filter(e -> !e.stopInstant().isAfter(time)).findFirst()
                        .orElseThrow(() -> new PgoException("the target time " + time
                                + " is before the oldest restorable backup, which ended at "
                                + restorable.getFirst().stopTime(), "pgo show backup shows the recoverable window"));
            }
        }
        Target target = time != null ? Target.TIME : id != null ? Target.BACKUP_END : Target.LATEST;
        if (target == Target.TIME && !repository.archivesWal()) {
            throw new PgoException("no WAL is archived in " + repository.path() + ", so only the backups' own end "
                    + "points can be restored", "restore a backup without --to-time");
        }
        return new RestorePoint(repository, entry, target, time);
    }

    /** Refuses a target later than the last archived WAL: recovery could not reach it. */
    public void requireReachable() {
        if (target != Target.TIME) {
            return;
        }
        Instant last = repository.window().map(RecoveryWindow::to).orElse(backup.stopInstant());
        if (targetTime.isAfter(last)) {
            throw new PgoException("the target time " + targetTime + " is after the last archived WAL (" + last + ")",
                    "choose a time in the recoverable window that pgo show backup shows");
        }
    }

    /**
     * The recovery settings for the server's first start, given the command that copies an
     * archived segment into place (absent when nothing is archived: the backup's own WAL suffices).
     */
    public Map<String, String> recoverySettings(String restoreCommand) {
        var settings = new LinkedHashMap<String, String>();
        if (restoreCommand != null && repository.archivesWal()) {
            settings.put("restore_command", restoreCommand);
        }
        switch (target) {
            case BACKUP_END -> settings.put("recovery_target", "immediate");
            case TIME -> settings.put("recovery_target_time", PG_TIME.format(targetTime));
            case LATEST -> { }
        }
        settings.put("recovery_target_action", "promote");
        return settings;
    }

    public String describe() {
        String what = repository.pathOf(backup.id()) + (backup.logical() ? " (logical)" : "");
        return switch (target) {
            case BACKUP_END -> what;
            case TIME -> what + " to " + targetTime;
            case LATEST -> what + " to the last archived WAL";
        };
    }

    public static Instant parseTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text.trim()).toInstant();
            } catch (DateTimeParseException e2) {
                throw new PgoException("'" + text + "' is not a time pgo can read",
                        "write it as ISO-8601 with a zone, e.g. 2026-01-31T14:05:00Z or 2026-01-31T15:05:00+01:00");
            }
        }
    }

    /** The backup id of a seed-style path {@code <repository>/<id>}. */
    public static String idOfPath(String path) {
        String[] parts = path.split("/");
        if (parts.length != 2 || !BackupIds.isId(parts[1]) || parts[0].isEmpty() || parts[0].equals("..")
                || parts[0].equals(".")) {
            throw new PgoException("'" + path + "' is not a backup path",
                    "write it as REPOSITORY/YYYY-MM-DD-HH-MM-SS, e.g. mycluster-backups/2026-01-31-02-00-00");
        }
        return parts[1];
    }

    public static String repositoryOfPath(String path) {
        idOfPath(path);
        return path.substring(0, path.indexOf('/'));
    }
}

package dev.pgo.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Duration;
import java.time.Instant;

/**
 * One backup's catalog entry, stored as {@value BackupRepository#ENTRY_FILE} in its directory:
 * what was backed up, when, the WAL it spans, its size and where it stands. Times are ISO-8601
 * UTC and LSNs as PostgreSQL prints them, so the file reads the same to a person and a script.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "cluster", "type", "status", "instance", "postgresVersion", "startTime", "stopTime",
        "startLsn", "stopLsn", "timeline", "sizeBytes", "durationSeconds", "error"})
public record BackupEntry(String id, String cluster, String type, BackupStatus status, String instance,
                          Integer postgresVersion, String startTime, String stopTime, String startLsn,
                          String stopLsn, Integer timeline, Long sizeBytes, Double durationSeconds, String error) {
    public static final String TYPE_FULL = "full";

    /** A base backup that is about to start. */
    public static BackupEntry starting(String id, String cluster, String instance, int postgresVersion, Instant start) {
        return new BackupEntry(id, cluster, TYPE_FULL, BackupStatus.Running, instance, postgresVersion,
                millis(start), null, null, null, null, null, null, null);
    }

    public BackupEntry completed(Instant stop, String startLsn, String stopLsn, int timeline, long sizeBytes) {
        double seconds = Duration.between(startInstant(), stop).toMillis() / 1000.0;
        return new BackupEntry(id, cluster, type, BackupStatus.Completed, instance, postgresVersion, startTime,
                millis(stop), startLsn, stopLsn, timeline, sizeBytes, seconds, null);
    }

    private static String millis(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    public BackupEntry withStatus(BackupStatus newStatus, String newError) {
        return new BackupEntry(id, cluster, type, newStatus, instance, postgresVersion, startTime, stopTime, startLsn,
                stopLsn, timeline, sizeBytes, durationSeconds, newError);
    }

    public BackupEntry failed(String why) {
        return withStatus(BackupStatus.Failed, why);
    }

    public Instant startInstant() {
        return Instant.parse(startTime);
    }

    /** When the backup's data is consistent: the earliest moment it can be restored to. */
    public Instant stopInstant() {
        return stopTime == null ? null : Instant.parse(stopTime);
    }
}

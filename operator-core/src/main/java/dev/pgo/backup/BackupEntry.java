package dev.pgo.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One backup's catalog entry, stored as {@value BackupRepository#ENTRY_FILE} in its directory:
 * what was backed up, when, the WAL it spans, its size and where it stands. Times are ISO-8601
 * UTC and LSNs as PostgreSQL prints them, so the file reads the same to a person and a script.
 * A logical backup (pg_dump per database) has no LSNs; its {@code contents} say what it holds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "cluster", "type", "status", "instance", "postgresVersion", "startTime", "stopTime",
        "startLsn", "stopLsn", "timeline", "sizeBytes", "durationSeconds", "error", "contents"})
public record BackupEntry(String id, String cluster, String type, BackupStatus status, String instance,
                          Integer postgresVersion, String startTime, String stopTime, String startLsn,
                          String stopLsn, Integer timeline, Long sizeBytes, Double durationSeconds, String error,
                          LogicalContents contents) {
    /** A base backup: the whole data directory, restorable to any moment up to the last archived WAL. */
    public static final String TYPE_FULL = "full";
    /** pg_dump of each database: restorable as it was taken, also into another PostgreSQL version. */
    public static final String TYPE_LOGICAL = "logical";
    public static final List<String> TYPES = List.of(TYPE_FULL, TYPE_LOGICAL);

    /** A backup of {@code type} that is about to start. */
    public static BackupEntry starting(String id, String cluster, String type, String instance, int postgresVersion,
                                       Instant start) {
        return new BackupEntry(id, cluster, type, BackupStatus.Running, instance, postgresVersion,
                millis(start), null, null, null, null, null, null, null, null);
    }

    /** A base backup that is about to start. */
    public static BackupEntry starting(String id, String cluster, String instance, int postgresVersion, Instant start) {
        return starting(id, cluster, TYPE_FULL, instance, postgresVersion, start);
    }

    public BackupEntry completed(Instant stop, String startLsn, String stopLsn, int timeline, long sizeBytes) {
        return new BackupEntry(id, cluster, type, BackupStatus.Completed, instance, postgresVersion, startTime,
                millis(stop), startLsn, stopLsn, timeline, sizeBytes, secondsSinceStart(stop), null, contents);
    }

    /** A logical backup whose dumps are all written. */
    public BackupEntry completed(Instant stop, LogicalContents dumped) {
        return new BackupEntry(id, cluster, type, BackupStatus.Completed, instance, postgresVersion, startTime,
                millis(stop), null, null, null, dumped.sizeBytes(), secondsSinceStart(stop), null, dumped);
    }

    private double secondsSinceStart(Instant stop) {
        return Duration.between(startInstant(), stop).toMillis() / 1000.0;
    }

    /** Whether this is a pg_dump backup, restorable only as it was taken. */
    public boolean logical() {
        return TYPE_LOGICAL.equals(type);
    }

    private static String millis(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    public BackupEntry withStatus(BackupStatus newStatus, String newError) {
        return new BackupEntry(id, cluster, type, newStatus, instance, postgresVersion, startTime, stopTime, startLsn,
                stopLsn, timeline, sizeBytes, durationSeconds, newError, contents);
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

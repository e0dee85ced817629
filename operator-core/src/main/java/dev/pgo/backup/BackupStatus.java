package dev.pgo.backup;

/** Where a backup stands. Only Completed and Verified backups are offered for restore. */
public enum BackupStatus {
    /** pg_basebackup is copying; the entry says so on disk, so an interruption leaves a trace. */
    Running,
    /** Copied and the manifest written, not yet checked. */
    Completed,
    /** pg_verifybackup found every file as the manifest describes it. */
    Verified,
    /** Interrupted, refused, or found damaged; its error says why. */
    Failed;

    public boolean restorable() {
        return this == Completed || this == Verified;
    }
}

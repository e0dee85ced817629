package dev.pgo.backup;

/** Hears how a long backup or restore goes; the command line draws it as a bar or as plain lines. */
public interface BackupProgress {
    BackupProgress SILENT = new BackupProgress() {
        @Override
        public void phase(String what) {
        }

        @Override
        public void bytes(long done, long total) {
        }
    };

    /** A new stage begins ("copying", "verifying", ...). */
    void phase(String what);

    /** Bytes done of the total so far (the total may grow while pg_basebackup learns the size). */
    void bytes(long done, long total);
}

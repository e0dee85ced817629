package dev.pgo.tui.model;

import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.RecoveryWindow;

/** One line of the backups view: a backup and the window its cluster can be restored to. */
public record BackupRow(BackupEntry entry, RecoveryWindow window) {
}

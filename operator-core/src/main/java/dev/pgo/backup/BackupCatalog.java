package dev.pgo.backup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a backup repository holds, as commands and restores read it: the backups' entries and
 * how far its archived WAL reaches. A local repository reads its directory; on Kubernetes the
 * repository is a volume only pods mount, so its catalog is kept where the API can read it.
 */
public interface BackupCatalog {
    /** The volume (PVC) that holds the repository. */
    String volume();

    /** The repository's path in its volume, e.g. {@code orders-backups}. */
    String path();

    /** The backup's path within its volume, as `--backup-path` takes it. */
    default String pathOf(String id) {
        return path() + "/" + id;
    }

    /** Every entry, oldest first; a backup whose run ended without a result reads as Failed. */
    List<BackupEntry> entries();

    default Optional<BackupEntry> entry(String id) {
        return entries().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** Restorable entries, oldest first. */
    default List<BackupEntry> restorable() {
        return restorableOf(entries());
    }

    static List<BackupEntry> restorableOf(List<BackupEntry> entries) {
        return entries.stream().filter(e -> e.status().restorable()).toList();
    }

    /** Restorable base backups, oldest first: those archived WAL replays from, and point-in-time restores start at. */
    static List<BackupEntry> baseBackupsOf(List<BackupEntry> entries) {
        return restorableOf(entries).stream().filter(e -> !e.logical()).toList();
    }

    /** Whether WAL is archived into the repository (it is from its first backup on). */
    boolean archivesWal();

    /** When the newest archived WAL segment arrived, when that is known. */
    Optional<Instant> lastArchived();

    default Optional<RecoveryWindow> window() {
        return window(entries());
    }

    /**
     * The window of these entries (as {@link #entries()} returned them) and the archived WAL.
     * Only base backups open it: a logical backup restores to its own moment only.
     */
    default Optional<RecoveryWindow> window(List<BackupEntry> entries) {
        List<BackupEntry> restorable = baseBackupsOf(entries);
        if (restorable.isEmpty()) {
            return Optional.empty();
        }
        Instant from = restorable.getFirst().stopInstant();
        Instant to = restorable.getLast().stopInstant();
        Instant archived = lastArchived().orElse(to);
        return Optional.of(new RecoveryWindow(from, archived.isAfter(to) ? archived : to));
    }
}

package dev.pgo.backup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A catalog whose archive's files are out of reach (on Kubernetes only pods mount the backup
 * volume), told when the newest segment was archived by the one who knows: the running
 * primary's pg_stat_archiver. Asked only when a window is computed, and only once.
 */
final class ArchiverReportedCatalog implements BackupCatalog {
    private final BackupCatalog catalog;
    private final Supplier<Optional<Instant>> primaryReport;
    private Optional<Instant> lastArchived;

    ArchiverReportedCatalog(BackupCatalog catalog, Supplier<Optional<Instant>> primaryReport) {
        this.catalog = catalog;
        this.primaryReport = primaryReport;
    }

    @Override
    public String volume() {
        return catalog.volume();
    }

    @Override
    public String path() {
        return catalog.path();
    }

    @Override
    public List<BackupEntry> entries() {
        return catalog.entries();
    }

    @Override
    public boolean archivesWal() {
        return catalog.archivesWal();
    }

    @Override
    public synchronized Optional<Instant> lastArchived() {
        if (lastArchived == null) {
            lastArchived = catalog.lastArchived().or(primaryReport);
        }
        return lastArchived;
    }
}

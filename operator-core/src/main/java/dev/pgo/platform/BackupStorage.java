package dev.pgo.platform;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupCatalog;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupProgress;
import dev.pgo.backup.LogicalContents;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a platform keeps backup repositories and how it runs the programs that fill, check and
 * prune them. What to back up, when, and what to keep is decided above it, the same on every platform.
 */
public interface BackupStorage {
    /** The catalog of the repository {@code path} in {@code volume}, when that volume exists. */
    Optional<BackupCatalog> find(String volume, String path);

    /**
     * Takes a base backup of the instance at {@code source} into the cluster's repository (making
     * its volume on first use) with pg_basebackup: compressed tar, WAL streamed alongside, a
     * backup manifest, a fast checkpoint first; then checks it with pg_verifybackup. The entry is
     * recorded Running first and ends Verified, or Failed with the reason. Throws when the copy
     * itself failed or was cancelled, after recording that.
     */
    BackupEntry take(PgCluster cluster, BackupEntry starting, Endpoint source, Credentials replication,
                     BackupProgress progress);

    /**
     * Takes a logical backup: pg_dump (custom format) of each database, as the superuser, from
     * the instance at {@code source}; then checks each dump. Recorded as {@link #take} records a
     * base backup. {@code plan} lists the databases and roles, read from the instance when a
     * platform that dumps from here asks for it.
     */
    BackupEntry takeLogical(PgCluster cluster, BackupEntry starting, Endpoint source, Credentials superuser,
                            Supplier<LogicalContents> plan, BackupProgress progress);

    /** Checks a finished backup against its manifest again and records the outcome: Verified, or Failed with the damage. */
    BackupEntry verify(BackupCatalog catalog, BackupEntry entry, BackupProgress progress);

    /**
     * Deletes backups (entry first, so a half-deleted backup is never restorable), then the
     * archived WAL before {@code keepWalFromLsn} (the start of the oldest backup kept), when given.
     */
    void delete(BackupCatalog catalog, List<String> ids, String keepWalFromLsn);

    /** Deletes a cluster's backup volume and everything in it. */
    void deleteRepository(String cluster);
}

package dev.pgo.platform;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupProgress;
import dev.pgo.backup.BackupRepository;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;

import java.util.Optional;

/** Where a platform keeps backup repositories and how it runs the programs that fill and check them. */
public interface BackupStorage {
    /** The cluster's repository in its {@code <cluster>-backups} volume, making the volume on first use. */
    BackupRepository repository(PgCluster cluster);

    /** The repository {@code path} in {@code volume}, when that volume exists. */
    Optional<BackupRepository> find(String volume, String path);

    /**
     * Copies the instance at {@code source} into the backup's directory with pg_basebackup:
     * compressed tar, WAL streamed alongside, a backup manifest; a fast checkpoint first.
     */
    void baseBackup(PgCluster cluster, BackupRepository repository, BackupEntry entry, Endpoint source,
                    Credentials replication, BackupProgress progress);

    /** Checks the backup against its manifest with pg_verifybackup; throws a PgoException naming the damage. */
    void verify(BackupRepository repository, BackupEntry entry, BackupProgress progress);

    /** Deletes a cluster's backup volume and everything in it. */
    void deleteRepository(String cluster);
}

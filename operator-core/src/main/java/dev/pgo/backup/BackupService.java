package dev.pgo.backup;

import dev.pgo.Pause;
import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.RestoreSpec;
import dev.pgo.platform.InstanceRuntime;
import dev.pgo.platform.Platform;
import dev.pgo.reconcile.Planner;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.DatabaseInventory;
import dev.pgo.sql.RoleFlag;
import dev.pgo.sql.WalArchiving;
import dev.pgo.validate.SpecValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Backups of a cluster as commands and the operator use them: take one (copy, record, verify,
 * apply retention), list, verify again, delete, and make a restored primary.
 */
public final class BackupService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(60);

    private final Platform platform;
    private final ConnectionPools pools;
    private final Clock clock;

    public BackupService(Platform platform, ConnectionPools pools, Clock clock) {
        this.platform = platform;
        this.pools = pools;
        this.clock = clock;
    }

    /**
     * Takes a base backup of the cluster's primary. The entry is Running while pg_basebackup
     * copies, Completed when the copy and manifest are there, Verified once pg_verifybackup
     * agrees; any failure (or cancellation) leaves it Failed with the reason, its files removed.
     */
    public BackupEntry create(String clusterName, BackupProgress progress) {
        return create(clusterName, BackupEntry.TYPE_FULL, progress);
    }

    /**
     * Takes a backup of {@code type}: {@value BackupEntry#TYPE_FULL} as above, or
     * {@value BackupEntry#TYPE_LOGICAL}: pg_dump of every database that accepts connections,
     * each consistent in itself, restorable as it was taken (also into a newer PostgreSQL).
     */
    public BackupEntry create(String clusterName, String type, BackupProgress progress) {
        if (!BackupEntry.TYPES.contains(type)) {
            throw new PgoException("'" + type + "' is not a backup type", "use one of " + BackupEntry.TYPES);
        }
        PgCluster cluster = cluster(clusterName);
        InstanceRuntime source = runningPrimary(cluster);
        Instant start = clock.instant();
        BackupEntry starting = BackupEntry.starting(BackupIds.of(start), clusterName, type, source.name(),
                cluster.getSpec().getPostgresVersion(), start);
        BackupEntry entry;
        if (starting.logical()) {
            Credentials superuser = secret(clusterName, SpecValidator.SUPERUSER);
            entry = platform.backups().takeLogical(cluster, starting, source.endpoint(), superuser,
                    () -> dumpPlan(source, superuser), progress);
        } else {
            entry = platform.backups().take(cluster, starting, source.endpoint(),
                    secret(clusterName, SpecValidator.REPLICATION_USER), progress);
        }
        if (entry.status() == BackupStatus.Failed) {
            throw new PgoException("backup " + entry.id() + " of " + clusterName + " " + entry.error());
        }
        repository(clusterName).ifPresent(catalog -> applyRetention(cluster, catalog));
        return entry;
    }

    private Credentials secret(String clusterName, String role) {
        return platform.secrets().get(clusterName, role)
                .orElseThrow(() -> new PgoException("the " + role + " secret of " + clusterName + " is missing"));
    }

    /** The databases and roles of the primary, as a logical backup dumps them. */
    private LogicalContents dumpPlan(InstanceRuntime primary, Credentials superuser) {
        try {
            return pools.withConnection(primary.endpoint(), "postgres", superuser, connection ->
                    LogicalContents.plan(DatabaseInventory.roles(connection), DatabaseInventory.databases(connection)));
        } catch (SQLException e) {
            throw new PgoException("cannot list the databases of " + primary.name() + ": " + e.getMessage());
        }
    }

    /** Checks a backup again against its manifest and records the outcome: Verified, or Failed with the damage. */
    public BackupEntry verify(String clusterName, String id, BackupProgress progress) {
        BackupCatalog repository = existingRepository(clusterName);
        BackupEntry entry = repository.entry(id).orElseThrow(() -> noSuchBackup(clusterName, id));
        if (!entry.status().restorable() && entry.status() != BackupStatus.Failed) {
            throw new PgoException("backup " + id + " is " + entry.status() + "; it can be verified once it finished");
        }
        if (entry.stopTime() == null) {
            throw new PgoException("backup " + id + " never finished copying (" + entry.error() + "); there is nothing to verify");
        }
        return platform.backups().verify(repository, entry, progress);
    }

    public List<BackupEntry> list(String clusterName) {
        return repository(clusterName).map(BackupCatalog::entries).orElse(List.of());
    }

    public Optional<RecoveryWindow> window(String clusterName) {
        return repository(clusterName).flatMap(BackupCatalog::window);
    }

    /**
     * The cluster's repository, if it has one (also after the cluster itself was deleted). Where
     * the platform cannot read the archive itself, the cluster's primary says how far it reaches.
     */
    public Optional<BackupCatalog> repository(String clusterName) {
        String name = BackupRepository.defaultName(clusterName);
        return platform.backups().find(name, name)
                .map(catalog -> new ArchiverReportedCatalog(catalog, () -> lastArchivedByPrimary(clusterName)));
    }

    /** When the running primary last archived a segment; empty when there is no primary to ask or it does not answer. */
    private Optional<Instant> lastArchivedByPrimary(String clusterName) {
        Optional<PgCluster> cluster = platform.clusters().get(clusterName);
        Optional<Credentials> superuser = platform.secrets().get(clusterName, SpecValidator.SUPERUSER);
        if (cluster.isEmpty() || superuser.isEmpty()) {
            return Optional.empty();
        }
        try {
            InstanceRuntime primary = runningPrimary(cluster.get());
            return Optional.ofNullable(pools.withConnection(primary.endpoint(), "postgres", superuser.get(),
                    WalArchiving::lastArchivedTime));
        } catch (SQLException | PgoException e) {
            LOG.debug("{}: cannot ask the primary what it archived: {}", clusterName, e.getMessage());
            return Optional.empty();
        }
    }

    public void delete(String clusterName, String id) {
        BackupCatalog repository = existingRepository(clusterName);
        List<BackupEntry> entries = repository.entries();
        BackupEntry entry = entries.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> noSuchBackup(clusterName, id));
        if (entry.status() == BackupStatus.Running) {
            throw new PgoException("backup " + id + " is still running", "wait for it, or stop the pgo that runs it");
        }
        platform.backups().delete(repository, List.of(id), oldestKeptStart(entries, List.of(entry)));
    }

    /** Where the WAL the oldest backup left after removing {@code removed} needs begins; null to keep all WAL. */
    private static String oldestKeptStart(List<BackupEntry> entries, List<BackupEntry> removed) {
        return BackupCatalog.baseBackupsOf(entries).stream().filter(e -> !removed.contains(e)).findFirst()
                .map(BackupEntry::startLsn).orElse(null);
    }

    /** Deletes every backup of the cluster, its archived WAL and its backup volume. */
    public void deleteAll(String clusterName) {
        BackupCatalog repository = existingRepository(clusterName);
        if (repository.entries().stream().anyMatch(e -> e.status() == BackupStatus.Running)) {
            throw new PgoException("a backup of " + clusterName + " is still running", "wait for it, then run this again");
        }
        platform.backups().deleteRepository(clusterName);
    }

    /** Deletes the backups the cluster's retention policy no longer keeps, then WAL no kept backup needs. */
    public List<BackupEntry> applyRetention(PgCluster cluster, BackupCatalog repository) {
        List<BackupEntry> entries = repository.entries();
        List<BackupEntry> expired = Retention.of(cluster.getSpec().getBackups()).expired(entries, clock.instant());
        if (expired.isEmpty()) {
            return expired;
        }
        platform.backups().delete(repository, expired.stream().map(BackupEntry::id).toList(),
                oldestKeptStart(entries, expired));
        expired.forEach(e -> LOG.info("{}: backup {} removed by the retention policy", cluster.name(), e.id()));
        return expired;
    }

    /** The restore point a restore spec names, checked: the backup exists, is restorable, and the target is reachable. */
    public RestorePoint resolve(RestoreSpec spec) {
        BackupCatalog repository;
        if (spec.getPath() != null) {
            String volume = spec.getVolume();
            String path = RestorePoint.repositoryOfPath(spec.getPath());
            repository = platform.backups().find(volume, path)
                    .orElseThrow(() -> new PgoException("there is no backup repository " + path + " in volume " + volume,
                            "pgo show pvc " + volume + " shows what it holds"));
        } else {
            repository = existingRepository(spec.getCluster());
        }
        return RestorePoint.resolve(spec, repository);
    }

    /**
     * Makes the cluster's primary from the backup its spec names. When the source cluster still
     * runs, its current WAL segment is archived first, so a restore "to now" misses nothing.
     */
    public void restorePrimary(PgCluster cluster, String instance) {
        RestoreSpec spec = cluster.getSpec().getRestore();
        RestorePoint point = resolve(spec);
        if (spec.getCluster() != null && !point.backup().logical()) {
            archiveCurrentWal(spec.getCluster());
        }
        point.requireReachable();
        Integer backupVersion = point.backup().postgresVersion();
        int version = cluster.getSpec().getPostgresVersion();
        boolean upgrade = point.backup().logical() && backupVersion != null && backupVersion < version;
        if (backupVersion != null && backupVersion != version && !upgrade) {
            throw new PgoException("backup " + point.backup().id() + " is of PostgreSQL " + backupVersion
                    + ", the cluster is of " + version, "create the cluster with --version " + backupVersion);
        }
        var logins = new ArrayList<Credentials>();
        logins.add(platform.secrets().ensure(cluster.name(), SpecValidator.SUPERUSER));
        logins.add(platform.secrets().ensure(cluster.name(), SpecValidator.REPLICATION_USER));
        Planner.desiredUserRoles(cluster.getSpec()).forEach((role, attributes) -> {
            if (attributes.flags().getOrDefault(RoleFlag.LOGIN, false)) {
                logins.add(platform.secrets().ensure(cluster.name(), role));
            }
        });
        LOG.info("{}: restoring {} from {}", cluster.name(), instance, point.describe());
        platform.instances().restorePrimary(cluster, instance, point, logins);
    }

    /**
     * Has the cluster's primary close its current WAL segment and waits until it is archived.
     * Best effort: a source that is down or unreachable is restored from what is archived.
     */
    public void archiveCurrentWal(String clusterName) {
        Optional<PgCluster> cluster = platform.clusters().get(clusterName);
        Optional<Credentials> superuser = platform.secrets().get(clusterName, SpecValidator.SUPERUSER);
        if (cluster.isEmpty() || superuser.isEmpty() || repository(clusterName).isEmpty()) {
            return;
        }
        try {
            InstanceRuntime primary = runningPrimary(cluster.get());
            pools.withConnection(primary.endpoint(), "postgres", superuser.get(), connection -> {
                String segment = WalArchiving.closeCurrentSegment(connection);
                long wanted = WalSegments.segmentNumber(segment);
                long deadline = System.nanoTime() + ARCHIVE_WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    String archived = WalArchiving.lastArchived(connection);
                    if (archived != null && WalSegments.namesSegment(archived)
                            && WalSegments.segmentNumber(archived) >= wanted) {
                        return null;
                    }
                    Pause.sleep(Duration.ofMillis(200), "waiting for WAL archiving was cancelled");
                }
                LOG.warn("{}: WAL segment {} was not archived within {}s; restoring from what is archived",
                        clusterName, segment, ARCHIVE_WAIT.toSeconds());
                return null;
            });
        } catch (SQLException | PgoException e) {
            LOG.warn("{}: could not archive the current WAL before the restore ({}); restoring from what is archived",
                    clusterName, e.getMessage());
        }
    }

    private PgCluster cluster(String name) {
        return platform.clusters().get(name).orElseThrow(() -> new PgoException("no cluster or database named " + name,
                "pgo show cluster all lists them"));
    }

    private InstanceRuntime runningPrimary(PgCluster cluster) {
        String primary = cluster.getStatus() == null ? null : cluster.getStatus().getPrimary();
        return platform.instances().observe(cluster).stream()
                .filter(r -> r.name().equals(primary) && r.running()).findFirst()
                .orElseThrow(() -> new PgoException(cluster.name() + " has no running primary to back up",
                        "pgo show cluster " + cluster.name() + " shows its instances"));
    }

    private BackupCatalog existingRepository(String clusterName) {
        return repository(clusterName).orElseThrow(() -> new PgoException(clusterName + " has no backups",
                "take one with pgo create backup " + clusterName));
    }

    private static PgoException noSuchBackup(String cluster, String id) {
        return new PgoException("there is no backup " + id + " of " + cluster, "pgo show backup " + cluster + " lists them");
    }
}

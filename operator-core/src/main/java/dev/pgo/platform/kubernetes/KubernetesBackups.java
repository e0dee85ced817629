package dev.pgo.platform.kubernetes;

import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupCatalog;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupProgress;
import dev.pgo.backup.LogicalContents;
import dev.pgo.backup.BackupRepository;
import dev.pgo.backup.BackupStatus;
import dev.pgo.backup.WalSegments;
import dev.pgo.platform.BackupStorage;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Backup repositories as PVCs written by Jobs: a backup is a Job that runs pg_basebackup
 * against the read-write Service and pg_verifybackup on the result, in the cluster's PostgreSQL
 * image with the backup volume mounted; deleting and re-verifying backups are Jobs too. The
 * catalog is a ConfigMap ({@link KubernetesBackupCatalog}).
 */
final class KubernetesBackups implements BackupStorage {
    private static final Duration BACKUP_TIMEOUT = Duration.ofHours(12);
    private static final Duration MAINTENANCE_TIMEOUT = Duration.ofMinutes(30);

    private final KubernetesClient client;
    private final String namespace;
    private final Supplier<OperatorConfig> config;
    private final JobRun jobs;

    KubernetesBackups(KubernetesClient client, String namespace, Supplier<OperatorConfig> config) {
        this.client = client;
        this.namespace = namespace;
        this.config = config;
        this.jobs = new JobRun(client, namespace);
    }

    /** The catalog of repository {@code path} (a cluster's is {@code <cluster>-backups}) in the PVC {@code volume}. */
    @Override
    public Optional<BackupCatalog> find(String volume, String path) {
        PersistentVolumeClaim claim = Requests.call("read PVC " + volume, () -> client.persistentVolumeClaims()
                .inNamespace(namespace).withName(volume).get());
        if (claim == null) {
            return Optional.empty();
        }
        var catalog = open(volume, path);
        return catalog.exists() ? Optional.of(catalog) : Optional.empty();
    }

    /** This platform's view of a catalog that may have come back wrapped (see BackupService). */
    private KubernetesBackupCatalog open(BackupCatalog catalog) {
        return catalog instanceof KubernetesBackupCatalog own ? own : open(catalog.volume(), catalog.path());
    }

    private KubernetesBackupCatalog open(String volume, String path) {
        String cluster = path.endsWith("-backups") ? path.substring(0, path.length() - "-backups".length()) : path;
        return new KubernetesBackupCatalog(client, namespace, volume, path, cluster);
    }

    private KubernetesBackupCatalog catalog(String cluster) {
        String name = BackupRepository.defaultName(cluster);
        return open(name, name);
    }

    @Override
    public BackupEntry take(PgCluster cluster, BackupEntry starting, Endpoint source, Credentials replication,
                            BackupProgress progress) {
        return run(cluster, starting, progress);
    }

    /**
     * A logical backup is a backup Job too: its pod dumps each database through the read-write
     * Service, so no connection from here is needed and {@code plan} is not read; the dumps'
     * list and checksums are kept beside them in the volume.
     */
    @Override
    public BackupEntry takeLogical(PgCluster cluster, BackupEntry starting, Endpoint source, Credentials superuser,
                                   java.util.function.Supplier<LogicalContents> plan, BackupProgress progress) {
        return run(cluster, starting, progress);
    }

    /** Runs the backup Job of the entry's type, recording it Running first and its outcome at the end. */
    private BackupEntry run(PgCluster cluster, BackupEntry starting, BackupProgress progress) {
        KubernetesBackupCatalog catalog = catalog(cluster.name());
        Job job = BackupObjects.backupJob(cluster, starting.id(), starting.type(), config.get());
        String name = job.getMetadata().getName();
        progress.phase((starting.logical() ? "dumping" : "copying") + " and verifying in Job " + name);
        Requests.call("create Job " + name, () -> client.resource(job).inNamespace(namespace).create());
        catalog.save(starting);
        JobRun.Outcome outcome;
        try {
            outcome = jobs.await(name, BACKUP_TIMEOUT, "backup " + starting.id());
        } catch (PgoException e) {
            String why = Thread.currentThread().isInterrupted() ? "cancelled" : e.getMessage();
            catalog.save(starting.failed(why));
            throw new PgoException("backup " + starting.id() + " of " + cluster.name() + " failed: " + why,
                    "the next backup starts afresh; pgo show backup " + cluster.name() + " lists them", e);
        }
        BackupEntry entry = KubernetesBackupCatalog.settle(starting, outcome);
        catalog.save(entry);
        if (entry.status() == BackupStatus.Failed && entry.stopTime() == null) {
            throw new PgoException("backup " + entry.id() + " of " + cluster.name() + " failed: " + entry.error(),
                    "kubectl logs job/" + name + " shows its output; the next backup starts afresh");
        }
        return entry;
    }

    @Override
    public BackupEntry verify(BackupCatalog catalog, BackupEntry entry, BackupProgress progress) {
        var repository = open(catalog);
        String jobName = repository.cluster() + "-verify-" + entry.id();
        progress.phase("verifying in Job " + jobName);
        JobRun.Outcome outcome = maintenance(repository, jobName, Map.of("PGO_VERIFY", entry.id()), entry);
        BackupEntry result = outcome.succeeded() && "Verified".equals(outcome.result().get("status"))
                ? entry.withStatus(BackupStatus.Verified, null) : entry.failed(outcome.error());
        repository.save(result);
        return result;
    }

    @Override
    public void delete(BackupCatalog catalog, List<String> ids, String keepWalFromLsn) {
        var repository = open(catalog);
        var entries = repository.entries();
        repository.remove(ids);
        var task = new java.util.LinkedHashMap<String, String>();
        task.put("PGO_DELETE", String.join(" ", ids));
        if (keepWalFromLsn != null) {
            task.put("PGO_KEEP_WAL_FROM", segmentName(keepWalFromLsn));
        }
        String jobName = repository.cluster() + "-delete-" + ids.getLast();
        JobRun.Outcome outcome = maintenance(repository, jobName, task, entries.isEmpty() ? null : entries.getLast());
        if (!outcome.succeeded()) {
            throw new PgoException("the backups " + ids + " left the catalog, but deleting their files failed: "
                    + outcome.error(), "kubectl logs job/" + jobName + " shows why; the files use space until removed");
        }
    }

    /** The WAL file name pg_archivecleanup keeps from: the segment of the LSN (its timeline does not matter to it). */
    static String segmentName(String lsn) {
        return WalSegments.fileName(1, WalSegments.segmentOf(lsn));
    }

    private JobRun.Outcome maintenance(KubernetesBackupCatalog repository, String jobName, Map<String, String> task,
                                       BackupEntry sample) {
        int version = sample != null && sample.postgresVersion() != null && sample.postgresVersion() > 0
                ? sample.postgresVersion() : KubernetesPlatform.DEFAULT_POSTGRES_VERSION;
        jobs.get(jobName).ifPresent(old -> jobs.delete(jobName));
        Job job = BackupObjects.maintenanceJob(namespace, repository.cluster(), repository.volume(), repository.path(),
                jobName, task, config.get().imageFor(version));
        try {
            return jobs.run(job, MAINTENANCE_TIMEOUT, "Job " + jobName);
        } finally {
            jobs.delete(jobName);
        }
    }

    /** The backup volume, its catalog, and every backup Job of the cluster. */
    @Override
    public void deleteRepository(String cluster) {
        String name = BackupRepository.defaultName(cluster);
        Requests.call("delete the backup Jobs of " + cluster, () -> client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(ClusterLabels.CLUSTER, cluster).withLabel(BackupObjects.JOB_LABEL, "backup").delete());
        Requests.call("delete PVC " + name, () -> client.persistentVolumeClaims().inNamespace(namespace).withName(name)
                .delete());
        catalog(cluster).deleteCatalog();
    }
}

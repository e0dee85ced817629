package dev.pgo.platform.kubernetes;

import dev.pgo.backup.BackupEntry;
import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupRepository;
import dev.pgo.postgres.PodScripts;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of backups and restores, as pure functions like {@link ClusterObjects}:
 * the backup volume, a backup Job, the CronJob of a schedule, a Job that deletes backups, and the
 * Job (with its Secret) that restores a new cluster's primary. Jobs run the PostgreSQL image of
 * the cluster with their script inline, so they need nothing else of the cluster to exist.
 */
public final class BackupObjects {
    /** Where pods mount their cluster's backup volume; WAL is archived into its repository's wal/. */
    public static final String BACKUP_MOUNT = "/pgo/backups";
    /** Where a restore Job mounts the volume it restores from. */
    static final String SOURCE_MOUNT = "/pgo/restore";
    /** Where a restore Job reads its recovery settings and the new passwords. */
    static final String RESTORE_MOUNT = "/etc/pgo-restore";
    public static final String RECOVERY_FILE = "recovery.conf";
    public static final String PASSWORDS_FILE = "passwords.sql";
    /** What a Job of pgo's does: backup, delete-backups or restore. */
    public static final String JOB_LABEL = PgCluster.GROUP + "/job";
    public static final String BACKUP_ID_LABEL = PgCluster.GROUP + "/backup";
    /** The PostgreSQL major version a backup Job copies, for the catalog entry of a scheduled one. */
    public static final String VERSION_LABEL = PgCluster.GROUP + "/postgres-version";
    /** Labels the backup volume among a cluster's PVCs. */
    public static final String VOLUME_LABEL = PgCluster.GROUP + "/volume";
    /** On a restored primary's volume: the restore finished, the instance may start. */
    public static final String RESTORED_ANNOTATION = PgCluster.GROUP + "/restored";
    /** Kubernetes keeps the container's last words here; the scripts write their outcome into it. */
    static final String RESULT_FILE = "/dev/termination-log";
    private static final long FINISHED_JOB_TTL = 7 * 24 * 3600L;

    private BackupObjects() {
    }

    /** The WAL archive as the pods see it. */
    static String archiveDir(String cluster) {
        return repositoryDir(cluster) + "/" + BackupRepository.WAL_DIR;
    }

    static String repositoryDir(String cluster) {
        return BACKUP_MOUNT + "/" + BackupRepository.defaultName(cluster);
    }

    /**
     * The backup volume. It belongs to no cluster: backups outlive the cluster they were taken
     * of (a restore from them may be why it was deleted); `pgo delete backup NAME --all` removes it.
     */
    public static PersistentVolumeClaim backupVolume(PgCluster cluster, OperatorConfig config) {
        var spec = cluster.getSpec();
        String size = spec.getBackups() != null && spec.getBackups().getStorage() != null
                ? spec.getBackups().getStorage().getSize() : spec.getStorage().getSize();
        var labels = new LinkedHashMap<>(ClusterLabels.of(cluster));
        labels.put(VOLUME_LABEL, "backups");
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(ObjectNames.backups(cluster.name()))
                .withNamespace(cluster.getMetadata().getNamespace()).withLabels(labels).endMetadata()
                .withNewSpec()
                .withAccessModes(config.backupAccessMode())
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
                .endSpec()
                .build();
    }

    /**
     * The Job that takes backup {@code id} of {@code type} (full or logical) of the cluster's
     * primary, through the read-write Service.
     */
    public static Job backupJob(PgCluster cluster, String id, String type, OperatorConfig config) {
        String name = ObjectNames.backupJob(cluster.name(), id);
        var labels = backupLabels(cluster);
        labels.put(BACKUP_ID_LABEL, id);
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(labels).withOwnerReferences(ClusterObjects.owner(cluster)).endMetadata()
                .withSpec(backupJobSpec(cluster, id, type, config, labels))
                .build();
    }

    /**
     * Scheduled backups: each run's Job takes its backup id from the time it was due (its name
     * ends in that minute), so the id is known before the backup starts. A run never overlaps
     * the one before; a missed run is not made up.
     */
    public static CronJob backupSchedule(PgCluster cluster, OperatorConfig config) {
        var labels = backupLabels(cluster);
        return new CronJobBuilder()
                .withNewMetadata().withName(ObjectNames.backupSchedule(cluster.name()))
                .withNamespace(cluster.getMetadata().getNamespace()).withLabels(labels)
                .withOwnerReferences(ClusterObjects.owner(cluster)).endMetadata()
                .withNewSpec()
                .withSchedule(cluster.getSpec().getBackups().getSchedule())
                .withTimeZone("Etc/UTC")
                .withConcurrencyPolicy("Forbid")
                .withStartingDeadlineSeconds(300L)
                .withSuccessfulJobsHistoryLimit(3).withFailedJobsHistoryLimit(3)
                .withNewJobTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withSpec(backupJobSpec(cluster, null, BackupEntry.TYPE_FULL, config, labels))
                .endJobTemplate()
                .endSpec()
                .build();
    }

    private static JobSpec backupJobSpec(PgCluster cluster, String id, String type, OperatorConfig config,
                                         Map<String, String> labels) {
        String name = cluster.name();
        var env = new ArrayList<EnvVar>();
        env.add(env("PGO_REPOSITORY", repositoryDir(name)));
        if (id != null) {
            env.add(env("PGO_BACKUP_ID", id));
        }
        env.add(new EnvVarBuilder().withName("PGO_JOB_NAME").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.labels['job-name']").endFieldRef().endValueFrom().build());
        env.add(env("PGO_RW_HOST", ObjectNames.readWriteService(name)));
        env.add(env("PGO_RW_PORT", String.valueOf(ServerConfig.POD_PORT)));
        env.add(ClusterObjects.secretEnv("PGO_REPLICATION_PASSWORD", ObjectNames.secret(name, SpecValidator.REPLICATION_USER)));
        if (BackupEntry.TYPE_LOGICAL.equals(type)) {
            // pg_dump reads every database, which takes the superuser
            env.add(env("PGO_TYPE", type));
            env.add(ClusterObjects.secretEnv("PGO_SUPERUSER_PASSWORD", ObjectNames.secret(name, SpecValidator.SUPERUSER)));
        }
        env.add(env("PGO_RESULT_FILE", RESULT_FILE));
        PodSpec pod = pod(image(cluster, config), PodScripts.BACKUP, env,
                List.of(volume("backups", ObjectNames.backups(name))), List.of(mount("backups", BACKUP_MOUNT, false)));
        ClusterObjects.addTls(cluster, pod, pod.getContainers().getFirst(), false);
        return jobSpec(labels, pod);
    }

    /**
     * A Job that works on a repository without a server: deletes backups (then the archived WAL
     * before {@code keepWalFrom}, a segment file name, when given), or verifies one again.
     */
    public static Job maintenanceJob(String namespace, String cluster, String volume, String path, String jobName,
                                     Map<String, String> task, String image) {
        var labels = new LinkedHashMap<String, String>();
        labels.put(ClusterLabels.CLUSTER, cluster);
        labels.put(ClusterLabels.MANAGED_BY, "pgo");
        labels.put(JOB_LABEL, "maintenance");
        var env = new ArrayList<EnvVar>();
        env.add(env("PGO_REPOSITORY", BACKUP_MOUNT + "/" + path));
        task.forEach((name, value) -> env.add(env(name, value)));
        env.add(env("PGO_RESULT_FILE", RESULT_FILE));
        return new JobBuilder()
                .withNewMetadata().withName(jobName).withNamespace(namespace).withLabels(labels).endMetadata()
                .withSpec(jobSpec(labels, pod(image, PodScripts.BACKUP, env, List.of(volume("backups", volume)),
                        List.of(mount("backups", BACKUP_MOUNT, false)))))
                .build();
    }

    /** The restore's inputs that are not for everyone's eyes: the new passwords (as SCRAM verifiers) and what to replay. */
    public static Secret restoreSecret(PgCluster cluster, String recoverySettings, String passwordsSql) {
        return new SecretBuilder()
                .withNewMetadata().withName(ObjectNames.restore(cluster.name()))
                .withNamespace(cluster.getMetadata().getNamespace()).withLabels(jobLabels(cluster, "restore"))
                .withOwnerReferences(ClusterObjects.owner(cluster)).endMetadata()
                .addToStringData(RECOVERY_FILE, recoverySettings)
                .addToStringData(PASSWORDS_FILE, passwordsSql)
                .build();
    }

    /**
     * The Job that fills the primary's volume from {@code backupPath} (repository/id) in the
     * {@code sourceVolume} PVC, before the StatefulSet starts the instance.
     */
    public static Job restoreJob(PgCluster cluster, String instance, String sourceVolume, String backupPath,
                                 OperatorConfig config) {
        var labels = jobLabels(cluster, "restore");
        var env = List.of(
                env("PGDATA", ClusterObjects.PGDATA),
                env("PGO_BACKUP_DIR", SOURCE_MOUNT + "/" + backupPath),
                env("PGO_RESTORE_DIR", RESTORE_MOUNT),
                env("PGO_RESULT_FILE", RESULT_FILE));
        var volumes = List.of(
                new VolumeBuilder().withName("pgdata").withNewPersistentVolumeClaim()
                        .withClaimName(InstanceNames.dataVolume(instance)).endPersistentVolumeClaim().build(),
                new VolumeBuilder().withName("source").withNewPersistentVolumeClaim()
                        .withClaimName(sourceVolume).withReadOnly(true).endPersistentVolumeClaim().build(),
                new VolumeBuilder().withName("config").withNewConfigMap()
                        .withName(ObjectNames.configMap(cluster.name())).withDefaultMode(0444).endConfigMap().build(),
                new VolumeBuilder().withName("restore").withNewSecret()
                        .withSecretName(ObjectNames.restore(cluster.name())).withDefaultMode(0400).endSecret().build());
        var mounts = List.of(
                mount("pgdata", ClusterObjects.DATA_MOUNT, false),
                mount("source", SOURCE_MOUNT, true),
                // the restored postgresql.conf includes the cluster's shared settings from here
                mount("config", ClusterObjects.CONFIG_MOUNT, true),
                mount("restore", RESTORE_MOUNT, true));
        return new JobBuilder()
                .withNewMetadata().withName(ObjectNames.restore(cluster.name()))
                .withNamespace(cluster.getMetadata().getNamespace()).withLabels(labels)
                .withOwnerReferences(ClusterObjects.owner(cluster)).endMetadata()
                .withSpec(jobSpec(labels, pod(image(cluster, config), PodScripts.RESTORE, env, volumes, mounts)))
                .build();
    }

    /** The primary's volume, made before its pod so the restore can fill it; the StatefulSet adopts it by name. */
    public static PersistentVolumeClaim dataVolume(PgCluster cluster, String instance) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(InstanceNames.dataVolume(instance))
                .withNamespace(cluster.getMetadata().getNamespace()).withLabels(ClusterLabels.of(cluster)).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(cluster.getSpec().getStorage().getSize()))
                .endResources()
                .endSpec()
                .build();
    }

    static String image(PgCluster cluster, OperatorConfig config) {
        var spec = cluster.getSpec();
        return spec.getImage() != null ? spec.getImage() : config.imageFor(spec.getPostgresVersion());
    }

    private static LinkedHashMap<String, String> backupLabels(PgCluster cluster) {
        var labels = jobLabels(cluster, "backup");
        labels.put(VERSION_LABEL, String.valueOf(cluster.getSpec().getPostgresVersion()));
        return labels;
    }

    private static LinkedHashMap<String, String> jobLabels(PgCluster cluster, String job) {
        var labels = new LinkedHashMap<String, String>();
        labels.put(ClusterLabels.CLUSTER, cluster.name());
        labels.put(ClusterLabels.MANAGED_BY, "pgo");
        labels.put(JOB_LABEL, job);
        return labels;
    }

    /** Run once: a failed backup is recorded Failed and the next one starts afresh, rather than retried over its leftovers. */
    private static JobSpec jobSpec(Map<String, String> labels, PodSpec pod) {
        return new JobSpecBuilder()
                .withBackoffLimit(0)
                .withTtlSecondsAfterFinished((int) FINISHED_JOB_TTL)
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withSpec(pod).endTemplate()
                .build();
    }

    private static PodSpec pod(String image, String script, List<EnvVar> env, List<Volume> volumes,
                               List<VolumeMount> mounts) {
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withNewSecurityContext()
                .withRunAsUser(ClusterObjects.POSTGRES_UID).withRunAsGroup(ClusterObjects.POSTGRES_UID)
                .withFsGroup(ClusterObjects.POSTGRES_UID).withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName(script.replace(".sh", ""))
                .withImage(image)
                .withCommand("bash", "-c", PodScripts.text(script), script)
                .withEnv(env)
                // the script's outcome when it wrote one, its last log lines when it could not
                .withTerminationMessagePath(RESULT_FILE)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .withVolumeMounts(mounts)
                .endContainer()
                .withVolumes(volumes)
                .build();
    }

    private static Volume volume(String name, String claim) {
        return new VolumeBuilder().withName(name).withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().build();
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}

package dev.pgo.platform.kubernetes;

import dev.pgo.backup.BackupCatalog;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupIds;
import dev.pgo.backup.BackupStatus;
import dev.pgo.manifest.Manifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A backup repository's catalog on Kubernetes: a ConfigMap named like the repository, one key per
 * backup id holding its entry as JSON. The repository itself is a PVC only pods mount, so this
 * is what commands read. Entries follow the backup Jobs: a Job that finished (also one the
 * schedule's CronJob made, which nobody waited for) is recorded from its termination message
 * when the catalog is next read; a Running entry whose Job is gone reads as Failed.
 */
final class KubernetesBackupCatalog implements BackupCatalog {
    private final KubernetesClient client;
    private final String namespace;
    private final String volume;
    private final String path;
    private final String cluster;
    private final JobRun jobs;

    KubernetesBackupCatalog(KubernetesClient client, String namespace, String volume, String path, String cluster) {
        this.client = client;
        this.namespace = namespace;
        this.volume = volume;
        this.path = path;
        this.cluster = cluster;
        this.jobs = new JobRun(client, namespace);
    }

    @Override
    public String volume() {
        return volume;
    }

    @Override
    public String path() {
        return path;
    }

    String cluster() {
        return cluster;
    }

    /** Whether the repository has a backup: recorded, or a Job taking one. Settles nothing. */
    boolean exists() {
        ConfigMap map = configMap();
        return map != null && map.getData() != null && !map.getData().isEmpty() || !backupJobs().isEmpty();
    }

    @Override
    public List<BackupEntry> entries() {
        var entries = new TreeMap<String, BackupEntry>(recorded());
        List<Job> jobList = backupJobs();
        for (Job job : jobList) {
            String id = idOf(job);
            if (id == null) {
                continue;
            }
            BackupEntry known = entries.get(id);
            if (known != null && known.status() != BackupStatus.Running) {
                continue;
            }
            var outcome = jobs.outcome(job);
            if (outcome.isPresent()) {
                BackupEntry settled = settle(known != null ? known : started(job, id), outcome.get());
                save(settled);
                entries.put(id, settled);
            } else if (known == null) {
                entries.put(id, started(job, id));
            }
        }
        var jobIds = jobList.stream().map(KubernetesBackupCatalog::idOf).toList();
        for (BackupEntry entry : List.copyOf(entries.values())) {
            if (entry.status() == BackupStatus.Running && !jobIds.contains(entry.id())) {
                BackupEntry failed = entry.failed("interrupted: its Job is gone before it reported an outcome");
                save(failed);
                entries.put(entry.id(), failed);
            }
        }
        return entries.values().stream().sorted(Comparator.comparing(BackupEntry::id)).toList();
    }

    /** From the first backup on, the pods archive WAL into the repository. */
    @Override
    public boolean archivesWal() {
        return !recorded().isEmpty();
    }

    /** The archive's files are out of reach here; the primary's pg_stat_archiver tells (see BackupService). */
    @Override
    public Optional<Instant> lastArchived() {
        return Optional.empty();
    }

    /** The entry a backup's outcome makes of the one recorded when it started. */
    static BackupEntry settle(BackupEntry started, JobRun.Outcome outcome) {
        Map<String, String> r = outcome.result();
        String stop = r.get("stopTime");
        BackupStatus status = outcome.succeeded() && "Verified".equals(r.get("status")) ? BackupStatus.Verified
                : BackupStatus.Failed;
        String start = r.getOrDefault("startTime", started.startTime());
        Double duration = stop == null || start == null || start.isEmpty() ? null
                : Duration.between(Instant.parse(start), Instant.parse(stop)).toMillis() / 1000.0;
        return new BackupEntry(started.id(), started.cluster(), started.type(), status, started.instance(),
                started.postgresVersion(), start, stop, r.get("startLsn"), r.get("stopLsn"),
                r.containsKey("timeline") ? Integer.valueOf(r.get("timeline")) : null,
                r.containsKey("sizeBytes") ? Long.valueOf(r.get("sizeBytes")) : null, duration,
                status == BackupStatus.Failed ? outcome.error() : null, started.contents());
    }

    /** What is known of a backup Job nobody recorded yet (a scheduled one): its cluster, version and start. */
    private BackupEntry started(Job job, String id) {
        var labels = job.getMetadata().getLabels();
        String version = labels.get(BackupObjects.VERSION_LABEL);
        String created = job.getMetadata().getCreationTimestamp();
        Instant start = created != null ? Instant.parse(created) : Instant.now();
        return BackupEntry.starting(id, cluster, null, version == null ? 0 : Integer.parseInt(version), start);
    }

    /** A backup Job's id: its label, or for a scheduled one the minute it was due, which its name ends in. */
    static String idOf(Job job) {
        var labels = job.getMetadata().getLabels();
        String id = labels == null ? null : labels.get(BackupObjects.BACKUP_ID_LABEL);
        if (id != null) {
            return id;
        }
        String name = job.getMetadata().getName();
        String minutes = name.substring(name.lastIndexOf('-') + 1);
        if (!minutes.matches("[0-9]{1,12}")) {
            return null;
        }
        return BackupIds.of(Instant.ofEpochSecond(Long.parseLong(minutes) * 60));
    }

    private List<Job> backupJobs() {
        return Requests.call("list the backup Jobs of " + cluster, () -> client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(ClusterLabels.CLUSTER, cluster).withLabel(BackupObjects.JOB_LABEL, "backup")
                .list().getItems());
    }

    private Map<String, BackupEntry> recorded() {
        ConfigMap map = configMap();
        var entries = new LinkedHashMap<String, BackupEntry>();
        if (map == null || map.getData() == null) {
            return entries;
        }
        map.getData().forEach((id, json) -> {
            if (BackupIds.isId(id)) {
                entries.put(id, Manifests.readAs(json, BackupEntry.class, "the catalog entry of backup " + id));
            }
        });
        return entries;
    }

    private ConfigMap configMap() {
        return Requests.call("read ConfigMap " + path, () -> client.configMaps().inNamespace(namespace)
                .withName(path).get());
    }

    /** Records an entry; the ConfigMap is made with the first one. */
    void save(BackupEntry entry) {
        String json = Manifests.toJson(entry);
        if (configMap() == null) {
            var labels = new LinkedHashMap<String, String>();
            labels.put(ClusterLabels.CLUSTER, cluster);
            labels.put(ClusterLabels.MANAGED_BY, "pgo");
            labels.put(BackupObjects.VOLUME_LABEL, "backup-catalog");
            Requests.call("create ConfigMap " + path, () -> client.configMaps().inNamespace(namespace)
                    .resource(new ConfigMapBuilder().withNewMetadata().withName(path).withLabels(labels).endMetadata()
                            .addToData(entry.id(), json).build()).create());
            return;
        }
        Requests.call("record backup " + entry.id(), () -> client.configMaps().inNamespace(namespace).withName(path)
                .edit(map -> {
                    var data = map.getData() == null ? new LinkedHashMap<String, String>() : new LinkedHashMap<>(map.getData());
                    data.put(entry.id(), json);
                    map.setData(data);
                    return map;
                }));
    }

    /** Removes entries: from then on the backups are not offered, whatever is left of their files. */
    void remove(List<String> ids) {
        if (configMap() == null) {
            return;
        }
        Requests.call("remove backups " + ids + " from the catalog", () -> client.configMaps().inNamespace(namespace)
                .withName(path).edit(map -> {
                    var data = new LinkedHashMap<>(map.getData());
                    ids.forEach(data::remove);
                    map.setData(data);
                    return map;
                }));
    }

    void deleteCatalog() {
        Requests.call("delete ConfigMap " + path, () -> client.configMaps().inNamespace(namespace).withName(path).delete());
    }
}

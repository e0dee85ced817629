package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.Metadata;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.ClusterResources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import dev.pgo.manifest.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps a cluster's StatefulSet, Services, ConfigMap, PodDisruptionBudget, backup volume and
 * backup CronJob as {@link ClusterObjects} and {@link BackupObjects} build them. An object is written only when it is missing or its
 * applied fingerprint differs, so a pass over an unchanged cluster writes nothing.
 */
final class KubernetesResources implements ClusterResources {
    private final KubernetesClient client;
    private final String namespace;
    private final Supplier<OperatorConfig> config;
    private final ObjectReads reads;
    /**
     * Per cluster, what it wanted the last time it was asked and from what. Building a cluster's
     * objects and fingerprinting them (JSON and SHA-256 of a StatefulSet and its scripts) is most
     * of the CPU a pass takes, and a pass over an unchanged cluster wants the same again.
     */
    private final Map<String, Fingerprints> fingerprints = new ConcurrentHashMap<>();

    /** What {@link #desired} reads: the same inputs make the same objects. */
    private record Inputs(String spec, Map<String, String> labels, Map<String, String> annotations, String namespace,
                          String uid, String primaryInstance, OperatorConfig config, boolean awaitingRestore) {
        static Inputs of(PgCluster cluster, String primaryInstance, OperatorConfig config, boolean awaitingRestore) {
            var meta = cluster.getMetadata();
            return new Inputs(Manifests.toJson(cluster.getSpec()), copy(meta.getLabels()), copy(meta.getAnnotations()),
                    meta.getNamespace(), meta.getUid(), primaryInstance, config, awaitingRestore);
        }

        private static Map<String, String> copy(Map<String, String> map) {
            return map == null ? Map.of() : Map.copyOf(map);
        }
    }

    /** What {@link #differs} compares of an object pgo wants. */
    private record Fingerprint(Class<? extends HasMetadata> type, String name, String label, Map<String, String> labels,
                               List<OwnerReference> owners, String applied) {
        static Fingerprint of(HasMetadata object) {
            var meta = object.getMetadata();
            return new Fingerprint(object.getClass(), meta.getName(), KubernetesResources.label(object),
                    meta.getLabels() == null ? Map.of() : Map.copyOf(meta.getLabels()),
                    meta.getOwnerReferences() == null ? List.of() : List.copyOf(meta.getOwnerReferences()),
                    AppliedHash.read(object));
        }
    }

    private record Fingerprints(Inputs inputs, List<Fingerprint> wanted) {
    }

    private final KubernetesTls tls;
    /**
     * What the last drift() of each cluster found missing. The sync() of the same pass creates
     * those without reading them again; one that another writer made meanwhile answers the
     * create with a conflict, which is then handled as any other.
     */
    private final Map<String, java.util.Set<String>> missing = new java.util.concurrent.ConcurrentHashMap<>();

    KubernetesResources(KubernetesClient client, String namespace, Supplier<OperatorConfig> config, ObjectReads reads) {
        this.client = client;
        this.namespace = namespace;
        this.config = config;
        this.reads = reads;
        this.tls = new KubernetesTls(client, namespace, reads, java.time.Clock.systemUTC());
    }

    KubernetesTls tls() {
        return tls;
    }

    /** What pgo wants to exist, each stamped with its fingerprint, in the order it is created. */
    List<HasMetadata> desired(PgCluster cluster, String primaryInstance) {
        return desired(cluster, primaryInstance, config.get(), awaitingRestore(cluster, primaryInstance));
    }

    private List<HasMetadata> desired(PgCluster cluster, String primaryInstance, OperatorConfig config,
                                      boolean awaitingRestore) {
        var objects = new ArrayList<HasMetadata>();
        objects.add(ClusterObjects.configMap(cluster, primaryInstance));
        objects.add(ClusterObjects.podsService(cluster));
        objects.add(ClusterObjects.readWriteService(cluster));
        objects.add(ClusterObjects.readOnlyService(cluster));
        // With one instance a budget on the primary would block every node drain for good.
        if (cluster.getSpec().getInstances() > 1) {
            objects.add(ClusterObjects.podDisruptionBudget(cluster));
        }
        if (scheduled(cluster)) {
            objects.add(BackupObjects.backupSchedule(cluster, config));
        }
        objects.add(ClusterObjects.statefulSet(cluster, config, awaitingRestore ? 0 : cluster.getSpec().getInstances()));
        objects.forEach(AppliedHash::stamp);
        return objects;
    }

    /** The fingerprints of {@link #desired}, made again only when what they are made from changed. */
    List<Fingerprint> wanted(PgCluster cluster, String primaryInstance) {
        OperatorConfig current = config.get();
        boolean restoring = awaitingRestore(cluster, primaryInstance);
        Inputs inputs = Inputs.of(cluster, primaryInstance, current, restoring);
        Fingerprints known = fingerprints.get(cluster.name());
        if (known != null && known.inputs().equals(inputs)) {
            return known.wanted();
        }
        List<Fingerprint> wanted = desired(cluster, primaryInstance, current, restoring).stream()
                .map(Fingerprint::of).toList();
        fingerprints.put(cluster.name(), new Fingerprints(inputs, wanted));
        return wanted;
    }

    private static boolean scheduled(PgCluster cluster) {
        return cluster.getSpec().getBackups() != null && cluster.getSpec().getBackups().getSchedule() != null;
    }

    /**
     * Whether the cluster is made from a backup whose restore has not finished: until it has, no
     * pod runs (the restore Job has the primary's volume to itself).
     */
    boolean awaitingRestore(PgCluster cluster, String primaryInstance) {
        if (cluster.getSpec().getRestore() == null) {
            return false;
        }
        PersistentVolumeClaim volume = get(PersistentVolumeClaim.class, InstanceNames.dataVolume(primaryInstance));
        return !restored(volume);
    }

    static boolean restored(PersistentVolumeClaim volume) {
        return volume != null && volume.getMetadata().getAnnotations() != null
                && volume.getMetadata().getAnnotations().containsKey(BackupObjects.RESTORED_ANNOTATION);
    }

    OperatorConfig config() {
        return config.get();
    }

    /** The fingerprint of the pod template pgo would give the cluster's StatefulSet now. */
    String podTemplateHash(PgCluster cluster) {
        return ClusterObjects.templateHash(ClusterObjects.statefulSet(cluster, config.get()));
    }

    /** Objects pgo may have made earlier that the current spec does not want. */
    private List<HasMetadata> unwanted(PgCluster cluster) {
        var unwanted = new ArrayList<HasMetadata>();
        if (cluster.getSpec().getInstances() <= 1) {
            PodDisruptionBudget budget = get(PodDisruptionBudget.class, ObjectNames.podDisruptionBudget(cluster.name()));
            if (budget != null) {
                unwanted.add(budget);
            }
        }
        if (!scheduled(cluster)) {
            CronJob schedule = get(CronJob.class, ObjectNames.backupSchedule(cluster.name()));
            if (schedule != null) {
                unwanted.add(schedule);
            }
        }
        return unwanted;
    }

    /** The backup volume is made once and never rewritten (a PVC's spec barely changes); it outlives the cluster. */
    private PersistentVolumeClaim missingBackupVolume(PgCluster cluster) {
        if (get(PersistentVolumeClaim.class, ObjectNames.backups(cluster.name())) != null) {
            return null;
        }
        return BackupObjects.backupVolume(cluster, config.get());
    }

    @Override
    public List<String> drift(PgCluster cluster, String primaryInstance) {
        var drift = new ArrayList<String>();
        PersistentVolumeClaim backupVolume = missingBackupVolume(cluster);
        if (backupVolume != null) {
            drift.add(label(backupVolume));
        }
        var absent = new java.util.HashSet<String>();
        for (Fingerprint wanted : wanted(cluster, primaryInstance)) {
            HasMetadata existing = get(wanted.type(), wanted.name());
            if (existing == null) {
                absent.add(wanted.label());
            }
            if (existing == null || differs(existing, wanted)) {
                drift.add(wanted.label());
            }
        }
        missing.put(cluster.name(), absent);
        if (tls.drifted(cluster)) {
            drift.add("Secret " + ObjectNames.tlsSecret(cluster.name()));
        }
        unwanted(cluster).forEach(o -> drift.add("(delete) " + label(o)));
        return drift;
    }

    @Override
    public void sync(PgCluster cluster, String primaryInstance) {
        PersistentVolumeClaim backupVolume = missingBackupVolume(cluster);
        if (backupVolume != null) {
            Requests.call("create " + label(backupVolume), () -> client.resource(backupVolume).inNamespace(namespace)
                    .create());
        }
        tls.ensure(cluster); // before the StatefulSet whose pods mount it
        java.util.Set<String> absent = java.util.Objects.requireNonNullElse(missing.remove(cluster.name()),
                java.util.Set.of());
        for (HasMetadata wanted : desired(cluster, primaryInstance)) {
            HasMetadata existing = absent.contains(label(wanted)) ? null
                    : get(wanted.getClass(), wanted.getMetadata().getName());
            try {
                write(existing, wanted);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw Requests.failure((existing == null ? "create " : "update ") + label(wanted), e);
                }
                // What was read is older than what the server holds (a watch that had not seen the
                // last write yet, another writer): once more, from the server's copy.
                HasMetadata newest = Requests.call("read " + label(wanted), () -> ObjectReads.api(client)
                        .get(wanted.getClass(), namespace, wanted.getMetadata().getName()));
                Requests.call("write " + label(wanted), () -> write(newest, wanted));
            }
        }
        for (HasMetadata object : unwanted(cluster)) {
            Requests.call("delete " + label(object), () -> client.resource(object).inNamespace(namespace).delete());
        }
    }

    /** Creates {@code wanted}, or updates {@code existing} to it where it differs. */
    private Void write(HasMetadata existing, HasMetadata wanted) {
        if (existing == null) {
            client.resource(wanted).inNamespace(namespace).create();
        } else if (differs(existing, Fingerprint.of(wanted))) {
            client.resource(merge(existing, wanted)).inNamespace(namespace).update();
        }
        return null;
    }

    @Override
    public void delete(PgCluster cluster) {
        missing.remove(cluster.name());
        String name = cluster.name();
        fingerprints.remove(name);
        deleteIfPresent(StatefulSet.class, ObjectNames.statefulSet(name));
        deleteIfPresent(CronJob.class, ObjectNames.backupSchedule(name));
        deleteIfPresent(PodDisruptionBudget.class, ObjectNames.podDisruptionBudget(name));
        deleteIfPresent(Service.class, ObjectNames.readWriteService(name));
        deleteIfPresent(Service.class, ObjectNames.readOnlyService(name));
        deleteIfPresent(Service.class, ObjectNames.podsService(name));
        deleteIfPresent(ConfigMap.class, ObjectNames.configMap(name));
    }

    private <T extends HasMetadata> void deleteIfPresent(Class<T> type, String name) {
        Requests.call("delete " + type.getSimpleName() + " " + name,
                () -> client.resources(type).inNamespace(namespace).withName(name).delete());
    }

    private <T extends HasMetadata> T get(Class<T> type, String name) {
        return Requests.call("read " + type.getSimpleName() + " " + name,
                () -> reads.get(type, namespace, name));
    }

    private static boolean differs(HasMetadata existing, Fingerprint wanted) {
        Map<String, String> labels = existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels();
        boolean labelsMissing = !labels.entrySet().containsAll(wanted.labels().entrySet());
        boolean ownerMissing = existing.getMetadata().getOwnerReferences() == null
                || !existing.getMetadata().getOwnerReferences().containsAll(wanted.owners());
        return labelsMissing || ownerMissing || !Objects.equals(AppliedHash.read(existing), wanted.applied());
    }

    /**
     * The existing object with pgo's part replaced: labels and annotations merged (others' kept),
     * owner and content from {@code wanted}, and what the API server assigned or will not let
     * change kept from {@code existing}.
     */
    static HasMetadata merge(HasMetadata existing, HasMetadata wanted) {
        Metadata.addLabels(existing.getMetadata(), wanted.getMetadata().getLabels());
        Metadata.addAnnotations(existing.getMetadata(), wanted.getMetadata().getAnnotations());
        existing.getMetadata().setOwnerReferences(wanted.getMetadata().getOwnerReferences());
        switch (existing) {
            case ConfigMap cm -> cm.setData(((ConfigMap) wanted).getData());
            case Service service -> {
                var spec = ((Service) wanted).getSpec();
                // assigned by the API server and immutable
                spec.setClusterIP(service.getSpec().getClusterIP());
                spec.setClusterIPs(service.getSpec().getClusterIPs());
                spec.setIpFamilies(service.getSpec().getIpFamilies());
                spec.setIpFamilyPolicy(service.getSpec().getIpFamilyPolicy());
                service.setSpec(spec);
            }
            case PodDisruptionBudget budget -> budget.setSpec(((PodDisruptionBudget) wanted).getSpec());
            case CronJob schedule -> schedule.setSpec(((CronJob) wanted).getSpec());
            case StatefulSet set -> {
                var spec = ((StatefulSet) wanted).getSpec();
                // A StatefulSet's claim templates cannot change; volumes grow through their claims.
                spec.setVolumeClaimTemplates(set.getSpec().getVolumeClaimTemplates());
                set.setSpec(spec);
            }
            default -> throw new IllegalArgumentException("pgo does not manage " + existing.getKind());
        }
        return existing;
    }

    private static String label(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getName();
    }
}

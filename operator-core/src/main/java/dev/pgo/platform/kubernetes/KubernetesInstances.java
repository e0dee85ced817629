package dev.pgo.platform.kubernetes;

import dev.pgo.Pause;
import dev.pgo.PgoException;
import dev.pgo.api.v1.Endpoints;
import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.Metadata;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupRepository;
import dev.pgo.backup.RestorePoint;
import dev.pgo.platform.InstanceOperations;
import dev.pgo.platform.InstanceRuntime;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;
import dev.pgo.tls.TlsBundle;
import dev.pgo.sql.PasswordReset;
import dev.pgo.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instances as pods of the cluster's StatefulSet. A pod bootstraps itself with the script in the
 * ConfigMap, so "bootstrap" and "start" come down to the StatefulSet covering the instance's
 * ordinal; what pgo does per pod is label its role (which the Services select on) and reload a
 * changed configuration.
 */
final class KubernetesInstances implements InstanceOperations {
    private static final Duration RESTORE_TIMEOUT = Duration.ofHours(12);
    /** The fingerprint of the shared configuration a pod last reloaded. */
    static final String CONFIG_ANNOTATION = PgCluster.GROUP + "/config";

    private final KubernetesClient client;
    private final String namespace;
    private final KubernetesResources resources;
    private final PodAddresses addresses;
    private final ConfigReloader reloader;
    private final ObjectReads reads;
    /**
     * The pods each cluster's last observation listed, by name: the checks the observer makes
     * right after (configuration drift, outdated template) read them instead of asking again.
     */
    private final Map<String, Map<String, Pod>> observedPods = new ConcurrentHashMap<>();

    KubernetesInstances(KubernetesClient client, String namespace, KubernetesResources resources,
                        PodAddresses addresses, ConfigReloader reloader, ObjectReads reads) {
        this.client = client;
        this.reads = reads;
        this.namespace = namespace;
        this.resources = resources;
        this.addresses = addresses;
        this.reloader = reloader;
    }

    @Override
    public List<InstanceRuntime> observe(PgCluster cluster) {
        String name = cluster.name();
        Map<Integer, Pod> pods = new HashMap<>();
        Map<String, Pod> byName = new HashMap<>();
        for (Pod pod : Requests.call("list the pods of " + name,
                () -> reads.list(Pod.class, namespace, ClusterLabels.selector(name)))) {
            int ordinal = InstanceNames.ordinal(name, pod.getMetadata().getName());
            if (ordinal >= 0) {
                pods.put(ordinal, pod);
                byName.put(pod.getMetadata().getName(), pod);
            }
        }
        observedPods.put(name, byName);
        Map<Integer, PersistentVolumeClaim> claims = new HashMap<>();
        for (PersistentVolumeClaim claim : Requests.call("list the PVCs of " + name,
                () -> reads.list(PersistentVolumeClaim.class, namespace, Map.of(ClusterLabels.CLUSTER, name)))) {
            int ordinal = InstanceNames.ordinal(name, InstanceNames.instanceOfVolume(claim.getMetadata().getName()));
            if (ordinal >= 0) {
                claims.put(ordinal, claim);
            }
        }
        int replicas = replicas(name);
        var ordinals = new TreeSet<Integer>();
        ordinals.addAll(pods.keySet());
        ordinals.addAll(claims.keySet());
        for (int i = 0; i < replicas; i++) {
            ordinals.add(i);
        }
        var runtimes = new ArrayList<InstanceRuntime>();
        for (int ordinal : ordinals) {
            String instance = InstanceNames.instance(name, ordinal);
            Pod pod = pods.get(ordinal);
            boolean covered = ordinal < replicas;
            // A volume made for a restore holds a primary only once the restore finished.
            boolean initialized = covered || pod != null || claims.containsKey(ordinal)
                    && (cluster.getSpec().getRestore() == null || KubernetesResources.restored(claims.get(ordinal)));
            boolean running = pod != null && PodState.ready(pod);
            String pending = null;
            if (!running) {
                if (pod != null) {
                    pending = PodState.notReadyReason(pod);
                } else if (covered) {
                    pending = "waiting for the StatefulSet to create the pod";
                }
            }
            Endpoint endpoint = pod != null ? resources.tls().endpoint(cluster, pod, addresses.of(pod))
                    : new Endpoint(instance + "." + ObjectNames.podsService(name) + "." + namespace + ".svc",
                    ServerConfig.POD_PORT);
            runtimes.add(new InstanceRuntime(instance, ordinal, InstanceNames.dataVolume(instance), initialized,
                    running, endpoint, pending));
        }
        return runtimes;
    }

    private int replicas(String cluster) {
        StatefulSet set = Requests.call("read StatefulSet " + cluster,
                () -> reads.get(StatefulSet.class, namespace, ObjectNames.statefulSet(cluster)));
        return set == null || set.getSpec().getReplicas() == null ? 0 : set.getSpec().getReplicas();
    }

    @Override
    public void bootstrapPrimary(PgCluster cluster, String instance, Credentials superuser) {
        // The pod runs initdb itself, with the superuser's password from its Secret.
        resources.sync(cluster, instance);
    }

    /**
     * Fills the primary's volume from the backup with a restore Job while no pod runs (the
     * StatefulSet has none until the volume is marked restored), then lets the StatefulSet start
     * the instance. The new passwords reach the Job in a Secret, as SCRAM verifiers.
     */
    @Override
    public void restorePrimary(PgCluster cluster, String instance, RestorePoint point, List<Credentials> logins) {
        String name = ObjectNames.restore(cluster.name());
        String volume = InstanceNames.dataVolume(instance);
        if (Requests.call("read PVC " + volume, () -> reads.get(PersistentVolumeClaim.class, namespace, volume)) == null) {
            Requests.call("create PVC " + volume, () -> client.resource(BackupObjects.dataVolume(cluster, instance))
                    .inNamespace(namespace).create());
        }
        String restoreCommand = ServerConfig.restoreCommand(BackupObjects.SOURCE_MOUNT + "/" + point.repository().path()
                + "/" + BackupRepository.WAL_DIR);
        String recovery = "# Restore of " + point.describe() + "\n"
                + ServerConfig.settingsText(point.recoverySettings(restoreCommand));
        Secret secret = BackupObjects.restoreSecret(cluster, recovery, PasswordReset.singleUserSql(logins));
        Requests.call("write Secret " + name, () -> client.resource(secret).inNamespace(namespace).createOr(
                io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update));
        var jobs = new JobRun(client, namespace);
        jobs.get(name).ifPresent(old -> jobs.delete(name));
        awaitGone(jobs, name);
        Job job = BackupObjects.restoreJob(cluster, instance, point.repository().volume(),
                point.repository().pathOf(point.backup().id()), resources.config());
        JobRun.Outcome outcome;
        try {
            outcome = jobs.run(job, RESTORE_TIMEOUT, "the restore of " + instance);
        } finally {
            Requests.call("delete Secret " + name, () -> client.secrets().inNamespace(namespace).withName(name).delete());
        }
        if (!outcome.succeeded()) {
            throw new PgoException("the restore of " + instance + " from " + point.describe() + " failed: "
                    + outcome.error(), "kubectl logs job/" + name + " shows its output; the next pass tries again");
        }
        jobs.delete(name);
        Requests.call("mark PVC " + volume + " restored", () -> client.persistentVolumeClaims().inNamespace(namespace)
                .withName(volume).edit(claim -> {
                    Metadata.addAnnotations(claim.getMetadata(), Map.of(BackupObjects.RESTORED_ANNOTATION,
                            point.describe()));
                    return claim;
                }));
        resources.sync(cluster, instance);
    }

    /** A Job being deleted still holds its name; the next one waits for it. */
    private static void awaitGone(JobRun jobs, String name) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (jobs.get(name).isPresent() && System.nanoTime() < deadline) {
            Pause.sleep(Duration.ofMillis(250), "interrupted while waiting for Job " + name + " to go");
        }
    }

    @Override
    public void bootstrapReplica(PgCluster cluster, String instance, Endpoint primary, String primaryInstance,
                                 Credentials replication, String slot) {
        // The pod clones itself from the read-write Service once its slot and the replication role exist.
        resources.sync(cluster, primaryInstance);
    }

    @Override
    public void start(PgCluster cluster, String instance, String primaryInstance) {
        resources.sync(cluster, primaryInstance);
    }

    @Override
    public boolean configDrifted(PgCluster cluster, String instance, String primaryInstance) {
        Pod pod = observedPod(cluster, instance);
        if (pod == null) {
            return false;
        }
        return !Objects.equals(label(pod), role(instance, primaryInstance))
                || !Objects.equals(annotation(pod), configHash(cluster, certificate(cluster)));
    }

    @Override
    public void configure(PgCluster cluster, String instance, String primaryInstance) {
        Pod pod = pod(instance);
        if (pod == null) {
            return;
        }
        var labels = new LinkedHashMap<String, String>();
        var annotations = new LinkedHashMap<String, String>();
        if (!Objects.equals(label(pod), role(instance, primaryInstance))) {
            labels.put(ClusterLabels.ROLE, role(instance, primaryInstance));
        }
        String certificate = certificate(cluster);
        String hash = configHash(cluster, certificate);
        if (!Objects.equals(annotation(pod), hash) && PodState.ready(pod)) {
            if (reloader.reload(cluster, instance, resources.tls().endpoint(cluster, pod, addresses.of(pod)),
                    ClusterObjects.sharedSettings(cluster), ClusterObjects.hba(cluster), certificate)) {
                annotations.put(CONFIG_ANNOTATION, hash);
            }
        }
        if (labels.isEmpty() && annotations.isEmpty()) {
            return;
        }
        Requests.call("label pod " + instance, () -> client.pods().inNamespace(namespace).withName(instance).edit(p -> {
            Metadata.addLabels(p.getMetadata(), labels);
            Metadata.addAnnotations(p.getMetadata(), annotations);
            return p;
        }));
    }

    @Override
    public boolean outdated(PgCluster cluster, String instance) {
        Pod pod = observedPod(cluster, instance);
        if (pod == null) {
            return false;
        }
        var annotations = pod.getMetadata().getAnnotations();
        String running = annotations == null ? null : annotations.get(ClusterObjects.TEMPLATE_ANNOTATION);
        return !Objects.equals(running, resources.podTemplateHash(cluster));
    }

    /**
     * Deletes the pod; the StatefulSet (update strategy OnDelete) makes it again from the current
     * template, and the preStop hook shuts PostgreSQL down fast and cleanly first.
     */
    @Override
    public void restart(PgCluster cluster, String instance, String primaryInstance) {
        Requests.call("delete pod " + instance, () -> client.pods().inNamespace(namespace).withName(instance).delete());
    }

    /**
     * Names the new primary in the ConfigMap (the pod reads it when it starts again), takes the
     * pod out of the read-write Service, then deletes it and waits until it is gone. The pod has
     * the replication password from its Secret.
     */
    @Override
    public void stopForSwitchover(PgCluster cluster, String instance, String newPrimary, Credentials replication) {
        resources.sync(cluster, newPrimary);
        Pod pod = pod(instance);
        if (pod == null) {
            return;
        }
        labelReplica(instance);
        restart(cluster, instance, newPrimary);
        long grace = pod.getSpec().getTerminationGracePeriodSeconds() == null ? 30
                : pod.getSpec().getTerminationGracePeriodSeconds();
        long deadline = System.nanoTime() + Duration.ofSeconds(grace + 30).toNanos();
        String uid = pod.getMetadata().getUid();
        while (true) {
            Pod current = pod(instance);
            if (current == null || !Objects.equals(current.getMetadata().getUid(), uid)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new PgoException("pod " + instance + " did not stop within " + (grace + 30) + "s",
                        "kubectl describe pod " + instance + " tells why; the switchover resumes on the next pass");
            }
            Pause.sleep(Duration.ofMillis(250), "interrupted while waiting for a pod to stop");
        }
    }

    /** Takes a pod out of the read-write Service, whose selector wants the primary's role label. */
    private void labelReplica(String instance) {
        Requests.call("label pod " + instance, () -> client.pods().inNamespace(namespace).withName(instance).edit(p -> {
            Metadata.addLabels(p.getMetadata(), Map.of(ClusterLabels.ROLE, ClusterLabels.REPLICA));
            return p;
        }));
    }

    @Override
    public boolean canFence() {
        return true;
    }

    /**
     * The ConfigMap names the new primary first, then the pod leaves the read-write Service (its
     * role label) and is deleted without a grace period, so its node kills whatever of it still
     * runs. The pod the StatefulSet makes again reads the new primary, rewinds onto its timeline
     * (bootstrap.sh) and follows it. A node that is gone kills nothing; the label keeps the
     * Service's clients away from it until then.
     */
    @Override
    public void fence(PgCluster cluster, String instance, String newPrimary, Credentials replication) {
        resources.sync(cluster, newPrimary);
        if (pod(instance) == null) {
            return;
        }
        labelReplica(instance);
        Requests.call("delete pod " + instance, () -> client.pods().inNamespace(namespace).withName(instance)
                .withGracePeriod(0).delete());
    }

    @Override
    public void remove(PgCluster cluster, String instance, boolean keepData) {
        String name = cluster.name();
        int ordinal = InstanceNames.ordinal(name, instance);
        if (replicas(name) > ordinal) {
            Requests.call("scale StatefulSet " + name, () -> client.apps().statefulSets().inNamespace(namespace)
                    .withName(ObjectNames.statefulSet(name)).edit(set -> {
                        set.getSpec().setReplicas(ordinal);
                        return set;
                    }));
        }
        Requests.call("delete pod " + instance, () -> client.pods().inNamespace(namespace).withName(instance).delete());
        if (!keepData) {
            Requests.call("delete PVC " + InstanceNames.dataVolume(instance), () -> client.persistentVolumeClaims()
                    .inNamespace(namespace).withName(InstanceNames.dataVolume(instance)).delete());
        }
    }

    /** The Services' names inside the cluster: they follow the primary without a multi-host string. */
    @Override
    public Endpoints endpoints(PgCluster cluster, List<InstanceRuntime> instances, String primaryInstance) {
        // with TLS the certificate names the Services; the client brings ca.crt of the server's Secret
        String suffix = "." + namespace + ".svc:" + ServerConfig.POD_PORT + "/postgres"
                + (dev.pgo.api.v1.TlsSpec.on(cluster.getSpec()) ? "?sslmode=verify-full" : "");
        String rw = "postgresql://" + ObjectNames.readWriteService(cluster.name()) + suffix;
        String ro = cluster.getSpec().getInstances() > 1
                ? "postgresql://" + ObjectNames.readOnlyService(cluster.name()) + suffix : rw;
        return new Endpoints(rw, ro);
    }

    private Pod observedPod(PgCluster cluster, String instance) {
        Map<String, Pod> observed = observedPods.get(cluster.name());
        return observed != null ? observed.get(instance) : pod(instance);
    }

    private Pod pod(String instance) {
        return Requests.call("read pod " + instance, () -> reads.get(Pod.class, namespace, instance));
    }

    private static String role(String instance, String primaryInstance) {
        return instance.equals(primaryInstance) ? ClusterLabels.PRIMARY : ClusterLabels.REPLICA;
    }

    private static String label(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ClusterLabels.ROLE);
    }

    private static String annotation(Pod pod) {
        return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(CONFIG_ANNOTATION);
    }

    /** The fingerprint of the shared settings, pg_hba.conf and the server certificate, which a reload applies. */
    private static String configHash(PgCluster cluster, String certificate) {
        return AppliedHash.of(List.of(ClusterObjects.sharedSettings(cluster), ClusterObjects.hba(cluster),
                certificate == null ? "" : certificate));
    }

    /** The server certificate the cluster's pods should serve, read once per use; null without TLS. */
    private String certificate(PgCluster cluster) {
        return resources.tls().current(cluster).map(TlsBundle::certificatePem).orElse(null);
    }
}

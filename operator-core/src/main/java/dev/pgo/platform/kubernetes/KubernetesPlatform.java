package dev.pgo.platform.kubernetes;

import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.BackupStorage;
import dev.pgo.platform.ClusterLock;
import dev.pgo.platform.ClusterResources;
import dev.pgo.platform.ClusterStore;
import dev.pgo.platform.InstanceOperations;
import dev.pgo.platform.Platform;
import dev.pgo.platform.SecretStore;
import dev.pgo.platform.VolumeCatalog;
import dev.pgo.validate.Problem;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The Kubernetes platform for one namespace: PgCluster resources hold desired state and status,
 * a StatefulSet runs the instances, Services select the primary and the replicas by a role label.
 * Within a process a lock per cluster serializes work; across operator replicas the leader Lease
 * does, so only one process acts at a time.
 */
public final class KubernetesPlatform implements Platform {
    /** PostgreSQL's current major version, which the default image carries. */
    public static final int DEFAULT_POSTGRES_VERSION = 17;

    private final KubernetesClient client;
    private final String namespace;
    private final String context;
    private final KubernetesClusterStore clusters;
    private final KubernetesSecretStore secrets;
    private final KubernetesResources resources;
    private final KubernetesInstances instances;
    private final KubernetesVolumes volumes;
    private final KubernetesBackups backups;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Supplier<OperatorConfig> config;

    public KubernetesPlatform(KubernetesClient client, String namespace, String context,
                              Supplier<OperatorConfig> config, PodAddresses addresses) {
        this(client, namespace, context, config, addresses, ObjectReads.api(client));
    }

    /** With the reads of the objects of its clusters made by {@code reads} (the operator's watches). */
    public KubernetesPlatform(KubernetesClient client, String namespace, String context,
                              Supplier<OperatorConfig> config, PodAddresses addresses, ObjectReads reads) {
        this.client = client;
        this.namespace = namespace;
        this.context = context;
        this.config = config;
        this.clusters = new KubernetesClusterStore(client, namespace, reads);
        this.secrets = new KubernetesSecretStore(client, namespace, reads);
        this.resources = new KubernetesResources(client, namespace, config, reads);
        this.instances = new KubernetesInstances(client, namespace, resources, addresses, new SqlConfigReloader(secrets),
                reads);
        this.volumes = new KubernetesVolumes(client, namespace);
        this.backups = new KubernetesBackups(client, namespace, config);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String location() {
        return (context == null ? "" : context + "/") + (namespace == null ? "all namespaces" : namespace);
    }

    public String namespace() {
        return namespace;
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public ClusterStore clusters() {
        return clusters;
    }

    @Override
    public SecretStore secrets() {
        return secrets;
    }

    @Override
    public InstanceOperations instances() {
        return instances;
    }

    @Override
    public ClusterResources resources() {
        return resources;
    }

    @Override
    public VolumeCatalog volumes() {
        return volumes;
    }

    @Override
    public BackupStorage backups() {
        return backups;
    }

    @Override
    public ClusterLock lock(String cluster, Duration wait) {
        ReentrantLock lock = locks.computeIfAbsent(cluster, k -> new ReentrantLock());
        try {
            if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PgoException("cluster " + cluster + " is busy: another task of this process works on it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgoException("interrupted while waiting for cluster " + cluster);
        }
        return lock::unlock;
    }

    @Override
    public boolean keepsVolumesOnDelete() {
        return config.get().keepVolumesOnDelete();
    }

    @Override
    public int defaultPostgresVersion() {
        return DEFAULT_POSTGRES_VERSION;
    }

    /** The image decides which versions exist; the pod's events tell when one cannot be pulled. */
    @Override
    public List<Problem> check(PgCluster cluster) {
        return List.of();
    }

    @Override
    public void close() {
        // the client belongs to whoever made this platform
    }
}

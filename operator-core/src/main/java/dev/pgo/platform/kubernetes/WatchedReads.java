package dev.pgo.platform.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operator's reads, answered from watches of every object pgo makes for its clusters (all
 * carry {@link ClusterLabels#CLUSTER}) instead of a request per object per pass: with a thousand
 * clusters those requests were most of the API server's work and of the operator's.
 *
 * <p>A watch lags behind the operator's own writes by the time the event takes to come back, so
 * reads come from the watches only where that cannot mislead: during a reconcile of a cluster
 * ({@link #during}) that has written nothing yet, and whose previous reconcile wrote nothing
 * either (it is settled). Once a step of the reconcile has run ({@link #wrote}), and through the
 * next reconcile, the cluster's reads go to the API server. Outside a reconcile (the primary
 * probe, the client) every read does. What is not watched (PgClusters, Jobs, objects without
 * pgo's cluster label) is always read from the API server.
 */
public final class WatchedReads implements ObjectReads, AutoCloseable {
    /** What pgo makes for a cluster, each labelled with the cluster's name. */
    static final List<Class<? extends HasMetadata>> KINDS = List.of(StatefulSet.class, Pod.class, Service.class,
            ConfigMap.class, Secret.class, PersistentVolumeClaim.class, PodDisruptionBudget.class, CronJob.class);
    private static final String BY_CLUSTER = "pgo-cluster";
    private static final ScopedValue<Pass> PASS = ScopedValue.newInstance();

    /** One reconcile of one cluster. */
    private static final class Pass {
        private final boolean settled;
        private volatile boolean wrote;

        private Pass(boolean settled) {
            this.settled = settled;
        }

        boolean trusted() {
            return settled && !wrote;
        }
    }

    private final KubernetesClient client;
    private final ObjectReads api;
    private final Map<Class<?>, SharedIndexInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();
    /** namespace/cluster of each cluster whose last reconcile wrote something. */
    private final Set<String> unsettled = ConcurrentHashMap.newKeySet();

    private WatchedReads(KubernetesClient client) {
        this.client = client;
        this.api = ObjectReads.api(client);
    }

    /** Starts a watch of each kind in every namespace and returns once each has listed what exists. */
    public static WatchedReads start(KubernetesClient client) {
        var reads = new WatchedReads(client);
        try {
            for (Class<? extends HasMetadata> kind : KINDS) {
                reads.informers.put(kind, watch(client, kind));
            }
        } catch (RuntimeException e) {
            reads.close();
            throw e;
        }
        return reads;
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> watch(KubernetesClient client, Class<T> kind) {
        Function<T, List<String>> byCluster = object -> List.of(clusterKey(object.getMetadata().getNamespace(),
                object.getMetadata().getLabels().get(ClusterLabels.CLUSTER)));
        return Watches.start(kind.getSimpleName() + "s", () -> {
            SharedIndexInformer<T> informer = client.resources(kind).inAnyNamespace()
                    .withLabel(ClusterLabels.CLUSTER).runnableInformer(0);
            informer.addIndexers(Map.of(BY_CLUSTER, byCluster));
            return informer;
        });
    }

    /** The watch of one kind, for the operator to hear of changes too. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> kind) {
        return (SharedIndexInformer<T>) informers.get(kind);
    }

    /** Runs one reconcile of a cluster; the reads it makes come from the watches as the class says. */
    public <R> R during(String namespace, String cluster, Supplier<R> reconcile) {
        String key = clusterKey(namespace, cluster);
        var pass = new Pass(!unsettled.contains(key));
        boolean done = false;
        try {
            R result = ScopedValue.where(PASS, pass).call(reconcile::get);
            done = true;
            return result;
        } finally {
            if (pass.wrote || !done) {
                unsettled.add(key);
            } else {
                unsettled.remove(key);
            }
        }
    }

    /** A step of the reconcile running now has written (or may have): its next reads go to the API server. */
    public void wrote() {
        if (PASS.isBound()) {
            PASS.get().wrote = true;
        }
    }

    @Override
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        SharedIndexInformer<T> informer = trusted(type, namespace);
        if (informer == null) {
            return api.get(type, namespace, name);
        }
        // the watch holds every object of this kind with pgo's label: not there is not there
        T cached = informer.getIndexer().getByKey(Cache.namespaceKeyFunc(namespace, name));
        return cached == null ? null : copy(cached);
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, Map<String, String> labels) {
        SharedIndexInformer<T> informer = trusted(type, namespace);
        String cluster = labels.get(ClusterLabels.CLUSTER);
        if (informer == null || cluster == null) {
            return api.list(type, namespace, labels);
        }
        return informer.getIndexer().byIndex(BY_CLUSTER, clusterKey(namespace, cluster)).stream()
                .filter(o -> o.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))
                .map(this::copy).toList();
    }

    /** The watch to answer from, or null when the API server must. */
    private <T extends HasMetadata> SharedIndexInformer<T> trusted(Class<T> type, String namespace) {
        Pass pass = PASS.isBound() ? PASS.get() : null;
        if (pass == null || !pass.trusted() || namespace == null) {
            return null;
        }
        SharedIndexInformer<T> informer = informer(type);
        return informer != null && informer.hasSynced() ? informer : null;
    }

    /** The watch's object is shared with every later read; callers change theirs (a merge before an update). */
    private <T> T copy(T object) {
        return client.getKubernetesSerialization().clone(object);
    }

    private static String clusterKey(String namespace, String cluster) {
        return namespace + "/" + cluster;
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
    }
}

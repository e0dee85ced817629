package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
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
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operator's reads, answered from watches of every object pgo makes for its clusters (all
 * carry {@link ClusterLabels#CLUSTER}) instead of a request per object per pass: with a thousand
 * clusters those requests were most of the API server's work and of the operator's.
 *
 * <p>A watch lags behind the operator's own writes by the time each event takes to come back.
 * {@link OwnWrites} sees every write the operator's client sends; an object with a write whose
 * event has not come back yet is read from the API server, and so is a list that could hold
 * one. Everything else a reconcile ({@link #during}) reads comes from the watches: what the
 * operator did not write, and what it wrote once the watch has it. PgClusters come from the
 * operator's own watches of them ({@link #readClustersFrom}). Outside a reconcile (the primary
 * probe, the client) every read asks the server. What is not watched (Jobs, objects without
 * pgo's cluster label) is always read from the API server.
 */
public final class WatchedReads implements ObjectReads, AutoCloseable {
    /** What pgo makes for a cluster, each labelled with the cluster's name. */
    public static final List<Class<? extends HasMetadata>> KINDS = List.of(StatefulSet.class, Pod.class, Service.class,
            ConfigMap.class, Secret.class, PersistentVolumeClaim.class, PodDisruptionBudget.class, CronJob.class);
    private static final String BY_CLUSTER = "pgo-cluster";
    /** Bound while a reconcile runs: only its reads may come from the watches. */
    private static final ScopedValue<Boolean> RECONCILING = ScopedValue.newInstance();

    private final KubernetesClient client;
    private final OwnWrites writes;
    private final ObjectReads api;
    private final Map<Class<?>, SharedIndexInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();
    /** The operator's own watches of PgClusters, by namespace ({@link #EVERY_NAMESPACE}: all of them). */
    private final Map<String, SharedIndexInformer<PgCluster>> clusterWatches = new ConcurrentHashMap<>();
    private static final String EVERY_NAMESPACE = "";

    private WatchedReads(KubernetesClient client, OwnWrites writes) {
        this.client = client;
        this.writes = writes;
        this.api = ObjectReads.api(client);
    }

    /**
     * Starts a watch of each kind in every namespace and returns once each has listed what
     * exists. {@code client} is one whose requests pass by {@code writes} ({@link OwnWrites#client}):
     * the operator's writes must all be seen for its reads from the watches to be true.
     */
    public static WatchedReads start(KubernetesClient client, OwnWrites writes) {
        var reads = new WatchedReads(client, writes);
        try {
            for (Class<? extends HasMetadata> kind : KINDS) {
                reads.informers.put(kind, reads.watch(kind));
            }
        } catch (RuntimeException e) {
            reads.close();
            throw e;
        }
        return reads;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(Class<T> kind) {
        Function<T, List<String>> byCluster = object -> List.of(clusterKey(object.getMetadata().getNamespace(),
                object.getMetadata().getLabels().get(ClusterLabels.CLUSTER)));
        String plural = HasMetadata.getPlural(kind);
        return Watches.start(kind.getSimpleName() + "s", () -> {
            SharedIndexInformer<T> informer = client.resources(kind).inAnyNamespace()
                    .withLabel(ClusterLabels.CLUSTER).runnableInformer(0);
            informer.addIndexers(Map.of(BY_CLUSTER, byCluster));
            informer.addEventHandler(new EventsAnswerWrites<>(plural, informer));
            return informer;
        });
    }

    /** Tells {@link OwnWrites} of each event; the watch's store holds the object by then. */
    private final class EventsAnswerWrites<T extends HasMetadata> implements ResourceEventHandler<T> {
        private final String plural;
        private final SharedIndexInformer<T> informer;

        EventsAnswerWrites(String plural, SharedIndexInformer<T> informer) {
            this.plural = plural;
            this.informer = informer;
        }

        @Override
        public void onAdd(T object) {
            seen(object);
        }

        @Override
        public void onUpdate(T before, T after) {
            // a list after a dropped watch repeats objects unchanged: no write of them came back
            if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                seen(after);
            }
        }

        @Override
        public void onDelete(T object, boolean finalStateUnknown) {
            seen(object);
            String namespace = object.getMetadata().getNamespace();
            String cluster = object.getMetadata().getLabels().get(ClusterLabels.CLUSTER);
            if (informer != null && informer.getIndexer().byIndex(BY_CLUSTER, clusterKey(namespace, cluster)).isEmpty()) {
                writes.allGone(plural, namespace, cluster);
            }
        }

        private void seen(T object) {
            writes.seen(plural, object.getMetadata().getNamespace(), object.getMetadata().getName());
        }
    }

    /** The watch of one kind, for the operator to hear of changes too. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> kind) {
        return (SharedIndexInformer<T>) informers.get(kind);
    }

    /** The kinds whose writes {@link OwnWrites} follows for these reads: those watched here and PgClusters. */
    public static OwnWrites ownWrites() {
        var kinds = new ArrayList<Class<? extends HasMetadata>>(KINDS);
        kinds.add(PgCluster.class);
        return new OwnWrites(kinds);
    }

    /** For a watch of PgClusters made elsewhere (the operator's): tells {@link OwnWrites} of its events. Added before it starts. */
    public ResourceEventHandler<PgCluster> answeringWrites() {
        return new EventsAnswerWrites<>(HasMetadata.getPlural(PgCluster.class), null);
    }

    /**
     * Reads of PgClusters in {@code namespace} (null: in every namespace) come from this watch,
     * which the operator keeps for its work queue, with the same rule as the other objects.
     */
    public void readClustersFrom(String namespace, SharedIndexInformer<PgCluster> watch) {
        clusterWatches.put(namespace == null ? EVERY_NAMESPACE : namespace, watch);
    }

    /** The PgCluster watches were stopped (the configuration named other namespaces): read from the server. */
    public void forgetClusterWatches() {
        clusterWatches.clear();
    }

    /** Runs one reconcile; the reads it makes come from the watches as the class says. */
    public <R> R during(Supplier<R> reconcile) {
        return ScopedValue.where(RECONCILING, true).call(reconcile::get);
    }

    @Override
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        SharedIndexInformer<T> informer = watchOf(type, namespace);
        // asked before the watch's copy is taken: once no write waits, the copy has every event
        if (informer == null || writes.waiting(HasMetadata.getPlural(type), namespace, name)) {
            return api.get(type, namespace, name);
        }
        // the watch holds every object of this kind with pgo's label: not there is not there
        T cached = informer.getIndexer().getByKey(Cache.namespaceKeyFunc(namespace, name));
        return cached == null ? null : copy(cached);
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, Map<String, String> labels) {
        SharedIndexInformer<T> informer = type == PgCluster.class ? null : watchOf(type, namespace);
        String cluster = labels.get(ClusterLabels.CLUSTER);
        if (informer == null || cluster == null || writes.waitingFor(HasMetadata.getPlural(type), namespace, cluster,
                name -> clusterOfCached(informer, namespace, name))) {
            return api.list(type, namespace, labels);
        }
        return informer.getIndexer().byIndex(BY_CLUSTER, clusterKey(namespace, cluster)).stream()
                .filter(o -> o.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))
                .map(this::copy).toList();
    }

    /** The watch to answer from, or null when the API server must (outside a reconcile, before the first list). */
    private <T extends HasMetadata> SharedIndexInformer<T> watchOf(Class<T> type, String namespace) {
        if (!RECONCILING.isBound() || namespace == null) {
            return null;
        }
        SharedIndexInformer<T> informer = type == PgCluster.class ? clusterWatch(namespace) : informer(type);
        return informer != null && informer.hasSynced() ? informer : null;
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> SharedIndexInformer<T> clusterWatch(String namespace) {
        SharedIndexInformer<PgCluster> watch = clusterWatches.get(namespace);
        return (SharedIndexInformer<T>) (watch != null ? watch : clusterWatches.get(EVERY_NAMESPACE));
    }

    private static <T extends HasMetadata> String clusterOfCached(SharedIndexInformer<T> informer, String namespace, String name) {
        T cached = informer.getIndexer().getByKey(Cache.namespaceKeyFunc(namespace, name));
        return cached == null || cached.getMetadata().getLabels() == null ? null
                : cached.getMetadata().getLabels().get(ClusterLabels.CLUSTER);
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

package dev.pgo.operator;

import dev.pgo.Pause;
import dev.pgo.api.v1.Condition;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.Phase;
import dev.pgo.operator.WorkQueue.Outcome;
import dev.pgo.platform.kubernetes.ClusterLabels;
import dev.pgo.platform.kubernetes.KubernetesPlatform;
import dev.pgo.platform.kubernetes.OperatorConfig;
import dev.pgo.platform.kubernetes.PodAddresses;
import dev.pgo.platform.kubernetes.OwnWrites;
import dev.pgo.platform.kubernetes.WatchedReads;
import dev.pgo.platform.kubernetes.Watches;
import dev.pgo.reconcile.Convergence;
import dev.pgo.reconcile.ReconcileResult;
import dev.pgo.backup.BackupScheduler;
import dev.pgo.backup.BackupService;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.Step;
import dev.pgo.reconcile.StepListener;
import dev.pgo.sql.ConnectionPools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * `pgo operator` on Kubernetes: while it holds the leader Lease, it watches PgClusters, the
 * objects it made for them and its own ConfigMap, and runs the reconciler for each cluster on a
 * work queue (one cluster never twice at once, failures retried with backoff), plus a resync of
 * every cluster each resync period. Losing the Lease stops all work at once, so two operator
 * replicas never act together.
 */
public final class KubernetesOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesOperator.class);
    /** How soon to look again at a cluster that is on its way (pods starting, a rollout). */
    static final Duration PROGRESS_CHECK = Duration.ofSeconds(5);
    /**
     * How often every primary is asked whether it still answers. A lost node changes no object
     * in the API for a long time (its pods look ready until the node controller notices), so
     * without asking, a failover would wait for the next resync.
     */
    static final Duration PRIMARY_PROBE = Duration.ofSeconds(1);

    /** Where the operator runs and how it elects its leader. */
    public record Settings(String namespace, String configMapName, String identity, Duration leaseDuration,
                           Duration renewDeadline, Duration retryPeriod, int workers, PodAddresses addresses) {
        public static Settings defaults(String namespace, String identity) {
            return new Settings(namespace, "pgo-config", identity, Duration.ofSeconds(15), Duration.ofSeconds(10),
                    Duration.ofSeconds(2), 4, PodAddresses.IN_CLUSTER);
        }
    }

    public static final String LEASE_NAME = "pgo-operator";

    private final OwnWrites ownWrites = WatchedReads.ownWrites();
    private final KubernetesClient client;
    private final Settings settings;
    private final Clock clock;
    private final EventRecorder events;
    private final AtomicReference<OperatorConfig> config = new AtomicReference<>(OperatorConfig.DEFAULTS);
    private final Map<String, NamespaceWork> namespaces = new ConcurrentHashMap<>();
    private final AtomicBoolean leading = new AtomicBoolean();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final List<SharedIndexInformer<PgCluster>> clusterInformers = new ArrayList<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile BiConsumer<ClusterKey, ReconcileResult> onReconciled = (key, result) -> { };
    // made when work begins, dropped when it ends; reconciles read them once
    private volatile ConnectionPools pools;
    private volatile WatchedReads reads;
    private volatile WorkQueue<ClusterKey> queue;
    private ScheduledExecutorService resync;
    private ScheduledFuture<?> resyncTask;
    private CompletableFuture<?> election;

    public KubernetesOperator(KubernetesClient client, Settings settings, Clock clock) {
        // A client of its own, whose every request passes by ownWrites: its reads from the
        // watches must know of each write it made that the watches have not brought back yet.
        this.client = ownWrites.client(client);
        this.settings = settings;
        this.clock = clock;
        this.events = new EventRecorder(this.client);
    }

    /** Called after every reconcile of a cluster: for logs and tests. */
    public void onReconciled(BiConsumer<ClusterKey, ReconcileResult> listener) {
        this.onReconciled = Objects.requireNonNull(listener);
    }

    /** Campaigns for the Lease and returns; work starts when this replica becomes the leader. */
    public void start() {
        var lock = new LeaseLock(settings.namespace(), LEASE_NAME, settings.identity());
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(LEASE_NAME)
                .withLock(lock)
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel()
                .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading,
                        leader -> LOG.info("the leader is now {}", leader)))
                .build()).build().start();
        election.whenComplete((ignored, error) -> stopped.complete(null));
    }

    public boolean isLeader() {
        return leading.get();
    }

    /** Completes when this operator stopped campaigning: it lost the Lease or was closed. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    public OperatorConfig config() {
        return config.get();
    }

    private void startLeading() {
        LOG.info("{} leads; watching {}", settings.identity(), describeNamespaces(config.get()));
        leading.set(true);
        // off the elector's thread, which must go on renewing the Lease however long this takes
        Thread.ofPlatform().name("pgo-leader-start").daemon().start(this::beginWorkRetrying);
    }

    /**
     * Starts the leader's work, again and again while it fails: an API server that answers the
     * first lists with errors only delays the work; without this the operator would hold the
     * Lease and do nothing.
     */
    private void beginWorkRetrying() {
        Duration wait = Duration.ofSeconds(1);
        while (leading.get()) {
            try {
                beginWork();
                return;
            } catch (RuntimeException e) {
                LOG.warn("could not start the leader's work: {}; trying again in {} s", e.getMessage(), wait.toSeconds());
                endWork();
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    return;
                }
                wait = Pause.doubled(wait, Duration.ofSeconds(30));
            }
        }
    }

    private synchronized void beginWork() {
        if (!leading.get()) {
            return;
        }
        pools = new ConnectionPools(Duration.ofSeconds(3));
        queue = new WorkQueue<>("pgo-reconcile", settings.workers(), Duration.ofSeconds(1), Duration.ofMinutes(5),
                this::reconcile);
        SharedIndexInformer<ConfigMap> configWatch = Watches.start("ConfigMap " + settings.configMapName(),
                () -> client.configMaps().inNamespace(settings.namespace()).withName(settings.configMapName())
                        .runnableInformer(0).addEventHandler(handler(this::configChanged)));
        informers.add(configWatch);
        // what the watch listed, before any cluster is queued (none there: the defaults)
        readConfig(configWatch.getStore().getByKey(Cache.namespaceKeyFunc(settings.namespace(), settings.configMapName())));
        // before any cluster is queued: each reconcile reads through it
        reads = WatchedReads.start(client, ownWrites);
        startClusterInformers();
        // a pod that became ready, a StatefulSet someone scaled: its cluster may need work
        reads.informer(StatefulSet.class).addEventHandler(handler(this::ownedChanged));
        reads.informer(Pod.class).addEventHandler(handler(this::ownedChanged));
        resync = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pgo-resync").daemon().factory());
        scheduleResync();
        resync.scheduleWithFixedDelay(this::probePrimaries, PRIMARY_PROBE.toMillis(), PRIMARY_PROBE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Reconciles at once every cluster whose primary stopped answering. */
    private void probePrimaries() {
        try {
            for (SharedIndexInformer<PgCluster> informer : List.copyOf(clusterInformers)) {
                for (PgCluster cluster : informer.getStore().list()) {
                    if (cluster.getStatus() == null || cluster.getStatus().getPrimary() == null
                            || cluster.deletionRequested()) {
                        continue;
                    }
                    String namespace = cluster.getMetadata().getNamespace();
                    if (leading.get() && !namespace(namespace).reconciler().primaryAnswers(cluster.name())) {
                        enqueue(new ClusterKey(namespace, cluster.name()));
                    }
                }
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again
            LOG.warn("probing the primaries failed: {}", e.getMessage());
        }
    }

    private void startClusterInformers() {
        List<String> namespaces = config.get().watchedNamespaces();
        if (namespaces.isEmpty()) {
            watchClusters(null);
        } else {
            namespaces.forEach(this::watchClusters);
        }
    }

    /** Watches the PgClusters of a namespace (null: of every one): for the work queue, and for the reconciles' reads. */
    private void watchClusters(String namespace) {
        SharedIndexInformer<PgCluster> watch = Watches.start(namespace == null ? "PgClusters" : "PgClusters in " + namespace,
                () -> (namespace == null ? client.resources(PgCluster.class).inAnyNamespace()
                        : client.resources(PgCluster.class).inNamespace(namespace))
                        .runnableInformer(0).addEventHandler(reads.answeringWrites()).addEventHandler(handler(this::clusterChanged)));
        clusterInformers.add(watch);
        reads.readClustersFrom(namespace, watch);
    }

    private void scheduleResync() {
        long period = config.get().resyncPeriod().toMillis();
        if (resyncTask != null) {
            resyncTask.cancel(false);
        }
        resyncTask = resync.scheduleAtFixedRate(this::enqueueAll, period, period, TimeUnit.MILLISECONDS);
    }

    private void stopLeading() {
        if (!leading.getAndSet(false)) {
            return;
        }
        LOG.info("{} stopped leading", settings.identity());
        endWork();
    }

    /** Stops whatever of the leader's work was started. */
    private synchronized void endWork() {
        if (resync != null) {
            resync.shutdownNow();
            resync = null;
        }
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
        clusterInformers.forEach(SharedIndexInformer::close);
        clusterInformers.clear();
        if (reads != null) {
            reads.close();
            reads = null;
        }
        if (queue != null) {
            queue.close();
            queue = null;
        }
        if (pools != null) {
            pools.close();
            pools = null;
        }
        namespaces.clear();
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(java.util.function.Consumer<T> changed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                changed.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                changed.accept(after);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                changed.accept(object);
            }
        };
    }

    private void clusterChanged(PgCluster cluster) {
        enqueue(new ClusterKey(cluster.getMetadata().getNamespace(), cluster.name()));
    }

    /** A StatefulSet or pod of a cluster changed: its cluster may need work (a pod became ready). */
    private void ownedChanged(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String cluster = labels == null ? null : labels.get(ClusterLabels.CLUSTER);
        if (cluster != null && watches(object.getMetadata().getNamespace())) {
            enqueue(new ClusterKey(object.getMetadata().getNamespace(), cluster));
        }
    }

    private boolean watches(String namespace) {
        List<String> watched = config.get().watchedNamespaces();
        return watched.isEmpty() || watched.contains(namespace);
    }

    private synchronized void configChanged(ConfigMap configMap) {
        if (!leading.get()) {
            return;
        }
        OperatorConfig before = config.get();
        readConfig(configMap);
        OperatorConfig after = config.get();
        if (before.equals(after)) {
            return;
        }
        if (!before.watchedNamespaces().equals(after.watchedNamespaces())) {
            LOG.info("now watching {}", describeNamespaces(after));
            reads.forgetClusterWatches();
            clusterInformers.forEach(SharedIndexInformer::close);
            clusterInformers.clear();
            startClusterInformers();
        }
        if (!before.resyncPeriod().equals(after.resyncPeriod())) {
            scheduleResync();
        }
        // A new image or resource defaults changes what every cluster's StatefulSet should be.
        enqueueAll();
    }

    private void readConfig(ConfigMap configMap) {
        if (configMap == null || configMap.getMetadata().getDeletionTimestamp() != null) {
            config.set(OperatorConfig.DEFAULTS);
            return;
        }
        OperatorConfig.Parsed parsed = OperatorConfig.parse(configMap.getData());
        parsed.problems().forEach(p -> LOG.warn("ConfigMap {}/{}: {} (using the default)", settings.namespace(),
                settings.configMapName(), p));
        config.set(parsed.config());
    }

    private void enqueueAll() {
        for (SharedIndexInformer<PgCluster> informer : List.copyOf(clusterInformers)) {
            informer.getStore().list().forEach(this::clusterChanged);
        }
    }

    private void enqueue(ClusterKey key) {
        WorkQueue<ClusterKey> q = queue;
        if (q != null && leading.get()) {
            q.add(key);
        }
    }

    /** What the operator runs for the clusters of one namespace: their reconciler, and retention for their CronJobs' backups. */
    private record NamespaceWork(Reconciler reconciler, BackupScheduler backups) {
    }

    private NamespaceWork namespace(String namespace) {
        return namespaces.computeIfAbsent(namespace, ns -> {
            var platform = new KubernetesPlatform(client, ns, null, config::get, settings.addresses(), reads);
            return new NamespaceWork(new Reconciler(platform, pools, clock),
                    new BackupScheduler(platform, new BackupService(platform, pools, clock)));
        });
    }

    /** One cluster, once: reconcile it and say when to look again. */
    Outcome reconcile(ClusterKey key) {
        WatchedReads watched = reads;
        if (!leading.get() || watched == null) {
            return new Outcome.Done();
        }
        var listener = new StepListener() {
            @Override
            public void finished(String cluster, Step step, Duration took) {
                LOG.info("{}/{}: {} ({} ms)", key.namespace(), cluster, step.describe(), took.toMillis());
                current(key).ifPresent(c -> events.normal(c, reason(step), step.describe()));
            }

            @Override
            public void failed(String cluster, Step step, RuntimeException error) {
                LOG.warn("{}/{}: {} failed: {}", key.namespace(), cluster, step.describe(), error.getMessage());
                current(key).ifPresent(c -> events.warning(c, "StepFailed", step.describe() + ": " + error.getMessage()));
            }
        };
        NamespaceWork work = namespace(key.namespace());
        ReconcileResult result = watched.during(
                () -> work.reconciler().reconcile(key.name(), listener, Duration.ofSeconds(30)));
        onReconciled.accept(key, result);
        if (result.gone()) {
            return new Outcome.Done();
        }
        Optional<PgCluster> cluster = current(key);
        var status = result.status();
        if (status != null && status.getPhase() == Phase.Failed && status.condition(Condition.SPEC_VALID) != null
                && !status.condition(Condition.SPEC_VALID).isTrue()) {
            // Retrying cannot help; the next change of the spec brings the cluster back.
            cluster.ifPresent(c -> events.warning(c, "InvalidSpec", status.condition(Condition.SPEC_VALID).getMessage()));
            return new Outcome.Done();
        }
        // scheduled backups come from the CronJob; what they leave behind is pruned here
        cluster.ifPresent(c -> work.backups().enforceRetention(c, clock.instant()));
        if (result.failure() != null) {
            return new Outcome.Failed();
        }
        boolean converged = Convergence.isRunning(cluster.orElse(null), status);
        return converged ? new Outcome.Done() : new Outcome.After(PROGRESS_CHECK);
    }

    /** The cluster as the watch last saw it: for events and retention, which need no newer copy. */
    private Optional<PgCluster> current(ClusterKey key) {
        String storeKey = Cache.namespaceKeyFunc(key.namespace(), key.name());
        for (SharedIndexInformer<PgCluster> informer : List.copyOf(clusterInformers)) {
            PgCluster cluster = informer.getStore().getByKey(storeKey);
            if (cluster != null) {
                return Optional.of(cluster);
            }
        }
        return Optional.empty();
    }

    private static String reason(Step step) {
        return step.getClass().getSimpleName();
    }

    private static String describeNamespaces(OperatorConfig config) {
        return config.watchedNamespaces().isEmpty() ? "all namespaces" : "namespaces " + config.watchedNamespaces();
    }

    /** Gives up the Lease (so another replica takes over at once) and stops all work. */
    @Override
    public void close() {
        if (election != null) {
            election.cancel(true);
        }
        stopLeading();
        stopped.complete(null);
        client.close();
    }
}

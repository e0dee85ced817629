package dev.pgo.reconcile;

import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.manifest.Manifests;
import dev.pgo.platform.ClusterLock;
import dev.pgo.platform.Platform;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;
import dev.pgo.sql.InstanceProbe;
import dev.pgo.validate.Problem;
import dev.pgo.validate.SpecValidator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings one cluster closer to its spec: observe, plan, execute, observe again, write status.
 * Platform-neutral; the same code runs in `pgo operator` and inside the client while it waits.
 * A pass that finds nothing to do changes nothing.
 */
public final class Reconciler {
    /** Passes per call: a fresh cluster needs one to start its primary and one for the rest. */
    private static final int MAX_PASSES = 4;

    private final Platform platform;
    private final ConnectionPools pools;
    private final Observer observer;
    private final StepExecutor executor;
    private final Clock clock;
    private final Map<String, PrimaryWatch> watched = new ConcurrentHashMap<>();

    public Reconciler(Platform platform, ConnectionPools pools, Clock clock) {
        this.platform = platform;
        this.pools = pools;
        this.observer = new Observer(platform, pools, clock);
        this.executor = new StepExecutor(platform, pools);
        this.clock = clock;
    }

    public Platform platform() {
        return platform;
    }

    /** What would be done now, without doing it. */
    public List<Step> plan(String name) {
        PgCluster cluster = platform.clusters().get(name)
                .orElseThrow(() -> new PgoException("no cluster named " + name));
        return Planner.plan(cluster, observer.observe(cluster), keepData(cluster, platform));
    }

    public ObservedCluster observe(PgCluster cluster) {
        return observer.observe(cluster);
    }

    /**
     * A quick look between passes, cheap enough to take several times a second: every instance
     * runs, none is fenced, and the recorded primary answers as a primary. False means a pass is
     * due now. A cluster with no primary recorded yet is left to its passes.
     */
    public boolean looksHealthy(String name) {
        try {
            PgCluster cluster = platform.clusters().get(name).orElse(null);
            String primary = cluster == null || cluster.getStatus() == null ? null : cluster.getStatus().getPrimary();
            if (primary == null || cluster.deletionRequested()) {
                return true;
            }
            var runtimes = platform.instances().observe(cluster);
            if (runtimes.stream().anyMatch(r -> !r.running() || r.diverged())) {
                return false;
            }
            var superuser = platform.secrets().get(name, SpecValidator.SUPERUSER);
            var endpoint = runtimes.stream().filter(r -> r.name().equals(primary)).findFirst()
                    .map(dev.pgo.platform.InstanceRuntime::endpoint);
            if (superuser.isEmpty() || endpoint.isEmpty()) {
                return false;
            }
            return pools.probe(endpoint.get(), "postgres", superuser.get(), InstanceProbe::isPrimary);
        } catch (java.sql.SQLException | RuntimeException e) {
            return false;
        }
    }

    public ReconcileResult reconcile(String name, StepListener listener, Duration lockWait) {
        if (!SpecValidator.isValidClusterName(name)) {
            return new ReconcileResult(name, List.of(), null, null, null, true);
        }
        try (ClusterLock ignored = platform.lock(name, lockWait)) {
            return reconcileLocked(name, listener);
        }
    }

    private ReconcileResult reconcileLocked(String name, StepListener listener) {
        Optional<PgCluster> found = platform.clusters().get(name);
        if (found.isEmpty()) {
            return new ReconcileResult(name, List.of(), null, null, null, true);
        }
        PgCluster cluster = found.get();
        if (!cluster.deletionRequested()) {
            platform.clusters().claim(cluster);
            var problems = new ArrayList<Problem>(SpecValidator.validate(cluster));
            problems.addAll(platform.check(cluster));
            if (!problems.isEmpty()) {
                PgClusterStatus status = StatusWriter.invalid(cluster, problems, clock.instant());
                writeIfChanged(cluster, status);
                return new ReconcileResult(name, List.of(), "the spec is invalid: " + problems.getFirst(), null, status,
                        false);
            }
        }

        var done = new ArrayList<Step>();
        String failure = null;
        Step failedStep = null;
        ObservedCluster observed = observer.observe(cluster);
        List<Step> plan = Planner.plan(cluster, observed, keepData(cluster, platform));
        for (int pass = 0; pass < MAX_PASSES && !plan.isEmpty() && failure == null; pass++) {
            for (Step step : plan) {
                listener.started(name, step);
                long started = System.nanoTime();
                try {
                    executor.execute(cluster, observed, step);
                    done.add(step);
                    listener.finished(name, step, Duration.ofNanos(System.nanoTime() - started));
                } catch (RuntimeException e) {
                    failure = step.describe() + ": " + e.getMessage();
                    failedStep = step;
                    listener.failed(name, step, e);
                    break;
                }
                if (step instanceof Step.Forget) {
                    observer.forget(name);
                    watched.remove(name);
                    return new ReconcileResult(name, done, null, null, null, true);
                }
            }
            if (cluster.deletionRequested() && failure != null) {
                break;
            }
            observed = observer.observe(cluster);
            plan = Planner.plan(cluster, observed, keepData(cluster, platform));
        }

        watchPrimary(name, observed);
        PgClusterStatus status;
        if (cluster.deletionRequested()) {
            status = StatusWriter.deleting(cluster, failure, clock.instant());
        } else {
            var endpoints = platform.instances().endpoints(cluster,
                    observed.instances().values().stream().map(ObservedInstance::runtime).toList(), observed.primary());
            status = StatusWriter.compute(cluster, observed, plan, failure, endpoints, clock.instant());
        }
        writeIfChanged(cluster, status);
        if (failure == null && status.getPhase() == dev.pgo.api.v1.Phase.Failed) {
            failure = status.condition(dev.pgo.api.v1.Condition.RECONCILED).getMessage();
        }
        return new ReconcileResult(name, done, failure, failedStep, status, false);
    }

    /** Where the primary answered in the last pass, and as whom: what {@link #primaryAnswers} asks. */
    private record PrimaryWatch(Endpoint endpoint, Credentials superuser) {
    }

    private void watchPrimary(String name, ObservedCluster observed) {
        if (!observed.primaryAnswers()) {
            return; // keep asking where it last answered, so the loss is noticed
        }
        Endpoint endpoint = observed.instance(observed.primary()).orElseThrow().runtime().endpoint();
        PrimaryWatch known = watched.get(name);
        if (known == null || !known.endpoint().equals(endpoint)) {
            platform.secrets().get(name, SpecValidator.SUPERUSER)
                    .ifPresent(superuser -> watched.put(name, new PrimaryWatch(endpoint, superuser)));
        }
    }

    /**
     * Whether the primary the last pass saw still answers as a primary: one query over a pooled
     * connection and no call to the platform, so an operator can ask it of every cluster every
     * second. A cluster no pass has seen answering counts as answering (its next pass decides);
     * a refused login or a full connection table is an answer.
     */
    public boolean primaryAnswers(String name) {
        PrimaryWatch watch = watched.get(name);
        if (watch == null) {
            return true;
        }
        try {
            return pools.probe(watch.endpoint(), "postgres", watch.superuser(), InstanceProbe::isPrimary);
        } catch (java.sql.SQLException | RuntimeException e) {
            return !ConnectionPools.serverLost(e);
        }
    }

    private void writeIfChanged(PgCluster cluster, PgClusterStatus status) {
        if (cluster.getStatus() == null || !Manifests.toJson(cluster.getStatus()).equals(Manifests.toJson(status))) {
            platform.clusters().writeStatus(cluster.name(), status);
        }
        cluster.setStatus(status);
    }

    /** The resource's keep-data annotation (set by `pgo delete --keep-data`) wins over the platform's default. */
    private static boolean keepData(PgCluster cluster, Platform platform) {
        var annotations = cluster.getMetadata().getAnnotations();
        String keep = annotations == null ? null : annotations.get(PgCluster.GROUP + "/keep-data");
        return keep == null ? platform.keepsVolumesOnDelete() : "true".equals(keep);
    }

    public ConnectionPools pools() {
        return pools;
    }
}

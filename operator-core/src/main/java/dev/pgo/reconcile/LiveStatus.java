package dev.pgo.reconcile;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.manifest.Manifests;
import dev.pgo.validate.Problem;
import dev.pgo.validate.SpecValidator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster with its status computed from a fresh observation, without changing anything:
 * what `pgo show` prints, so it is true even when no operator ran since an instance died.
 */
public final class LiveStatus {
    private final Reconciler reconciler;
    private final Clock clock;

    public LiveStatus(Reconciler reconciler, Clock clock) {
        this.reconciler = reconciler;
        this.clock = clock;
    }

    public LiveView view(PgCluster stored) {
        PgCluster cluster = Manifests.copy(stored);
        if (cluster.deletionRequested()) {
            return new LiveView(cluster, null);
        }
        var problems = new ArrayList<Problem>(SpecValidator.validate(cluster));
        problems.addAll(reconciler.platform().check(cluster));
        if (!problems.isEmpty()) {
            cluster.setStatus(StatusWriter.invalid(stored, problems, clock.instant()));
            return new LiveView(cluster, null);
        }
        ObservedCluster observed = reconciler.observe(cluster);
        List<Step> pending = Planner.plan(cluster, observed, false);
        var endpoints = reconciler.platform().instances().endpoints(cluster,
                observed.instances().values().stream().map(ObservedInstance::runtime).toList(), observed.primary());
        String failure = stored.getStatus() != null && stored.getStatus().getPhase() == dev.pgo.api.v1.Phase.Failed
                && !pending.isEmpty() ? failureOf(stored.getStatus()) : null;
        cluster.setStatus(StatusWriter.compute(stored, observed, pending, failure, endpoints, clock.instant()));
        return new LiveView(cluster, observed);
    }

    private static String failureOf(PgClusterStatus status) {
        var reconciled = status.condition(dev.pgo.api.v1.Condition.RECONCILED);
        return reconciled == null ? "failed" : reconciled.getMessage();
    }

    /** The cluster with live status, and the observation behind it (null when none was made). */
    public record LiveView(PgCluster cluster, ObservedCluster observed) {
    }
}

package dev.pgo.reconcile;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
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
        if (stored.deletionRequested()) {
            return new LiveView(withStatus(stored, stored.getStatus()), null);
        }
        var problems = new ArrayList<Problem>(SpecValidator.validate(stored));
        problems.addAll(reconciler.platform().check(stored));
        if (!problems.isEmpty()) {
            return new LiveView(withStatus(stored, StatusWriter.invalid(stored, problems, clock.instant())), null);
        }
        ObservedCluster observed = reconciler.observe(stored);
        List<Step> pending = Planner.plan(stored, observed, false);
        var endpoints = reconciler.platform().instances().endpoints(stored,
                observed.instances().values().stream().map(ObservedInstance::runtime).toList(), observed.primary());
        String failure = stored.getStatus() != null && stored.getStatus().getPhase() == dev.pgo.api.v1.Phase.Failed
                && !pending.isEmpty() ? failureOf(stored.getStatus()) : null;
        return new LiveView(withStatus(stored, StatusWriter.compute(stored, observed, pending, failure, endpoints,
                clock.instant())), observed);
    }

    /**
     * A new cluster object with the stored one's metadata and spec (observing and planning only
     * read them) and the given status; the stored object keeps its own. Cheaper than a deep copy,
     * which in a new JVM first builds a serializer for the whole model.
     */
    private static PgCluster withStatus(PgCluster stored, PgClusterStatus status) {
        var view = new PgCluster();
        view.setMetadata(stored.getMetadata());
        view.setSpec(stored.getSpec());
        view.setStatus(status);
        return view;
    }

    private static String failureOf(PgClusterStatus status) {
        var reconciled = status.condition(dev.pgo.api.v1.Condition.RECONCILED);
        return reconciled == null ? "failed" : reconciled.getMessage();
    }

    /** The cluster with live status, and the observation behind it (null when none was made). */
    public record LiveView(PgCluster cluster, ObservedCluster observed) {
    }
}

package dev.pgo.reconcile;

import dev.pgo.api.v1.PgClusterStatus;

import java.util.List;

/**
 * What one reconcile did: the steps it completed, why the cluster cannot reach its spec (or
 * null) and the step that failed (null when no step did), the status it wrote, and whether the
 * cluster is gone (deleted, or never existed).
 */
public record ReconcileResult(String cluster, List<Step> done, String failure, Step failedStep,
                              PgClusterStatus status, boolean gone) {
    public boolean changedSomething() {
        return !done.isEmpty();
    }
}

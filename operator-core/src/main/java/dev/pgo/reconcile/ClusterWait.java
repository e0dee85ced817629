package dev.pgo.reconcile;

import dev.pgo.api.v1.PgClusterStatus;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How a client waits for a cluster after writing its desired state: by reconciling it itself
 * ({@link Convergence}) or by following the status an operator writes ({@link StatusWait}).
 */
public interface ClusterWait {
    /** Returns the status once the cluster is Running at its current generation; throws on failure or timeout. */
    default PgClusterStatus awaitRunning(String name, Duration timeout, StepListener listener) {
        return awaitRunning(name, status -> true, timeout, listener);
    }

    /**
     * Returns the status once the cluster is Running at its current generation and {@code done}
     * holds for it (a request the status records as done); throws on failure or timeout.
     */
    PgClusterStatus awaitRunning(String name, Predicate<PgClusterStatus> done, Duration timeout, StepListener listener);

    /** Returns once nothing of a cluster marked for deletion is left. */
    void awaitGone(String name, Duration timeout, StepListener listener);
}

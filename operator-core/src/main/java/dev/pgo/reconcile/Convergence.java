package dev.pgo.reconcile;

import dev.pgo.Pause;
import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Runs the reconciler until a cluster is Running at its current generation (or gone, for a
 * deletion), or until the timeout: what a client does while it "waits" on the local platform.
 */
public final class Convergence implements ClusterWait {
    private static final Duration PAUSE = Duration.ofMillis(200);

    private final Reconciler reconciler;

    public Convergence(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    /** Returns the final status; throws when the cluster fails for a reason retrying will not fix, or times out. */
    @Override
    public PgClusterStatus awaitRunning(String name, Predicate<PgClusterStatus> done, Duration timeout,
                                        StepListener listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object lastFailure = null;
        int failures = 0;
        while (true) {
            ReconcileResult result = reconciler.reconcile(name, listener, timeout);
            if (result.gone()) {
                throw new PgoException("cluster " + name + " no longer exists");
            }
            PgClusterStatus status = result.status();
            if (isRunning(reconciler.platform().clusters().get(name).orElse(null), status) && done.test(status)) {
                return status;
            }
            if (result.failure() != null) {
                // The same step failing three times in a row (its message may differ, e.g. by the
                // log lines it quotes) will not go away by itself.
                Object key = result.failedStep() != null ? result.failedStep() : result.failure();
                failures = Objects.equals(lastFailure, key) ? failures + 1 : 1;
                lastFailure = key;
                if (failures >= 3 || result.failure().startsWith("the spec is invalid")) {
                    throw new PgoException(name + " failed: " + result.failure(),
                            "pgo show cluster " + name + " shows its state; fix the cause and run the command again");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new PgoException("timed out after " + timeout.toSeconds() + "s waiting for " + name
                        + " to be Running (phase " + (status == null ? "unknown" : status.getPhase()) + ")",
                        "pgo show cluster " + name + " shows what it is waiting for");
            }
            if (!result.changedSomething()) {
                sleep();
            }
        }
    }

    /** Reconciles a cluster marked for deletion until nothing of it is left. */
    @Override
    public void awaitGone(String name, Duration timeout, StepListener listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ReconcileResult result = reconciler.reconcile(name, listener, timeout);
            if (result.gone()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new PgoException("timed out deleting " + name + (result.failure() == null ? ""
                        : ": " + result.failure()), "run the delete again; it continues where it stopped");
            }
            sleep();
        }
    }

    public static boolean isRunning(PgCluster cluster, PgClusterStatus status) {
        return cluster != null && status != null && status.getPhase() == Phase.Running
                && Objects.equals(status.getObservedGeneration(), cluster.getMetadata().getGeneration());
    }

    private static void sleep() {
        Pause.sleep(PAUSE, "interrupted");
    }
}

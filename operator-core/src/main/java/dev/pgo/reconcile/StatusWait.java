package dev.pgo.reconcile;

import dev.pgo.Pause;
import dev.pgo.PgoException;
import dev.pgo.api.v1.Condition;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.platform.ClusterStore;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.Optional;

/**
 * Waits by reading the status the operator writes, as a client of a Kubernetes cluster where
 * pgo's operator runs. Each new "next step" the status names is passed on as progress.
 */
public final class StatusWait implements ClusterWait {
    private final ClusterStore clusters;
    private final Duration pause;

    public StatusWait(ClusterStore clusters, Duration pause) {
        this.clusters = clusters;
        this.pause = pause;
    }

    @Override
    public PgClusterStatus awaitRunning(String name, Predicate<PgClusterStatus> done, Duration timeout,
                                        StepListener listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastMessage = null;
        while (true) {
            PgCluster cluster = clusters.get(name)
                    .orElseThrow(() -> new PgoException("cluster " + name + " no longer exists"));
            PgClusterStatus status = writtenStatus(cluster);
            if (Convergence.isRunning(cluster, status) && done.test(status)) {
                return status;
            }
            Condition valid = status == null ? null : status.condition(Condition.SPEC_VALID);
            if (valid != null && !valid.isTrue()) {
                throw new PgoException(name + " failed: the spec is invalid: " + valid.getMessage(),
                        "fix the spec and apply it again");
            }
            String message = progress(status);
            if (message != null && !message.equals(lastMessage)) {
                listener.waiting(name, message);
                lastMessage = message;
            }
            if (System.nanoTime() > deadline) {
                throw new PgoException("timed out after " + timeout.toSeconds() + "s waiting for " + name
                        + " to be Running (phase " + (status == null || status.getPhase() == null ? "Pending"
                        : status.getPhase()) + (status == null ? "; is pgo's operator running?" : "") + ")",
                        "pgo show cluster " + name + " shows what it is waiting for; kubectl -n <operator namespace>"
                                + " logs deploy/pgo-operator shows what the operator does");
            }
            sleep();
        }
    }

    @Override
    public void awaitGone(String name, Duration timeout, StepListener listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastMessage = null;
        while (true) {
            Optional<PgCluster> cluster = clusters.get(name);
            if (cluster.isEmpty()) {
                return;
            }
            String message = progress(writtenStatus(cluster.get()));
            if (message != null && !Objects.equals(message, lastMessage)) {
                listener.waiting(name, message);
                lastMessage = message;
            }
            if (System.nanoTime() > deadline) {
                throw new PgoException("timed out waiting for the operator to delete " + name
                        + (message == null ? "" : ": " + message), "is pgo's operator running?");
            }
            sleep();
        }
    }

    /** The status an operator wrote, or null: a resource no operator has touched has no phase yet. */
    private static PgClusterStatus writtenStatus(PgCluster cluster) {
        PgClusterStatus status = cluster.getStatus();
        return status == null || status.getPhase() == null ? null : status;
    }

    private static String progress(PgClusterStatus status) {
        if (status == null) {
            return "waiting for the operator to pick the cluster up";
        }
        Condition reconciled = status.condition(Condition.RECONCILED);
        if (reconciled != null && !reconciled.isTrue()) {
            return reconciled.getMessage();
        }
        Condition ready = status.condition(Condition.READY);
        return ready == null || ready.isTrue() ? null : ready.getMessage();
    }

    private void sleep() {
        Pause.sleep(pause, "interrupted");
    }
}

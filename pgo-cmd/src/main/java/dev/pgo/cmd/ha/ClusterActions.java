package dev.pgo.cmd.ha;

import dev.pgo.PgoException;
import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.Submission;
import dev.pgo.cmd.WaitOptions;
import dev.pgo.cmd.output.Progress;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the commands that act on an existing cluster share: find it, read its state as it is now,
 * store a request, and wait with progress until the status says the request is done.
 */
final class ClusterActions {
    private final CliContext context;

    ClusterActions(CliContext context) {
        this.context = context;
    }

    /** The stored cluster; {@code kind} null accepts a database as well as a cluster. */
    PgCluster find(String name, ClusterKind kind, String action) {
        PgCluster cluster = context.platform().clusters().get(name).orElseThrow(() -> new PgoException(
                "no cluster named " + name, "pgo show cluster all lists them"));
        if (cluster.deletionRequested()) {
            throw new PgoException(name + " is being deleted", "wait until the deletion finishes");
        }
        if (kind != null && cluster.clusterKind() != kind) {
            throw new PgoException("cannot " + action + " " + name + ": it is a " + cluster.clusterKind().label()
                    + " (one instance, no replicas)", "pgo create cluster makes a primary with replicas");
        }
        return cluster;
    }

    /** The status observed now where this process can observe (else as the operator last wrote it). */
    PgClusterStatus liveStatus(PgCluster cluster) {
        PgClusterStatus status = context.view(cluster).cluster().getStatus();
        return status == null ? new PgClusterStatus() : status;
    }

    static Optional<InstanceStatus> instance(PgClusterStatus status, String name) {
        return status.getInstances() == null ? Optional.empty()
                : status.getInstances().stream().filter(i -> i.getName().equals(name)).findFirst();
    }

    /**
     * Stores the request, then waits until the cluster is Running with it done. With --no-wait it
     * returns at once (on the local platform a background pgo carries the request out).
     * Returns the final status, or null when it did not wait.
     */
    PgClusterStatus request(String name, Map<String, String> annotations, Predicate<PgClusterStatus> done,
                            WaitOptions wait, String doing) {
        context.platform().clusters().annotate(name, annotations);
        if (wait.noWait) {
            if (context.reconcilesItself()) {
                new Submission(context).reconcileInBackground(name);
            }
            context.out().println(doing + " requested; pgo show cluster " + name + " follows it");
            return null;
        }
        context.err().println(doing + " on " + context.platform().name() + " ...");
        return context.clusterWait().awaitRunning(name, done, wait.timeout(), progress());
    }

    private Progress progress;

    /** The progress of the current request, whose clock starts when first asked for. */
    Progress progress() {
        if (progress == null) {
            progress = new Progress(context.err());
        }
        return progress;
    }
}

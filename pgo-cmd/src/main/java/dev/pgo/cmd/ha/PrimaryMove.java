package dev.pgo.cmd.ha;

import dev.pgo.PgoException;
import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.ClusterRequests;
import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.PrimaryChange;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.WaitOptions;

import java.time.Instant;
import java.util.List;

/**
 * Moves a cluster's primary to another instance, for pgo switchover and pgo failover. It checks
 * what it can before anything is stored (the target exists, is a replica, streams), so a request
 * that cannot happen fails at once with the reason instead of waiting for a timeout.
 */
final class PrimaryMove {
    private final CliContext context;
    private final ClusterActions actions;

    PrimaryMove(CliContext context) {
        this.context = context;
        this.actions = new ClusterActions(context);
    }

    /** {@code force}: promote the target even when the primary does not answer (pgo failover). */
    void run(String name, String target, boolean force, WaitOptions wait) {
        String action = force ? "fail over" : "switch over";
        PgCluster cluster = actions.find(name, ClusterKind.CLUSTER, action);
        int instances = cluster.getSpec().getInstances();
        if (instances < 2) {
            throw new PgoException("cannot " + action + " " + name + ": it has no replica",
                    "pgo scale " + name + " --replicas 1 adds one");
        }
        List<String> members = InstanceNames.instances(name, instances);
        if (target != null && !members.contains(target)) {
            throw new PgoException(target + " is not an instance of " + name,
                    "its instances are " + String.join(", ", members));
        }
        PgClusterStatus status = actions.liveStatus(cluster);
        String primary = status.getPrimary();
        boolean primaryRuns = primary != null && ClusterActions.instance(status, primary)
                .map(InstanceStatus::isReady).orElse(false);
        if (primaryRuns && primary.equals(target)) {
            context.out().println(target + " is the primary of " + name + " already; nothing to do");
            return;
        }
        if (!primaryRuns && !force) {
            throw new PgoException("cannot switch over " + name + ": its primary " + primary + " does not run ("
                    + state(status, primary) + "), and a switchover first shuts it down cleanly",
                    "pgo failover " + name + " --target INSTANCE promotes a replica without it");
        }
        if (primaryRuns) {
            requireStreaming(name, status, target, members, primary);
        } else {
            requireAnswering(status, target);
            if (!context.platform().instances().canFence()) {
                throw new PgoException("cannot fail over " + name + " here: the " + context.platform().name()
                        + " platform cannot fence the old primary yet", "start " + primary + " again");
            }
        }
        String id = Instant.now().toString();
        String doing = (force ? "Failover" : "Switchover") + " of " + name + " from " + primary + " to "
                + (target == null ? "the most advanced replica" : target);
        PgClusterStatus done = actions.request(name, ClusterRequests.switchover(target, force, Instant.parse(id)),
                s -> ClusterRequests.switchoverDone(s, id), wait, doing);
        if (done != null) {
            PrimaryChange change = done.getLastPrimaryChange();
            context.out().println("cluster " + name + ": " + done.getPrimary() + " is the primary ("
                    + (change == null ? "" : change.getKind() + " from " + change.getFrom() + ", ")
                    + done.getReadyInstances() + "/" + instances + " ready) after " + actions.progress().elapsed());
        }
    }

    private static void requireStreaming(String name, PgClusterStatus status, String target, List<String> members,
                                         String primary) {
        if (target != null) {
            if (!ClusterActions.instance(status, target).map(InstanceStatus::isReady).orElse(false)) {
                throw new PgoException(target + " cannot take over: it is " + state(status, target)
                        + ", and only a streaming replica has all of the primary's WAL",
                        "pgo show cluster " + name + " shows each instance; wait until " + target + " streams");
            }
            return;
        }
        boolean anyStreams = members.stream().filter(m -> !m.equals(primary))
                .anyMatch(m -> ClusterActions.instance(status, m).map(InstanceStatus::isReady).orElse(false));
        if (!anyStreams) {
            throw new PgoException("cannot switch over " + name + ": no replica streams from " + primary,
                    "pgo show cluster " + name + " shows each instance");
        }
    }

    private static void requireAnswering(PgClusterStatus status, String target) {
        var instance = ClusterActions.instance(status, target);
        if (instance.isEmpty() || instance.get().getTimeline() == null || !"replica".equals(instance.get().getRole())) {
            throw new PgoException(target + " cannot take over: it is " + state(status, target),
                    "only a replica that answers can be promoted");
        }
    }

    private static String state(PgClusterStatus status, String instance) {
        return ClusterActions.instance(status, instance).map(InstanceStatus::getState).orElse("not there");
    }
}

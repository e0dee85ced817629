package dev.pgo.reconcile;

import dev.pgo.api.v1.ClusterRequests;
import dev.pgo.api.v1.Condition;
import dev.pgo.api.v1.Endpoints;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;
import dev.pgo.sql.InstanceFacts;
import dev.pgo.validate.Problem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Computes a cluster's status from what was observed and what the pass did. The reconciler
 * writes status only through here, so phase and conditions mean the same everywhere.
 */
public final class StatusWriter {
    private StatusWriter() {
    }

    /** Status after a pass: {@code pending} is what is still left to do, {@code failure} why the pass stopped. */
    public static PgClusterStatus compute(PgCluster cluster, ObservedCluster observed, List<Step> pending,
                                          String failure, Endpoints endpoints, Instant now) {
        PgClusterStatus previous = previous(cluster);
        var status = new PgClusterStatus();
        status.setPrimary(observed.primary());
        status.setLastPrimaryChange(previous.getLastPrimaryChange());
        var instances = new ArrayList<InstanceStatus>();
        InstanceFacts primaryFacts = observed.instance(observed.primary()).map(ObservedInstance::facts).orElse(null);
        for (ObservedInstance o : observed.instances().values()) {
            instances.add(instanceStatus(o, observed.primary(), primaryFacts));
        }
        status.setInstances(instances);
        int wanted = cluster.getSpec().getInstances();
        long ready = instances.stream().filter(InstanceStatus::isReady).count();
        status.setReadyInstances((int) ready);
        status.setEndpoints(endpoints);

        // Settings PostgreSQL refused (it keeps running with the old values) block convergence
        // like a failed step: the spec cannot be reached until they are fixed.
        List<String> rejected = observed.instances().values().stream().filter(ObservedInstance::answers)
                .flatMap(o -> o.facts().rejectedSettings().stream()).distinct().sorted().toList();
        boolean settingsRejected = failure == null && !rejected.isEmpty();
        if (settingsRejected) {
            failure = "PostgreSQL refused the setting" + (rejected.size() == 1 ? " " : "s ") + String.join(", ", rejected)
                    + " (the server log says why); the instances keep their previous values";
        }
        List<String> awaitingRestart = observed.instances().values().stream()
                .filter(o -> o.answers() && o.facts().pendingRestart()).map(ObservedInstance::name).toList();
        boolean allReady = ready == wanted && instances.size() == wanted;
        // Without the primary's catalog the roles and databases cannot be compared, so an empty
        // plan would prove nothing.
        boolean converged = failure == null && pending.isEmpty() && allReady && observed.catalog() != null;
        Phase phase;
        if (failure != null) {
            phase = Phase.Failed;
        } else if (converged) {
            phase = Phase.Running;
        } else if (previous.getPhase() == Phase.Running || previous.getPhase() == Phase.Updating) {
            phase = Phase.Updating;
        } else {
            phase = Phase.Creating;
        }
        status.setPhase(phase);
        status.setObservedGeneration(converged ? cluster.getMetadata().getGeneration() : previous.getObservedGeneration());
        status.setCompletedSwitchover(completedSwitchover(cluster, observed, previous));
        status.setCompletedRestart(converged ? ClusterRequests.restartRequested(cluster).map(Instant::toString)
                .orElse(previous.getCompletedRestart()) : previous.getCompletedRestart());

        String notReady = instances.stream().filter(i -> !i.isReady())
                .map(i -> i.getName() + " " + i.getState()).collect(Collectors.joining(", "));
        var conditions = new ArrayList<Condition>();
        conditions.add(condition(previous, Condition.SPEC_VALID, true, "Valid", "the spec is valid", now));
        conditions.add(condition(previous, Condition.READY, allReady,
                ready == wanted ? "AllInstancesReady" : "InstancesNotReady",
                ready + " of " + wanted + " instances ready" + (notReady.isEmpty() ? "" : "; " + notReady), now));
        if (failure != null) {
            conditions.add(condition(previous, Condition.RECONCILED, false,
                    settingsRejected ? "SettingsRejected" : "StepFailed", failure, now));
        } else if (!pending.isEmpty()) {
            conditions.add(condition(previous, Condition.RECONCILED, false, "InProgress",
                    "next: " + pending.getFirst().describe(), now));
        } else if (!allReady) {
            conditions.add(condition(previous, Condition.RECONCILED, false, "WaitingForInstances",
                    "nothing left to do; waiting for " + notReady, now));
        } else if (observed.catalog() == null) {
            conditions.add(condition(previous, Condition.RECONCILED, false, "WaitingForInstances",
                    "waiting to read the roles and databases of " + observed.primary(), now));
        } else if (!awaitingRestart.isEmpty()) {
            conditions.add(condition(previous, Condition.RECONCILED, true, "RestartPending",
                    "the cluster matches its spec; changed settings take effect when these restart: "
                            + String.join(", ", awaitingRestart), now));
        } else {
            conditions.add(condition(previous, Condition.RECONCILED, true, "Converged",
                    "the cluster matches its spec", now));
        }
        status.setConditions(conditions);
        return status;
    }

    /**
     * A switchover is done when a handover carried it out (recorded then), or when the instance it
     * names is the primary already, so it would move nothing.
     */
    private static String completedSwitchover(PgCluster cluster, ObservedCluster observed, PgClusterStatus previous) {
        return ClusterRequests.pendingSwitchover(cluster)
                .filter(request -> observed.primary().equals(request.target()) && observed.primaryAnswers())
                .map(ClusterRequests.Switchover::id)
                .orElse(previous.getCompletedSwitchover());
    }

    /** Status for a spec that was refused: nothing was done, the problems say why. */
    public static PgClusterStatus invalid(PgCluster cluster, List<Problem> problems, Instant now) {
        PgClusterStatus previous = previous(cluster);
        PgClusterStatus status = carriedOver(previous, Phase.Failed);
        String message = problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
        status.setConditions(List.of(condition(previous, Condition.SPEC_VALID, false, "InvalidSpec", message, now)));
        return status;
    }

    public static PgClusterStatus deleting(PgCluster cluster, String failure, Instant now) {
        PgClusterStatus previous = previous(cluster);
        PgClusterStatus status = carriedOver(previous, Phase.Deleting);
        if (failure != null) {
            status.setConditions(List.of(condition(previous, Condition.RECONCILED, false, "DeleteFailed", failure, now)));
        }
        return status;
    }

    private static PgClusterStatus previous(PgCluster cluster) {
        return cluster.getStatus() == null ? new PgClusterStatus() : cluster.getStatus();
    }

    /** A new status in {@code phase} that keeps what was last observed, for passes that observe nothing. */
    private static PgClusterStatus carriedOver(PgClusterStatus previous, Phase phase) {
        var status = new PgClusterStatus();
        status.setPhase(phase);
        status.setPrimary(previous.getPrimary());
        status.setInstances(previous.getInstances());
        status.setReadyInstances(previous.getReadyInstances());
        status.setEndpoints(previous.getEndpoints());
        status.setLastPrimaryChange(previous.getLastPrimaryChange());
        status.setCompletedSwitchover(previous.getCompletedSwitchover());
        status.setCompletedRestart(previous.getCompletedRestart());
        status.setObservedGeneration(previous.getObservedGeneration());
        return status;
    }

    private static InstanceStatus instanceStatus(ObservedInstance o, String primary, InstanceFacts primaryFacts) {
        var s = new InstanceStatus();
        s.setName(o.name());
        s.setPvc(o.runtime().pvc());
        s.setHost(o.runtime().endpoint().host());
        s.setPort(o.runtime().endpoint().port());
        InstanceFacts f = o.facts();
        if (f == null) {
            s.setRole(o.name().equals(primary) ? "primary" : "replica");
            s.setReady(false);
            s.setState(o.runtime().diverged() ? "fenced; rejoins as a replica after pg_rewind"
                    : o.error() == null ? "unknown" : o.error());
            return s;
        }
        s.setTimeline(f.timeline());
        s.setLsn(f.lsn());
        String restart = f.pendingRestart() ? ", restart pending" : "";
        if (!f.inRecovery()) {
            s.setRole("primary");
            s.setReady(o.name().equals(primary));
            s.setState((o.name().equals(primary) ? "running" : "running as a second primary") + restart);
        } else {
            s.setRole("replica");
            s.setReceivedLsn(f.receivedLsn());
            s.setReady(f.streaming());
            s.setState((f.streaming() ? "streaming" : "not streaming") + restart);
            if (primaryFacts != null && !primaryFacts.inRecovery() && f.lsnBytes() >= 0) {
                s.setLagBytes(Math.max(0, primaryFacts.lsnBytes() - f.lsnBytes()));
            }
        }
        return s;
    }

    /** A condition whose lastTransitionTime moves only when its status flips. */
    private static Condition condition(PgClusterStatus previous, String type, boolean value, String reason,
                                       String message, Instant now) {
        Condition before = previous.condition(type);
        String since = before != null && before.isTrue() == value && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime() : now.toString();
        return new Condition(type, value, reason, message, since);
    }
}

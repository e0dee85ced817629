package dev.pgo.reconcile;

import dev.pgo.api.v1.ClusterRequests;
import dev.pgo.api.v1.ClusterRequests.Switchover;
import dev.pgo.api.v1.FailoverSpec;
import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterSpec;
import dev.pgo.reconcile.Step.AlterDatabaseOwner;
import dev.pgo.reconcile.Step.AlterRole;
import dev.pgo.reconcile.Step.BootstrapPrimary;
import dev.pgo.reconcile.Step.BootstrapReplica;
import dev.pgo.reconcile.Step.RestorePrimary;
import dev.pgo.reconcile.Step.Configure;
import dev.pgo.reconcile.Step.CreateDatabase;
import dev.pgo.reconcile.Step.CreateRole;
import dev.pgo.reconcile.Step.CreateSlot;
import dev.pgo.reconcile.Step.DropSlot;
import dev.pgo.reconcile.Step.EnsureSecrets;
import dev.pgo.reconcile.Step.Failover;
import dev.pgo.reconcile.Step.Rejoin;
import dev.pgo.reconcile.Step.Forget;
import dev.pgo.reconcile.Step.Promote;
import dev.pgo.reconcile.Step.RemoveInstance;
import dev.pgo.reconcile.Step.RestartInstance;
import dev.pgo.reconcile.Step.StartInstance;
import dev.pgo.reconcile.Step.SyncResources;
import dev.pgo.sql.ClusterCatalog;
import dev.pgo.sql.RoleAttributes;
import dev.pgo.sql.RoleFlag;
import dev.pgo.validate.SpecValidator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what to do: spec + observed state in, the steps to take out, in the order they must
 * run. A pure function: it touches nothing, so it is tested with tables of cases. When the
 * cluster already matches its spec the plan is empty, which is what makes reconciling idempotent.
 */
public final class Planner {
    private Planner() {
    }

    public static List<Step> plan(PgCluster cluster, ObservedCluster observed, boolean keepDataOnDelete) {
        if (cluster.deletionRequested()) {
            return teardown(observed, keepDataOnDelete);
        }
        var steps = new ArrayList<Step>();
        PgClusterSpec spec = cluster.getSpec();
        String name = cluster.name();
        String primary = observed.primary();

        if (!observed.secretsExist()) {
            steps.add(new EnsureSecrets());
        }
        if (!observed.resourceDrift().isEmpty()) {
            steps.add(new SyncResources(observed.resourceDrift()));
        }

        var primaryObserved = observed.instance(primary);
        Optional<Switchover> request = ClusterRequests.pendingSwitchover(cluster);
        Optional<ObservedInstance> takeover = primaryObserved.filter(o -> !o.answers())
                .flatMap(o -> failoverTarget(spec, name, observed));
        Optional<ObservedInstance> forced = primaryObserved.filter(o -> !o.answers())
                .flatMap(o -> forcedFailoverTarget(request, spec, name, observed));
        if (primaryObserved.isEmpty() || !primaryObserved.get().runtime().initialized()) {
            steps.add(spec.getRestore() != null ? new RestorePrimary(primary, spec.getRestore().describe())
                    : new BootstrapPrimary(primary));
        } else if (forced.isPresent()) {
            // The user named the replica to take over from a primary that does not answer: no delay.
            steps.add(new Failover(primary, forced.get().name(), "requested by the user; the primary is " + primaryObserved.get().error(),
                    request.orElseThrow().id()));
            return steps;
        } else if (takeover.isPresent()) {
            // A replica can take over: the lost primary is not restarted where it is (it could
            // come back beside the promoted replica); it rejoins as a replica after the failover.
            if (observed.primarySilentFor().compareTo(FailoverSpec.delay(spec)) >= 0) {
                steps.add(new Failover(primary, takeover.get().name(), String.format(Locale.ROOT, "%s for %.1fs",
                        primaryObserved.get().error(), observed.primarySilentFor().toMillis() / 1000.0)));
                return steps;
            }
        } else if (!primaryObserved.get().runtime().running()) {
            if (primaryObserved.get().runtime().pending() == null) {
                steps.add(new StartInstance(primary));
            }
        } else if (primaryObserved.get().configDrifted()) {
            steps.add(new Configure(primary));
        }

        ClusterCatalog catalog = observed.primaryAnswers() ? observed.catalog() : null;
        if (catalog != null) {
            roleSteps(SpecValidator.REPLICATION_USER, replicationRole(), catalog, steps);
        }

        for (int ordinal = 0; ordinal < spec.getInstances(); ordinal++) {
            String instance = InstanceNames.instance(name, ordinal);
            if (instance.equals(primary)) {
                continue;
            }
            var replica = observed.instance(instance);
            boolean initialized = replica.map(r -> r.runtime().initialized()).orElse(false);
            if (!initialized) {
                // A replica is cloned only from a primary that answers and has the replication role.
                if (catalog != null) {
                    String slot = InstanceNames.slot(instance);
                    if (!catalog.replicationSlots().contains(slot)) {
                        steps.add(new CreateSlot(slot));
                    }
                    steps.add(new BootstrapReplica(instance, primary));
                }
                continue;
            }
            if (catalog != null && !catalog.replicationSlots().contains(InstanceNames.slot(instance))) {
                steps.add(new CreateSlot(InstanceNames.slot(instance)));
            }
            if (replica.get().runtime().diverged()) {
                if (catalog != null) {
                    steps.add(new Rejoin(instance, primary));
                }
                continue;
            }
            if (!replica.get().runtime().running()) {
                if (replica.get().runtime().pending() == null) {
                    steps.add(new StartInstance(instance));
                }
            } else if (replica.get().configDrifted()) {
                steps.add(new Configure(instance));
            }
        }

        // Scale down: highest ordinals first, never the primary.
        observed.instances().values().stream()
                .filter(o -> o.ordinal() >= spec.getInstances() && !o.name().equals(primary))
                .sorted(Comparator.comparingInt(ObservedInstance::ordinal).reversed())
                .forEach(o -> {
                    steps.add(new RemoveInstance(o.name(), false));
                    if (catalog != null && catalog.replicationSlots().contains(InstanceNames.slot(o.name()))) {
                        steps.add(new DropSlot(InstanceNames.slot(o.name())));
                    }
                });

        if (catalog != null) {
            orphanedSlots(name, spec.getInstances(), observed, catalog).forEach(slot -> steps.add(new DropSlot(slot)));
            desiredUserRoles(spec).forEach((role, attributes) -> roleSteps(role, attributes, catalog, steps));
            if (spec.getDatabases() != null) {
                spec.getDatabases().forEach((database, owner) -> {
                    String current = catalog.databaseOwners().get(database);
                    if (current == null) {
                        steps.add(new CreateDatabase(database, owner));
                    } else if (!current.equals(owner)) {
                        steps.add(new AlterDatabaseOwner(database, owner));
                    }
                });
            }
        }

        if (catalog == null) {
            resumeSwitchover(spec, name, observed).ifPresent(steps::add);
        } else if (steps.isEmpty()) {
            requestedSwitchover(request, spec, name, observed)
                    .or(() -> handOverBeforeScaleDown(spec, name, observed))
                    .or(() -> rollingRestart(cluster, name, observed))
                    .ifPresent(steps::add);
        }
        return steps;
    }

    /**
     * A switchover the user asked for, once nothing else is left to do: to the named replica, or
     * else to the streaming replica that received the most WAL. It waits while the replica does
     * not stream (it could not catch up with the old primary's last WAL).
     */
    private static Optional<Step> requestedSwitchover(Optional<Switchover> request, PgClusterSpec spec, String name,
                                                      ObservedCluster observed) {
        if (request.isEmpty() || !observed.primaryAnswers()) {
            return Optional.empty();
        }
        String primary = observed.primary();
        String target = request.get().target();
        if (primary.equals(target)) {
            return Optional.empty(); // already done; the status records it
        }
        return streamingReplicas(spec, name, observed).stream()
                .filter(o -> target == null || o.name().equals(target))
                .max(Comparator.comparingLong(ObservedInstance::walBytes))
                .map(o -> new Step.Switchover(primary, o.name(), "requested by the user", request.get().id()));
    }

    /**
     * Scaling down never removes the primary: when it holds an ordinal the spec no longer wants,
     * it hands over to the most advanced streaming replica that stays, and is removed as a replica.
     */
    private static Optional<Step> handOverBeforeScaleDown(PgClusterSpec spec, String name, ObservedCluster observed) {
        String primary = observed.primary();
        if (InstanceNames.ordinal(name, primary) < spec.getInstances()) {
            return Optional.empty();
        }
        return streamingReplicas(spec, name, observed).stream()
                .max(Comparator.comparingLong(ObservedInstance::walBytes))
                .map(o -> new Step.Switchover(primary, o.name(), "scale down to " + spec.getInstances()
                        + " instance" + (spec.getInstances() == 1 ? "" : "s") + ": " + primary + " is removed"));
    }

    /** The wanted replicas that answer and stream from the primary. */
    private static List<ObservedInstance> streamingReplicas(PgClusterSpec spec, String name, ObservedCluster observed) {
        return wantedInstances(spec, name, observed).stream()
                .filter(o -> !o.name().equals(observed.primary()) && o.answers() && o.facts().streaming())
                .toList();
    }

    /**
     * The replica a user named with pgo failover, when the primary does not answer: it must be one
     * the spec wants that answers as a standby, and the platform must be able to fence the old
     * primary. Neither the failover delay nor the spec's failover switch applies: a person decided.
     */
    private static Optional<ObservedInstance> forcedFailoverTarget(Optional<Switchover> request, PgClusterSpec spec,
                                                                  String name, ObservedCluster observed) {
        if (request.isEmpty() || !request.get().force() || request.get().target() == null || !observed.canFence()) {
            return Optional.empty();
        }
        return candidates(spec, name, observed).stream()
                .filter(o -> o.name().equals(request.get().target())).findFirst();
    }

    /**
     * One restart of a rolling update, when nothing else is left to do and every instance answers:
     * replicas first, one at a time (the next waits until the last one answers again), then a
     * switchover to an up-to-date streaming replica, after which the old primary restarts as a
     * replica. A single instance restarts in place. Each pass decides from what it observes, so a
     * rollout interrupted anywhere goes on where it stopped.
     */
    private static Optional<Step> rollingRestart(PgCluster cluster, String name, ObservedCluster observed) {
        PgClusterSpec spec = cluster.getSpec();
        List<ObservedInstance> wanted = wantedInstances(spec, name, observed);
        if (wanted.size() < spec.getInstances() || !wanted.stream().allMatch(ObservedInstance::answers)) {
            return Optional.empty();
        }
        Optional<Instant> requested = ClusterRequests.restartRequested(cluster);
        String primary = observed.primary();
        for (ObservedInstance replica : wanted) {
            if (!replica.name().equals(primary) && restartReason(replica, requested).isPresent()) {
                return Optional.of(new RestartInstance(replica.name(), restartReason(replica, requested).get()));
            }
        }
        ObservedInstance current = observed.instance(primary).orElseThrow();
        Optional<String> reason = restartReason(current, requested);
        if (reason.isEmpty()) {
            return Optional.empty();
        }
        if (wanted.size() == 1) {
            return Optional.of(new RestartInstance(primary, reason.get()));
        }
        return streamingReplicas(spec, name, observed).stream()
                .max(Comparator.comparingLong(ObservedInstance::walBytes))
                .map(target -> new Step.Switchover(primary, target.name(), "restart of " + primary + ": " + reason.get()));
    }

    /** Why an instance must restart, if it must: something changed that only a restart applies, or a user asked. */
    private static Optional<String> restartReason(ObservedInstance instance, Optional<Instant> requested) {
        if (instance.outdated()) {
            return Optional.of("runs an older image, resources or environment");
        }
        if (instance.facts() != null && instance.facts().pendingRestart()) {
            return Optional.of("a changed setting needs a restart");
        }
        if (requested.isPresent() && instance.facts() != null && instance.facts().startedAt() != null
                && instance.facts().startedAt().isBefore(requested.get())) {
            return Optional.of("restart requested by the user");
        }
        return Optional.empty();
    }

    /**
     * The replica to promote if the primary is lost, when a failover can happen at all: the spec
     * allows it, the platform can fence the old primary, and a replica answers to take over.
     * Among the answering standbys the spec wants, it is the one that received the most WAL, so
     * the fewest transactions are lost (none with synchronous replication); on a tie the lowest
     * ordinal.
     */
    private static Optional<ObservedInstance> failoverTarget(PgClusterSpec spec, String name,
                                                             ObservedCluster observed) {
        if (!FailoverSpec.enabled(spec) || !observed.canFence()) {
            return Optional.empty();
        }
        List<ObservedInstance> candidates = candidates(spec, name, observed);
        // Each acknowledged commit is on at least k of the n replicas; only when n - k + 1 of them
        // answer is one of those sure to be among them, and so the most advanced has it.
        int replicas = spec.getInstances() - 1;
        if (spec.getSynchronous() != null && candidates.size() < replicas - spec.getSynchronous().getStandbys() + 1) {
            return Optional.empty();
        }
        return candidates.stream().max(Comparator.comparingLong(ObservedInstance::walBytes)
                .thenComparing(Comparator.comparingInt(ObservedInstance::ordinal).reversed()));
    }

    private static List<ObservedInstance> candidates(PgClusterSpec spec, String name, ObservedCluster observed) {
        return wantedInstances(spec, name, observed).stream()
                .filter(o -> !o.name().equals(observed.primary()) && o.answers() && o.facts().inRecovery()
                        && !o.runtime().diverged())
                .toList();
    }

    /** The observed instances among those the spec wants (ordinals below spec.instances), in ordinal order. */
    private static List<ObservedInstance> wantedInstances(PgClusterSpec spec, String name, ObservedCluster observed) {
        var wanted = new ArrayList<ObservedInstance>();
        for (int ordinal = 0; ordinal < spec.getInstances(); ordinal++) {
            observed.instance(InstanceNames.instance(name, ordinal)).ifPresent(wanted::add);
        }
        return wanted;
    }

    /**
     * A switchover interrupted after it stopped the old primary leaves the instance pgo recorded
     * as primary a standby, and no primary. It is promoted only when every instance the spec wants
     * exists and every instance answers, so none can be a primary pgo does not see, and none holds
     * more WAL than it.
     */
    private static Optional<Step> resumeSwitchover(PgClusterSpec spec, String name, ObservedCluster observed) {
        var recorded = observed.instance(observed.primary());
        if (recorded.isEmpty() || !recorded.get().answers() || recorded.get().isPrimary()) {
            return Optional.empty();
        }
        if (wantedInstances(spec, name, observed).size() < spec.getInstances()) {
            return Optional.empty();
        }
        for (ObservedInstance instance : observed.instances().values()) {
            if (instance.runtime().diverged() && !instance.answers()) {
                continue; // a primary a failover fenced: down, and never a primary again
            }
            if (!instance.answers() || instance.isPrimary() || instance.walBytes() > recorded.get().walBytes()) {
                return Optional.empty();
            }
        }
        return Optional.of(new Promote(recorded.get().name()));
    }

    /**
     * Slots of replicas that are gone (removed in an earlier pass whose slot drop did not happen):
     * left alone they would make the primary keep WAL until its disk fills.
     */
    private static List<String> orphanedSlots(String cluster, int instances, ObservedCluster observed,
                                              ClusterCatalog catalog) {
        var orphans = new ArrayList<String>();
        for (int ordinal = instances; ordinal <= SpecValidator.MAX_INSTANCES; ordinal++) {
            String instance = InstanceNames.instance(cluster, ordinal);
            String slot = InstanceNames.slot(instance);
            if (catalog.replicationSlots().contains(slot) && observed.instance(instance).isEmpty()) {
                orphans.add(slot);
            }
        }
        return orphans;
    }

    private static List<Step> teardown(ObservedCluster observed, boolean keepData) {
        var steps = new ArrayList<Step>();
        observed.instances().values().stream()
                .sorted(Comparator.comparing((ObservedInstance o) -> o.name().equals(observed.primary()))
                        .thenComparing(Comparator.comparingInt(ObservedInstance::ordinal).reversed()))
                .forEach(o -> steps.add(new RemoveInstance(o.name(), keepData)));
        steps.add(new Forget(keepData));
        return steps;
    }

    private static void roleSteps(String role, RoleAttributes wanted, ClusterCatalog catalog, List<Step> steps) {
        RoleAttributes current = catalog.roles().get(role);
        if (current == null) {
            steps.add(new CreateRole(role, wanted));
        } else {
            RoleAttributes diff = current.missing(wanted);
            if (!diff.isEmpty()) {
                steps.add(new AlterRole(role, diff));
            }
        }
    }

    static RoleAttributes replicationRole() {
        var flags = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
        flags.put(RoleFlag.LOGIN, true);
        flags.put(RoleFlag.REPLICATION, true);
        return new RoleAttributes(flags);
    }

    /** Spec users with LOGIN unless they say NOLOGIN: a "user" is someone who logs in. */
    public static Map<String, RoleAttributes> desiredUserRoles(PgClusterSpec spec) {
        var roles = new LinkedHashMap<String, RoleAttributes>();
        if (spec.getUsers() != null) {
            spec.getUsers().forEach((role, words) -> {
                var flags = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
                flags.put(RoleFlag.LOGIN, true);
                flags.putAll(RoleAttributes.fromSpec(words == null ? List.of() : words).flags());
                roles.put(role, new RoleAttributes(flags));
            });
        }
        return roles;
    }
}

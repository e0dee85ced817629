package dev.pgo.reconcile;

import dev.pgo.testing.ObservedRoles;
import dev.pgo.api.v1.ClusterRequests;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.manifest.Manifests;
import dev.pgo.platform.InstanceRuntime;
import dev.pgo.reconcile.Step.AlterDatabaseOwner;
import dev.pgo.reconcile.Step.AlterRole;
import dev.pgo.reconcile.Step.BootstrapPrimary;
import dev.pgo.reconcile.Step.BootstrapReplica;
import dev.pgo.reconcile.Step.Configure;
import dev.pgo.reconcile.Step.CreateDatabase;
import dev.pgo.reconcile.Step.CreateRole;
import dev.pgo.reconcile.Step.CreateSlot;
import dev.pgo.reconcile.Step.DropSlot;
import dev.pgo.reconcile.Step.EnsureSecrets;
import dev.pgo.reconcile.Step.Forget;
import dev.pgo.reconcile.Step.Failover;
import dev.pgo.reconcile.Step.Promote;
import dev.pgo.reconcile.Step.Rejoin;
import dev.pgo.reconcile.Step.RemoveInstance;
import dev.pgo.reconcile.Step.RestartInstance;
import dev.pgo.reconcile.Step.StartInstance;
import dev.pgo.reconcile.Step.Switchover;
import dev.pgo.sql.ClusterCatalog;
import dev.pgo.sql.Endpoint;
import dev.pgo.sql.InstanceFacts;
import dev.pgo.sql.RoleAttributes;
import dev.pgo.sql.RoleFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import dev.pgo.api.v1.FailoverSpec;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PlannerTest {
    private static final String NAME = "db";

    // ---- building blocks --------------------------------------------------------------------

    /** A cluster "db" with the given instance count, no users, no databases. */
    private static PgCluster cluster(int instances) {
        var cluster = new PgCluster();
        cluster.getMetadata().setName(NAME);
        cluster.getSpec().setInstances(instances);
        cluster.getSpec().setPostgresVersion(17);
        return cluster;
    }

    private static PgCluster withUser(PgCluster cluster, String role, String... flags) {
        cluster.getSpec().getUsers().put(role, List.of(flags));
        return cluster;
    }

    private static PgCluster withDatabase(PgCluster cluster, String database, String owner) {
        cluster.getSpec().getDatabases().put(database, owner);
        return cluster;
    }

    private static PgCluster deleting(PgCluster cluster) {
        cluster.getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");
        return cluster;
    }

    private static final java.time.Instant STARTED = java.time.Instant.parse("2026-01-01T00:00:00Z");

    private enum State { RUNNING_PRIMARY, RUNNING_REPLICA, STOPPED, UNINITIALISED }

    private static ObservedInstance instance(int ordinal, State state, boolean drifted) {
        String name = NAME + "-" + ordinal;
        boolean initialised = state != State.UNINITIALISED;
        boolean running = state == State.RUNNING_PRIMARY || state == State.RUNNING_REPLICA;
        var runtime = new InstanceRuntime(name, ordinal, "pgdata-" + name, initialised, running,
                new Endpoint("127.0.0.1", 15440 + ordinal));
        InstanceFacts facts = switch (state) {
            case RUNNING_PRIMARY -> new InstanceFacts(false, 1, "0/3000060", 50331744, null, false, null, List.of(), false, STARTED);
            case RUNNING_REPLICA -> new InstanceFacts(true, 1, "0/3000060", 50331744, "0/3000060", true, "15432", List.of(), false, STARTED);
            default -> null;
        };
        return new ObservedInstance(runtime, facts, facts == null ? "not running" : null, drifted);
    }

    private static ObservedInstance instance(int ordinal, State state) {
        return instance(ordinal, state, false);
    }

    /** The instance as it is, but running an older pod template than pgo would make now. */
    private static ObservedInstance outdated(ObservedInstance o) {
        return new ObservedInstance(o.runtime(), o.facts(), o.error(), o.configDrifted(), true);
    }

    /** A stopped instance that is on its way back by itself (a pod being recreated). */
    private static ObservedInstance pending(ObservedInstance o) {
        var r = o.runtime();
        return new ObservedInstance(new InstanceRuntime(r.name(), r.ordinal(), r.pvc(), r.initialized(), false,
                r.endpoint(), "pod terminating"), null, "pod terminating", false);
    }

    /** The instance as it is, but with a changed setting that waits for a restart. */
    private static ObservedInstance pendingRestart(ObservedInstance o) {
        var f = o.facts();
        return new ObservedInstance(o.runtime(), new InstanceFacts(f.inRecovery(), f.timeline(), f.lsn(), f.lsnBytes(),
                f.receivedLsn(), f.streaming(), f.upstreamPort(), f.rejectedSettings(), true, f.startedAt()), null, o.configDrifted());
    }

    /** A standby that has received WAL up to {@code lsn}; streaming unless told otherwise. */
    private static ObservedInstance standbyAt(int ordinal, String lsn, boolean streaming) {
        var o = instance(ordinal, State.RUNNING_REPLICA);
        var f = o.facts();
        return new ObservedInstance(o.runtime(), new InstanceFacts(true, 1, f.lsn(), f.lsnBytes(), lsn, streaming,
                streaming ? "15432" : null, List.of(), false, f.startedAt()), null, false);
    }

    private static RoleAttributes role(RoleFlag... on) {
        return ObservedRoles.withFlags(on);
    }

    private static RoleAttributes attrs(Object... flagThenValue) {
        var flags = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
        for (int i = 0; i < flagThenValue.length; i += 2) {
            flags.put((RoleFlag) flagThenValue[i], (Boolean) flagThenValue[i + 1]);
        }
        return new RoleAttributes(flags);
    }

    private static final RoleAttributes STANDBY_WANTED = attrs(RoleFlag.LOGIN, true, RoleFlag.REPLICATION, true);

    /** A catalog builder: starts like a fresh initdb plus the replication role. */
    private static final class Catalog {
        final Map<String, RoleAttributes> roles = new LinkedHashMap<>();
        final Map<String, String> databases = new LinkedHashMap<>();
        final Set<String> slots = new LinkedHashSet<>();

        Catalog() {
            roles.put("postgres", PlannerTest.role(RoleFlag.SUPERUSER, RoleFlag.CREATEDB, RoleFlag.CREATEROLE, RoleFlag.LOGIN,
                    RoleFlag.REPLICATION, RoleFlag.BYPASSRLS, RoleFlag.INHERIT));
            roles.put("standby", PlannerTest.role(RoleFlag.LOGIN, RoleFlag.REPLICATION, RoleFlag.INHERIT));
            databases.put("postgres", "postgres");
        }

        Catalog withoutRole(String name) {
            roles.remove(name);
            return this;
        }

        Catalog role(String name, RoleAttributes attributes) {
            roles.put(name, attributes);
            return this;
        }

        Catalog database(String name, String owner) {
            databases.put(name, owner);
            return this;
        }

        Catalog slots(String... names) {
            slots.addAll(List.of(names));
            return this;
        }

        ClusterCatalog build() {
            return new ClusterCatalog(Map.copyOf(roles), Map.copyOf(databases), Set.copyOf(slots));
        }
    }

    private static ObservedCluster observed(boolean secrets, String primary, Catalog catalog,
                                            ObservedInstance... instances) {
        var map = new LinkedHashMap<String, ObservedInstance>();
        for (ObservedInstance instance : instances) {
            map.put(instance.name(), instance);
        }
        return new ObservedCluster(map, secrets, primary, catalog == null ? null : catalog.build());
    }

    private static ObservedCluster observed(Catalog catalog, ObservedInstance... instances) {
        return observed(true, "db-0", catalog, instances);
    }

    /** A cluster whose primary db-0 has not answered for {@code millis}, on a platform that can fence. */
    private static ObservedCluster lost(long millis, ObservedInstance... instances) {
        ObservedCluster observed = observed(null, instances);
        return new ObservedCluster(observed.instances(), true, "db-0", null, List.of(), Duration.ofMillis(millis), true);
    }

    /** A former primary a failover fenced, stopped. */
    private static ObservedInstance diverged(int ordinal) {
        var r = instance(ordinal, State.STOPPED).runtime();
        return new ObservedInstance(new InstanceRuntime(r.name(), r.ordinal(), r.pvc(), true, false, r.endpoint(), null,
                true), null, "not running", false);
    }

    private static PgCluster withSynchronous(PgCluster cluster, int standbys) {
        var synchronous = new dev.pgo.api.v1.SynchronousSpec();
        synchronous.setStandbys(standbys);
        cluster.getSpec().setSynchronous(synchronous);
        return cluster;
    }

    private static PgCluster withFailover(PgCluster cluster, Boolean enabled, Double delaySeconds) {
        var failover = new FailoverSpec();
        failover.setEnabled(enabled);
        failover.setDelaySeconds(delaySeconds);
        cluster.getSpec().setFailover(failover);
        return cluster;
    }

    private static final String REQUEST = "2026-03-01T10:00:00Z";

    /** A cluster with a pending pgo switchover (or, with {@code force}, pgo failover) request. */
    private static PgCluster withSwitchoverRequest(PgCluster cluster, String target, boolean force) {
        var annotations = new java.util.HashMap<String, String>();
        annotations.put(ClusterRequests.SWITCHOVER, REQUEST);
        if (target != null) {
            annotations.put(ClusterRequests.SWITCHOVER_TARGET, target);
        }
        if (force) {
            annotations.put(ClusterRequests.SWITCHOVER_FORCE, "true");
        }
        cluster.getMetadata().setAnnotations(annotations);
        return cluster;
    }

    private static PgCluster withCompletedSwitchover(PgCluster cluster) {
        var status = new dev.pgo.api.v1.PgClusterStatus();
        status.setCompletedSwitchover(REQUEST);
        cluster.setStatus(status);
        return cluster;
    }

    private static PgCluster withRestartRequested(PgCluster cluster, String at) {
        cluster.getMetadata().setAnnotations(Map.of(ClusterRequests.RESTART, at));
        return cluster;
    }

    /** The instance as it is, but with its server started at {@code at}. */
    private static ObservedInstance startedAt(ObservedInstance o, String at) {
        var f = o.facts();
        return new ObservedInstance(o.runtime(), new InstanceFacts(f.inRecovery(), f.timeline(), f.lsn(), f.lsnBytes(),
                f.receivedLsn(), f.streaming(), f.upstreamPort(), f.rejectedSettings(), f.pendingRestart(),
                java.time.Instant.parse(at)), null, o.configDrifted());
    }

    private static ObservedInstance[] primaryAndTwoStreaming() {
        return new ObservedInstance[]{instance(0, State.RUNNING_PRIMARY), standbyAt(1, "0/3000060", true),
                standbyAt(2, "0/3000100", true)};
    }

    // ---- the table --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansTheStepsThatBringTheClusterToItsSpec(String behaviour, PgCluster cluster, ObservedCluster observed,
                                                   List<Step> expected) {
        assertEquals(expected, Planner.plan(cluster, observed, false));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("a brand-new database gets secrets and a primary, nothing else",
                        withDatabase(withUser(cluster(1), "app"), "app", "app"),
                        observed(false, "db-0", null),
                        List.of(new EnsureSecrets(), new BootstrapPrimary("db-0"))),
                arguments("a brand-new cluster waits for the primary before cloning replicas",
                        cluster(3),
                        observed(false, "db-0", null),
                        List.of(new EnsureSecrets(), new BootstrapPrimary("db-0"))),
                arguments("secrets that exist are not made again",
                        cluster(1),
                        observed(true, "db-0", null, instance(0, State.UNINITIALISED)),
                        List.of(new BootstrapPrimary("db-0"))),
                arguments("a running primary without the replication role gets it before replicas are cloned",
                        cluster(3),
                        observed(new Catalog().withoutRole("standby"), instance(0, State.RUNNING_PRIMARY)),
                        List.of(new CreateRole("standby", STANDBY_WANTED),
                                new CreateSlot("db_1"), new BootstrapReplica("db-1", "db-0"),
                                new CreateSlot("db_2"), new BootstrapReplica("db-2", "db-0"))),
                arguments("a replica whose slot already exists is cloned without making the slot again",
                        cluster(2),
                        observed(new Catalog().slots("db_1"), instance(0, State.RUNNING_PRIMARY)),
                        List.of(new BootstrapReplica("db-1", "db-0"))),
                arguments("a cluster that matches its spec needs nothing",
                        withDatabase(withUser(cluster(3), "app", "CREATEDB"), "app", "app"),
                        observed(new Catalog().slots("db_1", "db_2")
                                        .role("app", role(RoleFlag.LOGIN, RoleFlag.CREATEDB, RoleFlag.INHERIT))
                                        .database("app", "app"),
                                instance(0, State.RUNNING_PRIMARY), instance(1, State.RUNNING_REPLICA),
                                instance(2, State.RUNNING_REPLICA)),
                        List.of()),
                arguments("a stopped replica is started",
                        cluster(3),
                        observed(new Catalog().slots("db_1", "db_2"), instance(0, State.RUNNING_PRIMARY),
                                instance(1, State.STOPPED), instance(2, State.RUNNING_REPLICA)),
                        List.of(new StartInstance("db-1"))),
                arguments("a stopped primary is started and nothing is asked of SQL",
                        withUser(cluster(2), "app"),
                        observed(new Catalog(), instance(0, State.STOPPED), instance(1, State.RUNNING_REPLICA)),
                        List.of(new StartInstance("db-0"))),
                arguments("a replica whose configuration drifted is reconfigured",
                        cluster(2),
                        observed(new Catalog().slots("db_1"), instance(0, State.RUNNING_PRIMARY),
                                instance(1, State.RUNNING_REPLICA, true)),
                        List.of(new Configure("db-1"))),
                arguments("a primary whose configuration drifted is reconfigured",
                        cluster(2),
                        observed(new Catalog().slots("db_1"), instance(0, State.RUNNING_PRIMARY, true),
                                instance(1, State.RUNNING_REPLICA)),
                        List.of(new Configure("db-0"))),
                arguments("a stopped, drifted replica is started (its new configuration is read at start)",
                        cluster(2),
                        observed(new Catalog().slots("db_1"), instance(0, State.RUNNING_PRIMARY),
                                instance(1, State.STOPPED, true)),
                        List.of(new StartInstance("db-1"))),
                arguments("an initialised replica whose slot vanished gets it back",
                        cluster(2),
                        observed(new Catalog(), instance(0, State.RUNNING_PRIMARY), instance(1, State.RUNNING_REPLICA)),
                        List.of(new CreateSlot("db_1"))),
                arguments("scaling 3 to 1 removes the highest ordinal first, each followed by dropping its slot",
                        cluster(1),
                        observed(new Catalog().slots("db_1", "db_2"), instance(0, State.RUNNING_PRIMARY),
                                instance(1, State.RUNNING_REPLICA), instance(2, State.RUNNING_REPLICA)),
                        List.of(new RemoveInstance("db-2", false), new DropSlot("db_2"),
                                new RemoveInstance("db-1", false), new DropSlot("db_1"))),
                arguments("scaling down never removes the primary, even at a high ordinal",
                        cluster(1),
                        observed(true, "db-2", new Catalog().slots("db_0", "db_1"),
                                instance(0, State.RUNNING_REPLICA), instance(1, State.RUNNING_REPLICA),
                                instance(2, State.RUNNING_PRIMARY)),
                        List.of(new RemoveInstance("db-1", false), new DropSlot("db_1"))),
                arguments("scaling down drops no slot that does not exist",
                        cluster(1),
                        observed(new Catalog(), instance(0, State.RUNNING_PRIMARY), instance(1, State.STOPPED)),
                        List.of(new RemoveInstance("db-1", false))),
                arguments("a role with different flags is altered in only the flags that differ",
                        withUser(cluster(1), "app", "CREATEDB"),
                        observed(new Catalog().role("app", role(RoleFlag.LOGIN, RoleFlag.SUPERUSER, RoleFlag.INHERIT)),
                                instance(0, State.RUNNING_PRIMARY)),
                        List.of(new AlterRole("app", attrs(RoleFlag.CREATEDB, true)))),
                arguments("a role asked to be NOLOGIN loses LOGIN",
                        withUser(cluster(1), "reader", "NOLOGIN"),
                        observed(new Catalog().role("reader", role(RoleFlag.LOGIN, RoleFlag.INHERIT)),
                                instance(0, State.RUNNING_PRIMARY)),
                        List.of(new AlterRole("reader", attrs(RoleFlag.LOGIN, false)))),
                arguments("a replication role that lost REPLICATION gets it back",
                        cluster(1),
                        observed(new Catalog().role("standby", role(RoleFlag.LOGIN)), instance(0, State.RUNNING_PRIMARY)),
                        List.of(new AlterRole("standby", attrs(RoleFlag.REPLICATION, true)))),
                arguments("a database with another owner is given to the spec's owner",
                        withDatabase(withUser(cluster(1), "app"), "app", "app"),
                        observed(new Catalog().role("app", role(RoleFlag.LOGIN)).database("app", "postgres"),
                                instance(0, State.RUNNING_PRIMARY)),
                        List.of(new AlterDatabaseOwner("app", "app"))),
                arguments("a spec user without flags is created with LOGIN, before its database",
                        withDatabase(withUser(cluster(1), "app"), "app", "app"),
                        observed(new Catalog(), instance(0, State.RUNNING_PRIMARY)),
                        List.of(new CreateRole("app", attrs(RoleFlag.LOGIN, true)), new CreateDatabase("app", "app"))),
                arguments("a spec user's own flags are added to LOGIN",
                        withUser(cluster(1), "owner", "createdb", "NOINHERIT"),
                        observed(new Catalog(), instance(0, State.RUNNING_PRIMARY)),
                        List.of(new CreateRole("owner", attrs(RoleFlag.CREATEDB, true, RoleFlag.LOGIN, true,
                                RoleFlag.INHERIT, false)))),
                arguments("a spec user marked NOLOGIN is created without LOGIN",
                        withUser(cluster(1), "group_role", "NOLOGIN"),
                        observed(new Catalog(), instance(0, State.RUNNING_PRIMARY)),
                        List.of(new CreateRole("group_role", attrs(RoleFlag.LOGIN, false)))),
                arguments("a database owned by postgres is created as such",
                        withDatabase(cluster(1), "scratch", "postgres"),
                        observed(new Catalog(), instance(0, State.RUNNING_PRIMARY)),
                        List.of(new CreateDatabase("scratch", "postgres"))),
                arguments("nothing is asked of a primary that does not answer as a primary",
                        withDatabase(withUser(cluster(2), "app"), "app", "app"),
                        observed(new Catalog(), instance(0, State.RUNNING_REPLICA)),
                        List.of()),
                // ---- rolling updates
                arguments("a rolling update restarts one outdated replica at a time, lowest ordinal first",
                        cluster(3),
                        observed(new Catalog().slots("db_1", "db_2"), outdated(instance(0, State.RUNNING_PRIMARY)),
                                outdated(instance(1, State.RUNNING_REPLICA)), outdated(instance(2, State.RUNNING_REPLICA))),
                        List.of(new RestartInstance("db-1", "runs an older image, resources or environment"))),
                arguments("the next replica waits until the restarted one answers again",
                        cluster(3),
                        observed(new Catalog().slots("db_1", "db_2"), outdated(instance(0, State.RUNNING_PRIMARY)),
                                pending(instance(1, State.STOPPED)), outdated(instance(2, State.RUNNING_REPLICA))),
                        List.of()),
                arguments("with every replica up to date the primary hands over to the streaming replica with the most WAL",
                        cluster(3),
                        observed(new Catalog().slots("db_1", "db_2"), outdated(instance(0, State.RUNNING_PRIMARY)),
                                standbyAt(1, "0/3000060", true), standbyAt(2, "0/3000100", true)),
                        List.of(new Switchover("db-0", "db-2", "restart of db-0: runs an older image, resources or environment"))),
                arguments("a replica that does not stream is no switchover target",
                        cluster(3),
                        observed(new Catalog().slots("db_1", "db_2"), outdated(instance(0, State.RUNNING_PRIMARY)),
                                standbyAt(1, "0/3000060", true), standbyAt(2, "0/3000100", false)),
                        List.of(new Switchover("db-0", "db-1", "restart of db-0: runs an older image, resources or environment"))),
                arguments("a single instance restarts in place for a setting that needs it",
                        cluster(1),
                        observed(new Catalog(), pendingRestart(instance(0, State.RUNNING_PRIMARY))),
                        List.of(new RestartInstance("db-0", "a changed setting needs a restart"))),
                arguments("restarts wait until everything else is done",
                        withDatabase(cluster(1), "app", "postgres"),
                        observed(new Catalog(), pendingRestart(instance(0, State.RUNNING_PRIMARY))),
                        List.of(new CreateDatabase("app", "postgres"))),
                arguments("an up-to-date cluster is not restarted",
                        cluster(2),
                        observed(new Catalog().slots("db_1"), instance(0, State.RUNNING_PRIMARY),
                                instance(1, State.RUNNING_REPLICA)),
                        List.of()),
                // ---- failover
                arguments("a lost primary is not restarted in place while a replica could take over",
                        cluster(3),
                        lost(400, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false),
                                standbyAt(2, "0/3000100", false)),
                        List.of()),
                arguments("after the delay the replica that received the most WAL is promoted",
                        cluster(3),
                        lost(1000, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false),
                                standbyAt(2, "0/3000100", false)),
                        List.of(new Failover("db-0", "db-2", "not running for 1.0s"))),
                arguments("on equal WAL the lowest ordinal is promoted",
                        cluster(3),
                        lost(1500, instance(0, State.STOPPED), standbyAt(2, "0/3000100", false),
                                standbyAt(1, "0/3000100", false)),
                        List.of(new Failover("db-0", "db-1", "not running for 1.5s"))),
                arguments("the delay comes from the spec",
                        withFailover(cluster(2), null, 5.0),
                        lost(4000, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false)),
                        List.of()),
                arguments("with failover turned off a lost primary is restarted in place",
                        withFailover(cluster(2), false, null),
                        lost(60_000, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false)),
                        List.of(new StartInstance("db-0"))),
                arguments("with no replica answering a lost primary is restarted in place",
                        cluster(2),
                        lost(60_000, instance(0, State.STOPPED), instance(1, State.STOPPED)),
                        List.of(new StartInstance("db-0"), new StartInstance("db-1"))),
                arguments("a platform that cannot fence restarts a lost primary in place",
                        cluster(2),
                        observed(null, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false)),
                        List.of(new StartInstance("db-0"))),
                arguments("with one synchronous standby of two, both must answer to be sure the promoted one has every commit",
                        withSynchronous(cluster(3), 1),
                        lost(60_000, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false),
                                instance(2, State.STOPPED)),
                        List.of(new StartInstance("db-0"), new StartInstance("db-2"))),
                arguments("with two synchronous standbys of two, either has every commit",
                        withSynchronous(cluster(3), 2),
                        lost(1000, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false),
                                instance(2, State.STOPPED)),
                        List.of(new Failover("db-0", "db-1", "not running for 1.0s"))),
                arguments("a replica beyond spec.instances is never promoted",
                        cluster(1),
                        lost(60_000, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false)),
                        List.of(new StartInstance("db-0"), new RemoveInstance("db-1", false))),
                arguments("a fenced former primary rejoins the new one through pg_rewind, after its slot is made",
                        cluster(2),
                        observed(true, "db-1", new Catalog(), diverged(0), instance(1, State.RUNNING_PRIMARY)),
                        List.of(new CreateSlot("db_0"), new Rejoin("db-0", "db-1"))),
                arguments("a failover interrupted before the promotion is finished despite the fenced instance",
                        cluster(2),
                        observed(true, "db-1", null, diverged(0), standbyAt(1, "0/3000060", false)),
                        List.of(new Promote("db-1"))),
                // ---- switchover, failover and restart asked for by a user
                arguments("a requested switchover promotes the replica it names",
                        withSwitchoverRequest(cluster(3), "db-1", false),
                        observed(new Catalog().slots("db_1", "db_2"), primaryAndTwoStreaming()),
                        List.of(new Switchover("db-0", "db-1", "requested by the user", REQUEST))),
                arguments("a requested switchover without a target promotes the streaming replica with the most WAL",
                        withSwitchoverRequest(cluster(3), null, false),
                        observed(new Catalog().slots("db_1", "db_2"), primaryAndTwoStreaming()),
                        List.of(new Switchover("db-0", "db-2", "requested by the user", REQUEST))),
                arguments("a requested switchover waits while its target does not stream",
                        withSwitchoverRequest(cluster(3), "db-1", false),
                        observed(new Catalog().slots("db_1", "db_2"), instance(0, State.RUNNING_PRIMARY),
                                standbyAt(1, "0/3000060", false), standbyAt(2, "0/3000100", true)),
                        List.of()),
                arguments("a switchover the status records as done is not done again",
                        withCompletedSwitchover(withSwitchoverRequest(cluster(3), "db-1", false)),
                        observed(new Catalog().slots("db_1", "db_2"), primaryAndTwoStreaming()),
                        List.of()),
                arguments("a switchover to the primary moves nothing",
                        withSwitchoverRequest(cluster(3), "db-0", false),
                        observed(new Catalog().slots("db_1", "db_2"), primaryAndTwoStreaming()),
                        List.of()),
                arguments("a requested switchover waits until everything else is done",
                        withDatabase(withSwitchoverRequest(cluster(3), "db-1", false), "app", "postgres"),
                        observed(new Catalog().slots("db_1", "db_2"), primaryAndTwoStreaming()),
                        List.of(new CreateDatabase("app", "postgres"))),
                arguments("pgo failover promotes the named replica at once when the primary is lost, even with failover off",
                        withSwitchoverRequest(withFailover(cluster(3), false, null), "db-1", true),
                        lost(0, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false),
                                standbyAt(2, "0/3000100", false)),
                        List.of(new Failover("db-0", "db-1", "requested by the user; the primary is not running",
                                REQUEST))),
                arguments("a switchover request does not take over from a lost primary before the delay",
                        withSwitchoverRequest(cluster(3), "db-1", false),
                        lost(0, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false),
                                standbyAt(2, "0/3000100", false)),
                        List.of()),
                arguments("a requested restart restarts the replicas that started before it, one at a time",
                        withRestartRequested(cluster(3), "2026-02-01T00:00:00Z"),
                        observed(new Catalog().slots("db_1", "db_2"), primaryAndTwoStreaming()),
                        List.of(new RestartInstance("db-1", "restart requested by the user"))),
                arguments("after its replicas the primary hands over for a requested restart",
                        withRestartRequested(cluster(3), "2026-02-01T00:00:00Z"),
                        observed(new Catalog().slots("db_1", "db_2"), instance(0, State.RUNNING_PRIMARY),
                                startedAt(standbyAt(1, "0/3000060", true), "2026-02-01T00:00:01Z"),
                                startedAt(standbyAt(2, "0/3000100", true), "2026-02-01T00:00:02Z")),
                        List.of(new Switchover("db-0", "db-2", "restart of db-0: restart requested by the user"))),
                arguments("servers started after the requested restart are not restarted",
                        withRestartRequested(cluster(3), "2025-12-31T00:00:00Z"),
                        observed(new Catalog().slots("db_1", "db_2"), primaryAndTwoStreaming()),
                        List.of()),
                arguments("a requested restart of a single instance restarts it in place",
                        withRestartRequested(cluster(1), "2026-02-01T00:00:00Z"),
                        observed(new Catalog(), instance(0, State.RUNNING_PRIMARY)),
                        List.of(new RestartInstance("db-0", "restart requested by the user"))),
                // ---- scaling down
                arguments("scaling down hands over first when the primary holds an ordinal that goes",
                        cluster(2),
                        observed(true, "db-2", new Catalog().slots("db_0", "db_1"), standbyAt(0, "0/3000060", true),
                                standbyAt(1, "0/3000100", true), instance(2, State.RUNNING_PRIMARY)),
                        List.of(new Switchover("db-2", "db-1", "scale down to 2 instances: db-2 is removed"))),
                // ---- an interrupted switchover
                arguments("a recorded primary left a standby with no primary anywhere is promoted",
                        cluster(2),
                        observed(true, "db-1", null, standbyAt(0, "0/3000060", false), standbyAt(1, "0/3000060", false)),
                        List.of(new Promote("db-1"))),
                arguments("no promotion while an instance does not answer: it could still be a primary",
                        cluster(2),
                        observed(true, "db-1", null, instance(0, State.STOPPED), standbyAt(1, "0/3000060", false)),
                        List.of(new StartInstance("db-0"))),
                arguments("no promotion of a standby that holds less WAL than another",
                        cluster(2),
                        observed(true, "db-1", null, standbyAt(0, "0/3000100", false), standbyAt(1, "0/3000060", false)),
                        List.of()));
    }

    // ---- deletion ---------------------------------------------------------------------------

    @ParameterizedTest(name = "deletion with keepData={0} removes replicas from the top, then the primary, then forgets")
    @ValueSource(booleans = {false, true})
    void deletionRemovesReplicasDescendingThenThePrimaryThenForgets(boolean keepData) {
        var observed = observed(new Catalog().slots("db_1", "db_2"), instance(1, State.RUNNING_REPLICA),
                instance(0, State.RUNNING_PRIMARY), instance(2, State.STOPPED));
        assertEquals(List.of(new RemoveInstance("db-2", keepData), new RemoveInstance("db-1", keepData),
                        new RemoveInstance("db-0", keepData), new Forget(keepData)),
                Planner.plan(deleting(cluster(3)), observed, keepData));
    }

    @Test
    void deletionAfterAFailoverRemovesTheCurrentPrimaryLast() {
        var observed = observed(true, "db-1", new Catalog(), instance(0, State.RUNNING_REPLICA),
                instance(1, State.RUNNING_PRIMARY), instance(2, State.RUNNING_REPLICA));
        assertEquals(List.of(new RemoveInstance("db-2", false), new RemoveInstance("db-0", false),
                        new RemoveInstance("db-1", false), new Forget(false)),
                Planner.plan(deleting(cluster(3)), observed, false));
    }

    @Test
    void deletionOfAClusterWithNothingLeftOnlyForgetsIt() {
        assertEquals(List.of(new Forget(true)),
                Planner.plan(deleting(cluster(2)), observed(false, "db-0", null), true));
    }

    @Test
    void deletionIgnoresEverythingElseThatIsWrong() {
        var cluster = deleting(withDatabase(withUser(cluster(3), "app"), "app", "app"));
        var observed = observed(false, "db-0", new Catalog().withoutRole("standby"),
                instance(0, State.RUNNING_PRIMARY, true));
        assertEquals(List.of(new RemoveInstance("db-0", false), new Forget(false)),
                Planner.plan(cluster, observed, false));
    }

    // ---- properties across cases ------------------------------------------------------------

    @Test
    void planningTwiceGivesTheSamePlanAndChangesNothing() {
        var cluster = withDatabase(withUser(cluster(3), "app", "CREATEDB"), "app", "app");
        var observed = observed(new Catalog().withoutRole("standby"), instance(0, State.RUNNING_PRIMARY),
                instance(3, State.RUNNING_REPLICA));
        String specBefore = Manifests.toYaml(cluster);
        List<Step> first = Planner.plan(cluster, observed, false);
        assertEquals(first, Planner.plan(cluster, observed, false));
        assertEquals(specBefore, Manifests.toYaml(cluster));
        assertFalse(first.isEmpty());
    }

    @Test
    void scaleDownOrderDoesNotDependOnTheOrderInstancesWereObserved() {
        var catalog = new Catalog().slots("db_1", "db_2", "db_3");
        var ascending = observed(catalog, instance(0, State.RUNNING_PRIMARY), instance(1, State.RUNNING_REPLICA),
                instance(2, State.RUNNING_REPLICA), instance(3, State.RUNNING_REPLICA));
        var shuffled = observed(catalog, instance(2, State.RUNNING_REPLICA), instance(0, State.RUNNING_PRIMARY),
                instance(3, State.RUNNING_REPLICA), instance(1, State.RUNNING_REPLICA));
        var expected = List.of(new RemoveInstance("db-3", false), new DropSlot("db_3"),
                new RemoveInstance("db-2", false), new DropSlot("db_2"));
        assertEquals(expected, Planner.plan(cluster(2), ascending, false));
        assertEquals(expected, Planner.plan(cluster(2), shuffled, false));
    }

    @Test
    void neverPlansToRemoveOrDropThePrimaryWhateverTheSpecSays() {
        for (int instances = 1; instances <= 4; instances++) {
            for (int primary = 0; primary < 4; primary++) {
                var all = new ArrayList<ObservedInstance>();
                for (int ordinal = 0; ordinal < 4; ordinal++) {
                    all.add(instance(ordinal, ordinal == primary ? State.RUNNING_PRIMARY : State.RUNNING_REPLICA));
                }
                String primaryName = "db-" + primary;
                var observed = observed(true, primaryName, new Catalog().slots("db_0", "db_1", "db_2", "db_3"),
                        all.toArray(ObservedInstance[]::new));
                List<Step> plan = Planner.plan(cluster(instances), observed, false);
                String slot = "db_" + primary;
                assertFalse(plan.contains(new RemoveInstance(primaryName, false)), () -> "removes primary: " + plan);
                assertFalse(plan.contains(new DropSlot(slot)), () -> "drops primary's slot: " + plan);
            }
        }
    }

    @Test
    void everyRoleIsCreatedBeforeAnyDatabaseThatMightBeOwnedByIt() {
        var cluster = withDatabase(withDatabase(withUser(withUser(cluster(1), "b_owner"), "a_owner"),
                "first", "a_owner"), "second", "b_owner");
        List<Step> plan = Planner.plan(cluster, observed(new Catalog(), instance(0, State.RUNNING_PRIMARY)), false);
        int lastRole = -1;
        int firstDatabase = Integer.MAX_VALUE;
        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i) instanceof CreateRole) {
                lastRole = i;
            } else if (plan.get(i) instanceof CreateDatabase) {
                firstDatabase = Math.min(firstDatabase, i);
            }
        }
        assertEquals(4, plan.size(), plan::toString);
        assertTrue(lastRole < firstDatabase, plan::toString);
    }

    @Test
    void stepsDescribeThemselvesForTheUser() {
        assertEquals("create role app LOGIN", new CreateRole("app", attrs(RoleFlag.LOGIN, true)).describe());
        assertEquals("alter role app CREATEDB NOLOGIN",
                new AlterRole("app", attrs(RoleFlag.LOGIN, false, RoleFlag.CREATEDB, true)).describe());
        assertEquals("remove db-2 (keeping its volume)", new RemoveInstance("db-2", true).describe());
        assertEquals("remove db-2 and its volume", new RemoveInstance("db-2", false).describe());
        assertEquals("clone replica db-1 from db-0 (pg_basebackup)", new BootstrapReplica("db-1", "db-0").describe());
        assertEquals("make app the owner of database app", new AlterDatabaseOwner("app", "app").describe());
    }

    // ---- regressions: each of these once failed ----

    @Test
    void dropsASlotLeftBehindByAnInstanceThatIsAlreadyGone() {
        var observed = observed(new Catalog().slots("db_1", "db_2"), instance(0, State.RUNNING_PRIMARY),
                instance(1, State.RUNNING_REPLICA));
        assertEquals(List.of(new DropSlot("db_2")), Planner.plan(cluster(2), observed, false));
    }

    @Test
    void scalingDownWhileThePrimaryDoesNotAnswerRemovesInstancesWithoutDroppingTheirSlots() {
        // Documents the path that leads to the orphaned slots above.
        var observed = observed(new Catalog().slots("db_1"), instance(0, State.STOPPED),
                instance(1, State.RUNNING_REPLICA));
        assertEquals(List.of(new StartInstance("db-0"), new RemoveInstance("db-1", false)),
                Planner.plan(cluster(1), observed, false));
    }
}

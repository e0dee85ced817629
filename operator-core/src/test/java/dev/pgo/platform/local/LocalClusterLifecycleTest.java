package dev.pgo.platform.local;

import dev.pgo.api.v1.Condition;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;
import dev.pgo.reconcile.Convergence;
import dev.pgo.reconcile.ReconcileResult;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.StepListener;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.LocalClusters;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Clusters on the local platform with real PostgreSQL servers: create, replicate, heal, scale, delete. */
class LocalClusterLifecycleTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private LocalClusters clusters;
    private TempPgoHome home;
    private ConnectionPools pools;
    private Reconciler reconciler;
    private Convergence convergence;

    @BeforeEach
    void setUp() {
        clusters = new LocalClusters();
        home = clusters.home();
        pools = clusters.pools();
        reconciler = clusters.reconciler();
        convergence = clusters.convergence();
    }

    @AfterEach
    void tearDown() {
        clusters.close();
    }

    private PgClusterStatus create(PgCluster cluster) {
        home.platform().clusters().apply(cluster);
        return convergence.awaitRunning(cluster.name(), TIMEOUT, StepListener.SILENT);
    }

    private Credentials superuser(String cluster) {
        return home.platform().secrets().get(cluster, "postgres").orElseThrow();
    }

    private Connection connect(String cluster, InstanceStatus instance, String database) throws SQLException {
        Credentials su = superuser(cluster);
        return DriverManager.getConnection("jdbc:postgresql://" + instance.getHost() + ":" + instance.getPort() + "/"
                + database + "?sslmode=disable", su.username(), su.password());
    }

    private static InstanceStatus instance(PgClusterStatus status, String name) {
        return status.getInstances().stream().filter(i -> i.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + name + " in status"));
    }

    @Test
    void standaloneDatabaseRunsWithScramAndPrivateSecrets() throws Exception {
        PgClusterStatus status = create(Clusters.spec("solo", 1));

        assertEquals(Phase.Running, status.getPhase());
        assertEquals("solo-0", status.getPrimary());
        assertEquals(1, status.getInstances().size());
        InstanceStatus primary = instance(status, "solo-0");
        assertTrue(primary.isReady());
        try (Connection c = connect("solo", primary, "postgres"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), current_setting('password_encryption'), "
                    + "current_setting('max_connections')");
            rs.next();
            assertFalse(rs.getBoolean(1));
            assertEquals("scram-sha-256", rs.getString(2));
            assertEquals("40", rs.getString(3), "spec parameters reach the server");
        }
        Path secret = home.root().resolve("secrets/solo/postgres.yaml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.getParent())));
        String hba = Files.readString(home.root().resolve("volumes/pgdata-solo-0/pgdata/pg_hba.conf"));
        assertFalse(hba.contains("trust"), "no trust authentication in pg_hba.conf");
    }

    @Test
    void rowWrittenOnPrimaryIsReadBackFromEveryReplica() throws Exception {
        PgCluster spec = Clusters.withRoles(Clusters.spec("trio", 3),
                Map.of("app", List.of("CREATEDB"), "reporting", List.of("NOLOGIN"), "admin", List.of("superuser", "createrole")),
                Map.of("appdb", "app", "reports", "reporting"));
        PgClusterStatus status = create(spec);

        assertEquals(3, status.getReadyInstances());
        InstanceStatus primary = instance(status, status.getPrimary());
        try (Connection c = connect("trio", primary, "appdb"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE marker (id int PRIMARY KEY, note text)");
            st.execute("INSERT INTO marker VALUES (1, 'written on the primary')");
            st.execute("GRANT SELECT ON marker TO app");
        }
        for (InstanceStatus replica : status.getInstances()) {
            if (replica.getName().equals(status.getPrimary())) {
                continue;
            }
            assertEquals("replica", replica.getRole());
            assertEquals("written on the primary", awaitRow(() -> connect("trio", replica, "appdb")),
                    "row visible on " + replica.getName());
        }

        try (Connection c = connect("trio", primary, "postgres"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT rolname, rolcanlogin, rolcreatedb, rolsuper, rolcreaterole "
                    + "FROM pg_roles WHERE rolname IN ('app', 'reporting', 'admin', 'standby') ORDER BY rolname");
            var roles = new ArrayList<String>();
            while (rs.next()) {
                roles.add(rs.getString(1) + ":" + rs.getBoolean(2) + ":" + rs.getBoolean(3) + ":" + rs.getBoolean(4)
                        + ":" + rs.getBoolean(5));
            }
            assertEquals(List.of("admin:true:false:true:true", "app:true:true:false:false",
                    "reporting:false:false:false:false", "standby:true:false:false:false"), roles);
            rs = st.executeQuery("SELECT datname, pg_get_userbyid(datdba) FROM pg_database "
                    + "WHERE datname IN ('appdb', 'reports') ORDER BY datname");
            rs.next();
            assertEquals("appdb:app", rs.getString(1) + ":" + rs.getString(2));
            rs.next();
            assertEquals("reports:reporting", rs.getString(1) + ":" + rs.getString(2));
            rs = st.executeQuery("SELECT slot_name, active FROM pg_replication_slots ORDER BY slot_name");
            var slots = new ArrayList<String>();
            while (rs.next()) {
                slots.add(rs.getString(1) + ":" + rs.getBoolean(2));
            }
            assertEquals(List.of("trio_1:true", "trio_2:true"), slots);
        }

        Credentials app = home.platform().secrets().get("trio", "app").orElseThrow();
        String url = "jdbc:postgresql://" + status.getInstances().stream()
                .map(i -> i.getHost() + ":" + i.getPort()).reduce((a, b) -> a + "," + b).orElseThrow()
                + "/appdb?targetServerType=primary&sslmode=disable";
        try (Connection c = DriverManager.getConnection(url, app.username(), app.password());
             Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*) FROM marker");
            rs.next();
            assertEquals(1, rs.getInt(1), "the app user logs in with its generated password through the cluster URL");
        }
    }

    private interface Connector {
        Connection open() throws SQLException;
    }

    /**
     * Polls a replica until it has replayed the row. Right after the cluster is Running a
     * replica may not have replayed CREATE DATABASE or CREATE TABLE yet: both are retried.
     */
    private static String awaitRow(Connector replica) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = replica.open(); Statement st = connection.createStatement()) {
                ResultSet rs = st.executeQuery("SELECT note FROM marker WHERE id = 1");
                if (rs.next()) {
                    return rs.getString(1);
                }
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState()) && !"3D000".equals(e.getSQLState())) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
        return null;
    }

    @Test
    void reconcilingAConvergedClusterChangesNothing() throws Exception {
        create(Clusters.spec("steady", 2));
        Path statusFile = home.root().resolve("clusters/steady.status.yaml");
        String before = Files.readString(statusFile);
        Path manifest = home.root().resolve("clusters/steady.yaml");
        String manifestBefore = Files.readString(manifest);

        ReconcileResult again = reconciler.reconcile("steady", StepListener.SILENT, TIMEOUT);

        assertEquals(List.of(), again.done(), "no step on a converged cluster");
        assertEquals(List.of(), reconciler.plan("steady"));
        assertEquals(Phase.Running, again.status().getPhase());
        assertEquals(manifestBefore, Files.readString(manifest));
        String after = Files.readString(statusFile);
        assertEquals(conditionsOf(before), conditionsOf(after), "conditions and their transition times are kept");
    }

    private static String conditionsOf(String statusYaml) {
        return statusYaml.substring(statusYaml.indexOf("conditions:"));
    }

    @Test
    void killedInstancesAreStartedAgainByTheNextReconcile() throws Exception {
        create(Clusters.spec("phoenix", 2));
        Path pidFile1 = home.root().resolve("volumes/pgdata-phoenix-1/pgdata/postmaster.pid");
        Path pidFile0 = home.root().resolve("volumes/pgdata-phoenix-0/pgdata/postmaster.pid");
        long replicaPid = Long.parseLong(Files.readAllLines(pidFile1).getFirst().trim());
        long primaryPid = Long.parseLong(Files.readAllLines(pidFile0).getFirst().trim());
        ProcessHandle.of(replicaPid).orElseThrow().destroyForcibly();
        ProcessHandle.of(primaryPid).orElseThrow().destroyForcibly();
        awaitDead(replicaPid);
        awaitDead(primaryPid);

        ReconcileResult result = reconciler.reconcile("phoenix", StepListener.SILENT, TIMEOUT);
        assertTrue(result.done().stream().anyMatch(s -> s.describe().equals("start phoenix-0")),
                result.done() + " " + result.failure());
        assertTrue(result.done().stream().anyMatch(s -> s.describe().equals("start phoenix-1")), result.done().toString());
        PgClusterStatus status = convergence.awaitRunning("phoenix", TIMEOUT, StepListener.SILENT);
        assertEquals(2, status.getReadyInstances());
        assertEquals("phoenix-0", status.getPrimary(), "a restarted primary stays the primary");
        assertEquals("streaming", instance(status, "phoenix-1").getState());
    }

    @Test
    void anInstanceWhosePortWasTakenWhileStoppedMovesAndItsReplicaFollows() throws Exception {
        // failover off: the primary restarts in place, on a new port, rather than a replica taking over
        PgCluster nomad = Clusters.spec("nomad", 2);
        var failover = new dev.pgo.api.v1.FailoverSpec();
        failover.setEnabled(false);
        nomad.getSpec().setFailover(failover);
        PgClusterStatus before = create(nomad);
        int oldPort = instance(before, "nomad-0").getPort();
        long primaryPid = Long.parseLong(Files.readAllLines(home.root()
                .resolve("volumes/pgdata-nomad-0/pgdata/postmaster.pid")).getFirst().trim());
        ProcessHandle.of(primaryPid).orElseThrow().destroyForcibly();
        awaitDead(primaryPid);
        awaitPortFree(oldPort);

        try (var squatter = new java.net.ServerSocket(oldPort, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            PgClusterStatus after = convergence.awaitRunning("nomad", TIMEOUT, StepListener.SILENT);
            int newPort = instance(after, "nomad-0").getPort();
            assertTrue(newPort != oldPort, "the primary moved off the taken port " + oldPort);
            assertEquals("streaming", instance(after, "nomad-1").getState(), "the replica follows the primary's new port");
            assertTrue(after.getEndpoints().getReadWrite().contains("127.0.0.1:" + newPort), after.getEndpoints().getReadWrite());
            assertTrue(squatter.isBound());
        }
    }

    private static void awaitPortFree(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (var probe = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        fail("port " + port + " stayed taken");
    }

    private static void awaitDead(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (dev.pgo.process.Processes.isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                fail("process " + pid + " did not die");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void scalingDownRemovesTheHighestReplicaAndScalingUpClonesItAgain() throws Exception {
        create(Clusters.spec("elastic", 3));

        PgCluster smaller = home.platform().clusters().get("elastic").orElseThrow();
        smaller.getSpec().setInstances(2);
        home.platform().clusters().apply(smaller);
        PgClusterStatus status = convergence.awaitRunning("elastic", TIMEOUT, StepListener.SILENT);

        assertEquals(List.of("elastic-0", "elastic-1"), status.getInstances().stream().map(InstanceStatus::getName).toList());
        assertFalse(Files.exists(home.root().resolve("volumes/pgdata-elastic-2")), "the removed replica's volume is gone");
        try (Connection c = connect("elastic", instance(status, "elastic-0"), "postgres"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT string_agg(slot_name, ',' ORDER BY slot_name) FROM pg_replication_slots");
            rs.next();
            assertEquals("elastic_1", rs.getString(1), "the removed replica's slot is dropped");
        }

        PgCluster larger = home.platform().clusters().get("elastic").orElseThrow();
        larger.getSpec().setInstances(3);
        home.platform().clusters().apply(larger);
        status = convergence.awaitRunning("elastic", TIMEOUT, StepListener.SILENT);
        assertEquals(3, status.getReadyInstances());
        assertEquals(3L, home.platform().clusters().get("elastic").orElseThrow().getMetadata().getGeneration());
        assertEquals(3L, status.getObservedGeneration());
    }

    @Test
    void aBootstrapThatWasInterruptedIsRedoneFromScratch() throws Exception {
        create(Clusters.spec("halfway", 2));
        // What an interrupted pg_basebackup leaves: a data directory with PG_VERSION, partly
        // copied, and no record that the bootstrap finished.
        home.platform().stopAllInstances();
        Path replica = home.root().resolve("volumes/pgdata-halfway-1");
        Files.delete(replica.resolve("bootstrapped"));
        Files.delete(replica.resolve("pgdata/global/pg_control"));
        assertTrue(Files.exists(replica.resolve("pgdata/PG_VERSION")));

        var steps = new java.util.concurrent.CopyOnWriteArrayList<String>();
        PgClusterStatus status = convergence.awaitRunning("halfway", TIMEOUT, new StepListener() {
            @Override
            public void finished(String cluster, dev.pgo.reconcile.Step step, Duration took) {
                steps.add(step.describe());
            }
        });

        assertTrue(steps.contains("clone replica halfway-1 from halfway-0 (pg_basebackup)"), steps.toString());
        assertEquals("streaming", instance(status, "halfway-1").getState());
        assertTrue(Files.exists(replica.resolve("pgdata/global/pg_control")));
    }

    @Test
    void deleteLeavesNoProcessAndNoData() throws Exception {
        create(Clusters.spec("doomed", 2));
        var pids = new ArrayList<Long>();
        for (String instance : List.of("doomed-0", "doomed-1")) {
            pids.add(Long.parseLong(Files.readAllLines(home.root()
                    .resolve("volumes/pgdata-" + instance + "/pgdata/postmaster.pid")).getFirst().trim()));
        }

        home.platform().clusters().requestDeletion("doomed", false);
        convergence.awaitGone("doomed", TIMEOUT, StepListener.SILENT);

        for (long pid : pids) {
            assertFalse(dev.pgo.process.Processes.isRunning(pid), "server " + pid + " stopped");
        }
        assertEquals(List.of(), list(home.root().resolve("volumes")));
        assertEquals(List.of(), list(home.root().resolve("clusters")));
        assertFalse(Files.exists(home.root().resolve("secrets/doomed")));
        assertTrue(home.platform().clusters().get("doomed").isEmpty());
    }

    @Test
    void aClusterDeletedWithKeepDataComesBackWithItsDataWhenCreatedAgain() throws Exception {
        PgClusterStatus first = create(Clusters.spec("kept", 1));
        try (Connection c = connect("kept", instance(first, "kept-0"), "postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE survivor AS SELECT 42 AS answer");
        }
        home.platform().clusters().requestDeletion("kept", true);
        convergence.awaitGone("kept", TIMEOUT, StepListener.SILENT);

        assertTrue(Files.exists(home.root().resolve("volumes/pgdata-kept-0/pgdata/PG_VERSION")));
        assertTrue(home.platform().volumes().get("pgdata-kept-0").isPresent());
        assertTrue(home.platform().clusters().get("kept").isEmpty());

        PgClusterStatus again = create(Clusters.spec("kept", 1));
        try (Connection c = connect("kept", instance(again, "kept-0"), "postgres"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT answer FROM survivor");
            rs.next();
            assertEquals(42, rs.getInt(1), "the kept data and its passwords serve the new cluster");
        }
    }

    @Test
    void aParameterPostgresRefusesFailsFastAndACorrectedSpecRecovers() {
        PgCluster bad = Clusters.spec("picky", 1);
        bad.getSpec().getParameters().put("work_mem", "lots");
        home.platform().clusters().apply(bad);

        var error = org.junit.jupiter.api.Assertions.assertThrows(dev.pgo.PgoException.class,
                () -> convergence.awaitRunning("picky", TIMEOUT, StepListener.SILENT));
        assertTrue(error.getMessage().contains("work_mem"), error.getMessage());

        PgCluster fixed = home.platform().clusters().get("picky").orElseThrow();
        fixed.getSpec().getParameters().put("work_mem", "8MB");
        home.platform().clusters().apply(fixed);
        assertEquals(Phase.Running, convergence.awaitRunning("picky", TIMEOUT, StepListener.SILENT).getPhase());
    }

    @Test
    void settingsARunningServerRefusesAreReportedAndOnesThatNeedARestartGetIt() throws Exception {
        create(Clusters.spec("tuned", 1));
        PgCluster change = home.platform().clusters().get("tuned").orElseThrow();
        change.getSpec().getParameters().put("work_mem", "lots");
        home.platform().clusters().apply(change);

        var error = org.junit.jupiter.api.Assertions.assertThrows(dev.pgo.PgoException.class,
                () -> convergence.awaitRunning("tuned", TIMEOUT, StepListener.SILENT));
        assertTrue(error.getMessage().contains("PostgreSQL refused the setting work_mem"), error.getMessage());
        PgClusterStatus refused = home.platform().clusters().get("tuned").orElseThrow().getStatus();
        assertEquals(Phase.Failed, refused.getPhase());
        assertEquals("SettingsRejected", refused.condition(Condition.RECONCILED).getReason());

        PgCluster restartNeeded = home.platform().clusters().get("tuned").orElseThrow();
        restartNeeded.getSpec().getParameters().remove("work_mem");
        restartNeeded.getSpec().getParameters().put("shared_buffers", "48MB");
        home.platform().clusters().apply(restartNeeded);
        PgClusterStatus status = convergence.awaitRunning("tuned", TIMEOUT, StepListener.SILENT);
        assertEquals("running", instance(status, "tuned-0").getState(), "restarted, nothing pending");
        try (Connection c = connect("tuned", instance(status, "tuned-0"), "postgres"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT current_setting('shared_buffers')");
            rs.next();
            assertEquals("48MB", rs.getString(1));
        }
    }

    @Test
    void aSettingThatNeedsARestartRollsReplicasFirstThenSwitchesOverWithoutLosingARow() throws Exception {
        PgClusterStatus before = create(Clusters.spec("roll", 2));
        assertEquals("roll-0", before.getPrimary());
        try (Connection c = connect("roll", instance(before, "roll-0"), "postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (id int PRIMARY KEY)");
            st.execute("INSERT INTO kept SELECT generate_series(1, 1000)");
        }

        PgCluster change = home.platform().clusters().get("roll").orElseThrow();
        change.getSpec().getParameters().put("shared_buffers", "48MB");
        home.platform().clusters().apply(change);
        var steps = new ArrayList<String>();
        PgClusterStatus after = convergence.awaitRunning("roll", TIMEOUT, new StepListener() {
            @Override
            public void started(String cluster, dev.pgo.reconcile.Step step) {
                steps.add(step.describe());
            }
        });

        var restarts = steps.stream().filter(s -> s.startsWith("restart ") || s.startsWith("switch over")).toList();
        assertEquals(List.of("restart roll-1 (a changed setting needs a restart)", "switch over from roll-0 to roll-1 (restart of roll-0: a changed setting needs a restart)"),
                restarts, "the replica first, then a switchover instead of restarting the primary in place");
        assertEquals("roll-1", after.getPrimary());
        assertEquals(2, after.getReadyInstances());
        for (InstanceStatus i : after.getInstances()) {
            try (Connection c = connect("roll", i, "postgres"); Statement st = c.createStatement()) {
                ResultSet rs = st.executeQuery("SELECT current_setting('shared_buffers'), pg_is_in_recovery()");
                rs.next();
                assertEquals("48MB", rs.getString(1), i.getName());
                assertEquals(!i.getName().equals("roll-1"), rs.getBoolean(2), i.getName() + " in recovery");
            }
        }
        try (Connection c = connect("roll", instance(after, "roll-1"), "postgres"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*) FROM kept");
            rs.next();
            assertEquals(1000, rs.getInt(1), "every committed row is on the new primary");
            st.execute("INSERT INTO kept VALUES (1001)");
        }
        assertEquals("written after", awaitReplicated(instance(after, "roll-0")));
    }

    /** Waits until row 1001, written on the new primary, reaches the old one, now a standby. */
    private String awaitReplicated(InstanceStatus oldPrimary) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = connect("roll", oldPrimary, "postgres"); Statement st = c.createStatement()) {
                ResultSet rs = st.executeQuery("SELECT count(*) FROM kept WHERE id = 1001");
                rs.next();
                if (rs.getInt(1) == 1) {
                    return "written after";
                }
            }
            Thread.sleep(100);
        }
        return "the old primary does not follow the new one";
    }

    @Test
    void aRoleThatMayLogInLaterGetsItsPassword() throws Exception {
        create(Clusters.withRoles(Clusters.spec("gate", 1), Map.of("late", List.of("NOLOGIN")), Map.of()));
        assertTrue(home.platform().secrets().get("gate", "late").isEmpty(), "no password for a role that cannot log in");

        PgCluster change = home.platform().clusters().get("gate").orElseThrow();
        change.getSpec().getUsers().put("late", List.of("LOGIN"));
        home.platform().clusters().apply(change);
        PgClusterStatus status = convergence.awaitRunning("gate", TIMEOUT, StepListener.SILENT);

        Credentials late = home.platform().secrets().get("gate", "late").orElseThrow();
        InstanceStatus primary = instance(status, "gate-0");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + primary.getHost() + ":" + primary.getPort()
                + "/postgres?sslmode=disable", late.username(), late.password())) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void invalidSpecIsRefusedByTheReconcilerAndNothingIsCreated() {
        PgCluster bad = Clusters.spec("broken", 1);
        bad.getSpec().getParameters().put("data_directory", "/tmp/elsewhere");
        home.platform().clusters().apply(bad);

        ReconcileResult result = reconciler.reconcile("broken", StepListener.SILENT, TIMEOUT);

        assertEquals(List.of(), result.done());
        assertEquals(Phase.Failed, result.status().getPhase());
        Condition valid = result.status().condition(Condition.SPEC_VALID);
        assertNotNull(valid);
        assertEquals("InvalidSpec", valid.getReason());
        assertTrue(valid.getMessage().contains("data_directory"), valid.getMessage());
        assertTrue(home.platform().volumes().list().isEmpty(), "no volume was made");
        assertTrue(home.platform().secrets().get("broken", "postgres").isEmpty(), "no secret was made");
    }

    @Test
    void concurrentReconcilesOfOneClusterMakeOneSetOfInstances() throws Exception {
        home.platform().clusters().apply(Clusters.spec("racy", 2));
        try (var pool = Executors.newFixedThreadPool(2)) {
            List<Future<PgClusterStatus>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> convergence.awaitRunning("racy", TIMEOUT, StepListener.SILENT)));
            }
            for (Future<PgClusterStatus> result : results) {
                assertEquals(Phase.Running, result.get().getPhase());
            }
        }
        assertEquals(List.of("pgdata-racy-0", "pgdata-racy-1"),
                home.platform().volumes().list().stream().map(v -> v.name()).toList());
        PgClusterStatus status = home.platform().clusters().get("racy").orElseThrow().getStatus();
        assertEquals(2, status.getReadyInstances());
        assertEquals(2, status.getInstances().stream().map(InstanceStatus::getPort).distinct().count(),
                "each instance has its own port");
    }

    private static List<String> list(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

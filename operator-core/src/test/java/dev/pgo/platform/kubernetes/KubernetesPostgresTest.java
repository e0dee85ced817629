package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupIds;
import dev.pgo.backup.BackupService;
import dev.pgo.backup.BackupStatus;
import dev.pgo.backup.RecoveryWindow;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;
import dev.pgo.operator.KubernetesOperator;
import dev.pgo.reconcile.Convergence;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.StepListener;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.testing.CapturedStderr;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * PgClusters on the Kubernetes platform with real PostgreSQL: the mock API server holds the
 * objects, and {@link Kubelet} runs each pod's bootstrap script here and proxies the Services.
 * What these tests see through JDBC is what a client in the cluster would see.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPostgresTest {
    private static final String NS = "db";
    private static final String OPERATOR_NS = "pgo-system";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    KubernetesClient client;

    private Kubelet kubelet;
    private ConnectionPools pools;
    private KubernetesOperator operator;

    @BeforeEach
    void setUp() {
        MockKubernetes.installCrd(client);
        kubelet = new Kubelet(client, NS);
        pools = new ConnectionPools(Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() {
        try {
            if (operator != null) {
                operator.close();
            }
            pools.close();
        } finally {
            kubelet.close();
        }
    }

    private Credentials secret(String cluster, String role) {
        return new KubernetesSecretStore(client, NS, ObjectReads.api(client)).get(cluster, role).orElseThrow();
    }

    /** A connection through the read-write Service, as an application in the cluster makes it. */
    private Connection viaReadWriteService(String cluster, String database, Credentials credentials) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + kubelet.servicePort(cluster + "-rw") + "/"
                + database + "?sslmode=disable", credentials.username(), credentials.password());
    }

    private Connection toPod(String pod, Credentials credentials) throws SQLException {
        var endpoint = kubelet.address(client.pods().inNamespace(NS).withName(pod).get());
        return DriverManager.getConnection("jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port()
                + "/postgres?sslmode=disable", credentials.username(), credentials.password());
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private PgCluster stored(String name) {
        return client.resources(PgCluster.class).inNamespace(NS).withName(name).get();
    }

    @Test
    void rolesAndDatabasesAreMadeOverJdbcAndAReloadOnlySettingRestartsNothing() throws Exception {
        var platform = new KubernetesPlatform(client, NS, "test", () -> OperatorConfig.DEFAULTS, kubelet::address);
        var convergence = new Convergence(new Reconciler(platform, pools, Clock.systemUTC()));
        platform.clusters().apply(Clusters.withRoles(Clusters.spec("shop", 2),
                Map.of("app", List.of("CREATEDB")), Map.of("appdb", "app")));

        PgClusterStatus status = await(convergence, "shop");
        assertEquals("shop-0", status.getPrimary());
        assertEquals(2, status.getReadyInstances());

        Credentials app = secret("shop", "app");
        try (Connection c = viaReadWriteService("shop", "appdb", app)) {
            assertEquals("app", query(c, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'appdb'"));
            assertEquals("f", query(c, "SELECT pg_is_in_recovery()"), "the read-write Service leads to the primary");
            assertEquals("shop-0", query(c, "SELECT current_setting('cluster_name')"));
        }
        Credentials superuser = secret("shop", "postgres");
        try (Connection replica = toPod("shop-1", superuser)) {
            assertEquals("streaming", query(replica, "SELECT status FROM pg_stat_wal_receiver"));
        }
        assertEquals("primary", client.pods().inNamespace(NS).withName("shop-0").get().getMetadata().getLabels()
                .get(ClusterLabels.ROLE));

        String started;
        try (Connection c = toPod("shop-0", superuser)) {
            started = query(c, "SELECT pg_postmaster_start_time()");
        }
        PgCluster change = platform.clusters().get("shop").orElseThrow();
        change.getSpec().getParameters().put("work_mem", "12MB");
        platform.clusters().apply(change);
        await(convergence, "shop");
        for (String pod : List.of("shop-0", "shop-1")) {
            try (Connection c = toPod(pod, superuser)) {
                assertEquals("12MB", query(c, "SHOW work_mem"), pod);
            }
        }
        try (Connection c = toPod("shop-0", superuser)) {
            assertEquals(started, query(c, "SELECT pg_postmaster_start_time()"), "a reload, not a restart");
        }
        assertEquals(List.of(), kubelet.terminations(), "no pod was restarted");

        // Only pods mount the WAL archive; the primary's pg_stat_archiver says how far it reaches.
        Instant backupEnd = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        new KubernetesBackupCatalog(client, NS, "shop-backups", "shop-backups", "shop").save(
                BackupEntry.starting(BackupIds.of(backupEnd.minusSeconds(5)), "shop", "shop-0", 15,
                                backupEnd.minusSeconds(5))
                        .completed(backupEnd, "0/2000028", "0/2000100", 1, 100).withStatus(BackupStatus.Verified, null));
        var backups = new BackupService(platform, pools, Clock.systemUTC());
        try (Connection c = toPod("shop-0", superuser); Statement st = c.createStatement()) {
            // this harness's pods have no /pgo/backups; an archiver that succeeds stands in for the copy
            st.execute("ALTER SYSTEM SET archive_command = 'true'");
            st.execute("SELECT pg_reload_conf()");
            st.execute("CREATE TABLE later (id int)");
            st.execute("SELECT pg_switch_wal()");
        }
        eventually("the primary archives a segment", () -> {
            try (Connection c = toPod("shop-0", superuser)) {
                return query(c, "SELECT last_archived_time IS NOT NULL FROM pg_stat_archiver").equals("t");
            } catch (SQLException e) {
                return false;
            }
        });
        RecoveryWindow window = backups.window("shop").orElseThrow();
        assertEquals(backupEnd, window.from());
        assertTrue(window.to().isAfter(backupEnd.plusSeconds(50)), "the window reaches the last archived WAL: " + window);
    }

    /**
     * The primary's node is lost: its server dies and nothing restarts it. pgo fails over to a
     * replica, and the sequence shows in the API as a client of the cluster sees it: the role
     * labels move, the read-write Service leads to the new primary, the status records the
     * failover, and the old primary's pod, made again, rewinds and follows as a replica.
     */
    @Test
    void losingThePrimarysNodeFailsOverAndTheOldPrimaryRejoinsAsAReplica() throws Exception {
        startOperator("op-ha");
        PgCluster spec = Clusters.spec("ha", 3);
        spec.getMetadata().setNamespace(NS);
        client.resources(PgCluster.class).inNamespace(NS).resource(spec).create();
        eventually("ha Running with 3 ready instances", () -> running("ha", 3));
        assertEquals("ha-0", stored("ha").getStatus().getPrimary());
        Credentials superuser = secret("ha", "postgres");
        try (Connection c = viaReadWriteService("ha", "postgres", superuser); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ledger AS SELECT generate_series(1, 1000) AS id");
        }
        for (String replica : List.of("ha-1", "ha-2")) {
            eventually(replica + " replaying the rows", () -> {
                try (Connection c = toPod(replica, superuser)) {
                    return "1000".equals(uncheckedQuery(c, "SELECT count(*) FROM ledger"));
                } catch (SQLException e) {
                    return false;
                }
            });
        }

        // No object in the API changes when a node is lost: the operator notices by asking.
        kubelet.loseNode("ha-0");
        eventually("a failover and ha Running again", () -> stored("ha").getStatus().getLastPrimaryChange() != null
                && running("ha", 3));
        PgClusterStatus after = stored("ha").getStatus();
        String primary = after.getPrimary();
        assertTrue(List.of("ha-1", "ha-2").contains(primary), primary);
        assertEquals("failover", after.getLastPrimaryChange().getKind());
        assertEquals("ha-0", after.getLastPrimaryChange().getFrom());
        assertEquals(primary, after.getLastPrimaryChange().getTo());
        assertEquals(3, after.getReadyInstances());

        for (String pod : List.of("ha-0", "ha-1", "ha-2")) {
            assertEquals(pod.equals(primary) ? "primary" : "replica", client.pods().inNamespace(NS).withName(pod).get()
                    .getMetadata().getLabels().get(ClusterLabels.ROLE), pod + "'s role label");
        }
        try (Connection c = viaReadWriteService("ha", "postgres", superuser)) {
            assertEquals(primary, query(c, "SELECT current_setting('cluster_name')"), "the Service leads to the new primary");
            assertEquals("f", query(c, "SELECT pg_is_in_recovery()"));
            assertEquals("1000", query(c, "SELECT count(*) FROM ledger"));
        }
        try (Connection c = toPod("ha-0", superuser)) {
            assertEquals("t", query(c, "SELECT pg_is_in_recovery()"), "the old primary is a standby now");
            assertEquals("streaming", query(c, "SELECT status FROM pg_stat_wal_receiver"));
            assertEquals("2", query(c, "SELECT received_tli FROM pg_stat_wal_receiver"), "on the new timeline");
        }
        assertTrue(kubelet.log("ha-0").contains("ha-0 was a primary; it follows " + primary), kubelet.log("ha-0"));
        String events = client.v1().events().inNamespace(NS).list().getItems().stream()
                .map(e -> e.getReason() + " " + e.getMessage()).collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(events.contains("Failover fail over from ha-0 to " + primary), events);
        assertEquals(primary, client.configMaps().inNamespace(NS).list().getItems().stream()
                .filter(m -> m.getData() != null && m.getData().containsKey("primary"))
                .findFirst().orElseThrow().getData().get("primary").strip(), "pods made from now on follow the new primary");
    }

    private PgClusterStatus await(Convergence convergence, String name) {
        try {
            return convergence.awaitRunning(name, TIMEOUT, StepListener.SILENT);
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + kubelet.log(name + "-0") + "\n" + kubelet.log(name + "-1"), e);
        }
    }

    @Test
    void aNewImageInTheOperatorConfigurationRollsReplicasThenSwitchesOverAndResumesAfterAnOperatorRestart() throws Exception {
        try (var stderr = new CapturedStderr()) {
            rollingUpdate();
            String log = stderr.text();
            assertTrue(log.contains("switch over from roll-0 to "), "the operator logs its steps:\n" + log);
            noSecretIn("roll", log);
        }
    }

    /** No password of the cluster's Secrets in the operator's log, in Events or in the status. */
    private void noSecretIn(String cluster, String log) {
        String events = client.v1().events().inNamespace(NS).list().getItems().stream()
                .map(e -> e.getReason() + " " + e.getMessage()).collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(events.contains("roll"), "the operator records Events:\n" + events);
        String status = dev.pgo.manifest.Manifests.toJson(stored(cluster).getStatus());
        for (String role : List.of("postgres", "standby")) {
            String password = secret(cluster, role).password();
            assertFalse(log.contains(password), "the " + role + " password is in the operator's log");
            assertFalse(events.contains(password), "the " + role + " password is in an Event");
            assertFalse(status.contains(password), "the " + role + " password is in the status");
        }
    }

    private void rollingUpdate() throws Exception {
        startOperator("op-a");
        PgCluster spec = Clusters.spec("roll", 3);
        spec.getMetadata().setNamespace(NS);
        client.resources(PgCluster.class).inNamespace(NS).resource(spec).create();
        eventually("roll Running with 3 ready instances", () -> running("roll", 3));

        Credentials superuser = secret("roll", "postgres");
        try (Connection c = viaReadWriteService("roll", "postgres", superuser); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (id int PRIMARY KEY)");
            st.execute("INSERT INTO kept SELECT generate_series(1, 1000)");
        }
        resyncsChangeNothing("roll");
        assertEquals(List.of(), kubelet.terminations(), "no restart while nothing changed");

        writeOperatorConfig(Map.of(OperatorConfig.IMAGE, "registry.example.com/postgres:{version}-patched"));
        // The operator goes away after the first restart; its successor resumes from what it observes.
        eventually("the first restart", () -> !kubelet.terminations().isEmpty());
        operator.close();
        startOperator("op-b");
        eventually("every pod on the new template", () -> kubelet.terminations().size() == 3 && running("roll", 3)
                && podsOnTemplate("roll"));

        List<String> order = kubelet.terminations().stream().map(t -> t.split(" ")[0]).toList();
        assertEquals(List.of("roll-1", "roll-2", "roll-0"), order,
                "replicas first, lowest ordinal first, then the old primary after the switchover");
        assertTrue(kubelet.terminations().stream().allMatch(t -> t.endsWith(" 2")),
                "one pod at a time: the other two were ready whenever one was deleted " + kubelet.terminations());
        assertTrue(kubelet.terminations().getLast().startsWith("roll-0 replica"),
                "the old primary left the read-write Service before it stopped " + kubelet.terminations());
        String primary = stored("roll").getStatus().getPrimary();
        assertTrue(List.of("roll-1", "roll-2").contains(primary), "a replica took over: " + primary);
        assertEquals(primary + "\n", client.configMaps().inNamespace(NS).withName("roll-config").get().getData()
                .get("primary"));
        assertEquals(ClusterLabels.PRIMARY, client.pods().inNamespace(NS).withName(primary).get().getMetadata()
                .getLabels().get(ClusterLabels.ROLE));

        try (Connection c = viaReadWriteService("roll", "postgres", superuser); Statement st = c.createStatement()) {
            assertEquals(primary, query(c, "SELECT current_setting('cluster_name')"));
            assertEquals("1000", query(c, "SELECT count(*) FROM kept"), "no committed row was lost");
            st.execute("INSERT INTO kept VALUES (1001)");
        }
        try (Connection oldPrimary = toPod("roll-0", superuser)) {
            eventually("the old primary to follow the new one",
                    () -> "t".equals(uncheckedQuery(oldPrimary, "SELECT pg_is_in_recovery() AND EXISTS "
                            + "(SELECT FROM kept WHERE id = 1001)")));
        }
        int restarts = kubelet.terminations().size();
        resyncsChangeNothing("roll");
        assertEquals(restarts, kubelet.terminations().size(), "the finished rollout restarts nothing more");
    }

    /** Passes of the reconciler over the cluster, with the configuration the operator has, as its resync makes them. */
    private void resyncsChangeNothing(String name) {
        var platform = new KubernetesPlatform(client, NS, "test", operator::config, kubelet::address);
        var reconciler = new Reconciler(platform, pools, Clock.systemUTC());
        for (int pass = 0; pass < 3; pass++) {
            var result = reconciler.reconcile(name, StepListener.SILENT, Duration.ofSeconds(30));
            assertEquals(List.of(), result.done(), "a resync of an unchanged cluster does nothing");
            assertEquals(Phase.Running, result.status().getPhase());
        }
    }

    private void startOperator(String identity) {
        operator = new KubernetesOperator(client, new KubernetesOperator.Settings(OPERATOR_NS, "pgo-config", identity,
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofMillis(200), 2, kubelet::address),
                Clock.systemUTC());
        operator.start();
    }

    private void writeOperatorConfig(Map<String, String> data) {
        client.configMaps().inNamespace(OPERATOR_NS).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("pgo-config").withNamespace(OPERATOR_NS).endMetadata()
                .withData(data).build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    private boolean running(String name, int ready) {
        PgCluster cluster = stored(name);
        return cluster != null && cluster.getStatus() != null && cluster.getStatus().getPhase() == Phase.Running
                && cluster.getStatus().getReadyInstances() == ready;
    }

    private boolean podsOnTemplate(String name) {
        String wanted = ClusterObjects.templateHash(client.apps().statefulSets().inNamespace(NS).withName(name).get());
        List<Pod> pods = client.pods().inNamespace(NS).withLabel(ClusterLabels.CLUSTER, name).list().getItems();
        return !pods.isEmpty() && pods.stream().allMatch(p ->
                wanted.equals(p.getMetadata().getAnnotations().get(ClusterObjects.TEMPLATE_ANNOTATION)));
    }

    private static String uncheckedQuery(Connection connection, String sql) {
        try {
            return query(connection, sql);
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!kubelet.errors().isEmpty()) {
                throw new AssertionError("the test kubelet failed", kubelet.errors().getFirst());
            }
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        PgCluster cluster = stored("roll");
        fail("timed out waiting for " + what + "; terminations " + kubelet.terminations() + "; status "
                + (cluster == null ? null : dev.pgo.manifest.Manifests.toJson(cluster.getStatus())));
    }
}

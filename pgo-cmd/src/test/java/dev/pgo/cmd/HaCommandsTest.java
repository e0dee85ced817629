package dev.pgo.cmd;

import dev.pgo.api.v1.ClusterRequests;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.PrimaryChange;
import dev.pgo.testing.Ledger;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * pgo scale, switchover, failover and restart as a DBA runs them, against real PostgreSQL on the
 * local platform, with rows written through the cluster's connection string checked on every
 * instance afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaCommandsTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private TempPgoHome home;
    private Path root;
    private Ledger ledger;

    @BeforeAll
    void setUp() {
        home = new TempPgoHome();
        root = home.root();
        ledger = new Ledger(() -> home.platform().secrets().get("ha", "postgres").orElseThrow());
    }

    @AfterAll
    void tearDown() {
        home.close();
    }

    @Test
    @Order(1)
    void scalingOneToThreeToTwoKeepsTheDataOnEveryInstance() throws Exception {
        assertSucceeds(pgo(root, "create", "cluster", "ha", "--replicas", "0"));
        ledger.create(status().getEndpoints().getReadWrite());
        insert(1, 100);

        PgoRun up = pgo(root, "scale", "ha", "--replicas", "2");
        assertSucceeds(up);
        assertTrue(up.out().contains("cluster ha is Running (3/3 ready, primary ha-0)"), up.toString());
        assertEquals(List.of("ha-0", "ha-1", "ha-2"), names(status()));
        assertEveryInstanceHolds(100);
        PgoRun wide = pgo(root, "show", "cluster", "ha", "-o", "wide");
        assertTrue(wide.out().matches("(?s).*NAME\\s+ROLE.*LSN\\s+RECEIVED\\s+LAG\\s+PVC.*"), wide.out());
        assertTrue(wide.out().matches("(?s).*ha-1\\s+replica\\s+streaming\\s+yes\\s+127.0.0.1\\s+\\d+\\s+1\\s+\\S+\\s+\\d+/[0-9A-F]+\\s.*"),
                "a replica shows what it received: " + wide.out());

        insert(101, 200);
        PgoRun down = pgo(root, "scale", "ha", "--replicas", "1");
        assertSucceeds(down);
        assertTrue(down.out().contains("cluster ha is Running (2/2 ready, primary ha-0)"), down.toString());
        assertEquals(List.of("ha-0", "ha-1"), names(status()));
        assertEquals(List.of("pvc/pgdata-ha-0", "pvc/pgdata-ha-1"),
                pgo(root, "show", "pvc", "all", "-o", "name").out().lines().toList(), "the removed volume is gone");
        assertEveryInstanceHolds(200);

        PgoRun same = pgo(root, "scale", "ha", "--replicas", "1");
        assertSucceeds(same);
        assertTrue(same.out().contains("ha has 1 replica already"), same.toString());
    }

    @Test
    @Order(2)
    void switchoverUnderLoadLosesNoCommittedTransaction() throws Exception {
        try (var writer = ledger.startWriter(status().getEndpoints().getReadWrite())) {
            awaitCommits(writer, 20);
            PgoRun first = pgo(root, "switchover", "ha");
            assertSucceeds(first);
            assertTrue(first.out().contains("cluster ha: ha-1 is the primary (switchover from ha-0, 2/2 ready)"),
                    first.toString());
            awaitCommits(writer, 20);

            PgoRun back = pgo(root, "switchover", "ha", "--target", "ha-0");
            assertSucceeds(back);
            assertTrue(back.out().contains("cluster ha: ha-0 is the primary (switchover from ha-1"), back.toString());
            awaitCommits(writer, 20);
            writer.stop();

            PrimaryChange change = status().getLastPrimaryChange();
            assertEquals(PrimaryChange.SWITCHOVER, change.getKind());
            assertEquals("requested by the user", change.getReason());
            Set<Integer> committed = ledger.ids(status().getEndpoints().getReadWrite());
            assertEquals(List.of(), Ledger.lost(writer.acknowledged(), committed), "acknowledged commits lost");
            assertEveryInstanceHolds(committed.size());
        }
    }

    @Test
    @Order(3)
    void switchoverExplainsWhatCannotHappen() {
        PgoRun already = pgo(root, "switchover", "ha", "--target", "ha-0");
        assertSucceeds(already);
        assertTrue(already.out().contains("ha-0 is the primary of ha already; nothing to do"), already.toString());

        // the same request written by something else than pgo switchover: done without a move
        Instant id = Instant.now();
        home.platform().clusters().annotate("ha", ClusterRequests.switchover("ha-0", false, id));
        assertSucceeds(pgo(root, "operator", "--once", "ha"));
        assertEquals(id.toString(), status().getCompletedSwitchover());
        assertEquals("ha-0", status().getPrimary());

        PgoRun stranger = pgo(root, "switchover", "ha", "--target", "ha-7");
        assertEquals(ExitCodes.ERROR, stranger.exit(), stranger.toString());
        assertTrue(stranger.err().contains("ha-7 is not an instance of ha"), stranger.err());
        assertTrue(stranger.err().contains("hint: its instances are ha-0, ha-1"), stranger.err());

        PgoRun missing = pgo(root, "switchover", "nosuch");
        assertEquals(ExitCodes.ERROR, missing.exit());
        assertTrue(missing.err().contains("no cluster named nosuch"), missing.err());

        PgoRun noTarget = pgo(root, "failover", "ha");
        assertEquals(ExitCodes.USAGE, noTarget.exit(), noTarget.toString());
        assertTrue(noTarget.err().contains("--target"), noTarget.err());

        assertSucceeds(pgo(root, "create", "database", "solo"));
        PgoRun database = pgo(root, "switchover", "solo");
        assertEquals(ExitCodes.ERROR, database.exit());
        assertTrue(database.err().contains("cannot switch over solo: it is a database"), database.err());
        PgoRun scaleDatabase = pgo(root, "scale", "solo", "--replicas", "2");
        assertEquals(ExitCodes.ERROR, scaleDatabase.exit());
        assertTrue(scaleDatabase.err().contains("cannot scale solo: it is a database"), scaleDatabase.err());
        assertEquals("ha-0", status().getPrimary(), "nothing moved");
    }

    @Test
    @Order(4)
    void restartRestartsEveryServerReplicasFirst() throws Exception {
        Map<String, Instant> before = startTimes("ha");
        PgoRun run = pgo(root, "restart", "ha");
        assertSucceeds(run);
        assertTrue(run.out().contains("cluster ha restarted (2/2 ready, primary ha-1)"), run.toString());
        assertTrue(run.err().indexOf("restart ha-1") < run.err().indexOf("switch over from ha-0 to ha-1"),
                "the replica restarts before the switchover: " + run.err());
        Map<String, Instant> after = startTimes("ha");
        for (String instance : before.keySet()) {
            assertTrue(after.get(instance).isAfter(before.get(instance)), instance + " restarted: " + before + " " + after);
        }
        assertTrue(status().getLastPrimaryChange().getReason().startsWith("restart of ha-0"),
                status().getLastPrimaryChange().getReason());

        Instant soloBefore = startTimes("solo").get("solo-0");
        PgoRun solo = pgo(root, "restart", "solo");
        assertSucceeds(solo);
        assertTrue(solo.out().contains("database solo restarted (1/1 ready, primary solo-0)"), solo.toString());
        assertTrue(startTimes("solo").get("solo-0").isAfter(soloBefore));
    }

    @Test
    @Order(5)
    void failoverPromotesTheNamedReplicaWhenThePrimaryIsDown() throws Exception {
        String primary = status().getPrimary();
        String replica = primary.equals("ha-0") ? "ha-1" : "ha-0";
        int rows = ledger.ids(status().getEndpoints().getReadWrite()).size();
        home.killServer(primary);
        await("the primary's server to be gone", () -> !ledger.isPrimary(Ledger.url(instance(status(), primary))));

        PgoRun refused = pgo(root, "switchover", "ha");
        assertEquals(ExitCodes.ERROR, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("its primary " + primary + " does not run"), refused.err());
        assertTrue(refused.err().contains("hint: pgo failover ha --target INSTANCE"), refused.err());

        PgoRun run = pgo(root, "failover", "ha", "--target", replica);
        assertSucceeds(run);
        assertTrue(run.out().contains("cluster ha: " + replica + " is the primary (failover from " + primary
                + ", 2/2 ready)"), run.toString());
        PgClusterStatus after = status();
        assertEquals(PrimaryChange.FAILOVER, after.getLastPrimaryChange().getKind());
        assertEquals("replica", instance(after, primary).getRole(), "the old primary rejoined as a replica");
        assertTrue(instance(after, primary).isReady(), "and streams: " + instance(after, primary).getState());
        assertFalse(ledger.isPrimary(Ledger.url(instance(after, primary))));
        assertEveryInstanceHolds(rows);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static void assertSucceeds(PgoRun run) {
        assertEquals(ExitCodes.OK, run.exit(), run.toString());
    }

    private PgClusterStatus status() {
        return home.platform().clusters().get("ha").orElseThrow().getStatus();
    }

    private static List<String> names(PgClusterStatus status) {
        return status.getInstances().stream().map(InstanceStatus::getName).toList();
    }

    private static InstanceStatus instance(PgClusterStatus status, String name) {
        return status.getInstances().stream().filter(i -> i.getName().equals(name)).findFirst().orElseThrow();
    }

    private void insert(int from, int to) throws SQLException {
        try (Connection c = ledger.connect(status().getEndpoints().getReadWrite()); Statement st = c.createStatement()) {
            st.execute("INSERT INTO ledger SELECT generate_series(" + from + ", " + to + ")");
        }
    }

    private void assertEveryInstanceHolds(int rows) throws InterruptedException {
        for (InstanceStatus i : status().getInstances()) {
            await(i.getName() + " holding " + rows + " rows", () -> ledger.ids(Ledger.url(i)).size() == rows);
        }
    }

    private void awaitCommits(Ledger.Writer writer, int more) throws InterruptedException {
        int target = writer.count() + more;
        await(more + " more commits", () -> writer.count() >= target);
    }

    /** When each instance's server started, as it says itself. */
    private Map<String, Instant> startTimes(String cluster) throws SQLException {
        var times = new HashMap<String, Instant>();
        var credentials = home.platform().secrets().get(cluster, "postgres").orElseThrow();
        var client = new Ledger(() -> credentials);
        for (InstanceStatus i : home.platform().clusters().get(cluster).orElseThrow().getStatus().getInstances()) {
            try (Connection c = client.connect(Ledger.url(i)); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_postmaster_start_time()")) {
                rs.next();
                times.put(i.getName(), rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
            }
        }
        return times;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; status " + dev.pgo.manifest.Manifests.toJson(status()));
            }
            Thread.sleep(50);
        }
    }
}

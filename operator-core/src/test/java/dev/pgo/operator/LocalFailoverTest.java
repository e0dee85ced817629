package dev.pgo.operator;

import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;
import dev.pgo.api.v1.PrimaryChange;
import dev.pgo.api.v1.SynchronousSpec;
import dev.pgo.reconcile.Convergence;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.StepListener;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Losing the primary on the local platform with the operator loop running, real PostgreSQL
 * throughout: a client writes through the cluster's connection string the whole time.
 */
class LocalFailoverTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private TempPgoHome home;
    private ConnectionPools pools;
    private Reconciler reconciler;
    private LocalOperator operator;
    private Thread loop;
    private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp() {
        home = new TempPgoHome();
        pools = new ConnectionPools(Duration.ofSeconds(2));
        reconciler = new Reconciler(home.platform(), pools, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        try {
            if (operator != null) {
                operator.stop();
                loop.join(Duration.ofSeconds(60));
            }
            pools.close();
        } finally {
            home.close();
        }
    }

    private void startOperator() {
        operator = new LocalOperator(reconciler, null,
                () -> home.platform().clusters().list().stream().map(PgCluster::name).toList(),
                new LocalOperator.Settings(Duration.ofSeconds(5), Duration.ofMillis(100)), StepListener.SILENT,
                log::add, Clock.systemUTC());
        loop = Thread.ofPlatform().name("pgo-operator").start(operator::run);
    }

    @Test
    void killingThePrimaryUnderWritesPromotesAReplicaAndLosesNoAcknowledgedCommit() throws Exception {
        PgCluster cluster = Clusters.spec("ha", 3);
        var synchronous = new SynchronousSpec();
        synchronous.setStandbys(1);
        cluster.getSpec().setSynchronous(synchronous);
        home.platform().clusters().apply(cluster);
        PgClusterStatus before = new Convergence(reconciler).awaitRunning("ha", TIMEOUT, StepListener.SILENT);
        assertEquals("ha-0", before.getPrimary());
        try (Connection c = connect(before.getEndpoints().getReadWrite()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ledger (id int PRIMARY KEY)");
        }
        startOperator();

        try (var writer = new Writer(before.getEndpoints().getReadWrite())) {
            await("the writer's first commits", () -> writer.acknowledged().size() >= 20, TIMEOUT);
            long pid = Long.parseLong(Files.readAllLines(home.root()
                    .resolve("volumes/pgdata-ha-0/pgdata/postmaster.pid")).getFirst().trim());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            int atKill = writer.acknowledged().size();

            await("a promoted replica and commits through the connection string again", () -> {
                String primary = status().getPrimary();
                return primary != null && !primary.equals("ha-0") && writer.acknowledged().size() > atKill + 10;
            }, TIMEOUT);
            await("the old primary back as a streaming replica", () -> {
                PgClusterStatus s = status();
                return s.getPhase() == Phase.Running && s.getReadyInstances() == 3
                        && "replica".equals(instance(s, "ha-0").getRole());
            }, TIMEOUT);
            writer.stop();

            PgClusterStatus after = status();
            PrimaryChange change = after.getLastPrimaryChange();
            assertEquals(PrimaryChange.FAILOVER, change.getKind());
            assertEquals("ha-0", change.getFrom());
            assertEquals(after.getPrimary(), change.getTo());
            assertTrue(change.getReason().startsWith("not running"), change.getReason());
            InstanceStatus newPrimary = instance(after, after.getPrimary());
            assertEquals(before.getInstances().getFirst().getTimeline() + 1, newPrimary.getTimeline(),
                    "the promotion began a new timeline");
            for (InstanceStatus i : after.getInstances()) {
                assertEquals(newPrimary.getTimeline(), i.getTimeline(), i.getName() + " follows the new timeline");
            }

            Set<Integer> committed = ids(after.getEndpoints().getReadWrite());
            List<Integer> lost = writer.acknowledged().stream().filter(id -> !committed.contains(id)).toList();
            assertEquals(List.of(), lost, "acknowledged commits missing after the failover");
            for (InstanceStatus i : after.getInstances()) {
                String url = "postgresql://" + i.getHost() + ":" + i.getPort() + "/postgres";
                await(i.getName() + " holding every row", () -> ids(url).size() == committed.size(), TIMEOUT);
            }
            try (Connection c = connect("postgresql://127.0.0.1:" + instance(after, "ha-0").getPort() + "/postgres");
                 Statement st = c.createStatement()) {
                st.execute("INSERT INTO ledger VALUES (-1)");
                fail("the old primary accepted a write");
            } catch (SQLException e) {
                assertEquals("25006", e.getSQLState(), "read-only transaction: " + e.getMessage());
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private PgClusterStatus status() {
        return home.platform().clusters().get("ha").orElseThrow().getStatus();
    }

    private static InstanceStatus instance(PgClusterStatus status, String name) {
        return status.getInstances().stream().filter(i -> i.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + name + " in status"));
    }

    private Credentials superuser() {
        return home.platform().secrets().get("ha", "postgres").orElseThrow();
    }

    /** A JDBC connection from a libpq-style URL as pgo shows it, read-write ones to whichever host is primary. */
    private Connection connect(String url) throws SQLException {
        String jdbc = "jdbc:" + url.replace("target_session_attrs=read-write", "targetServerType=primary");
        jdbc += (jdbc.contains("?") ? "&" : "?") + "sslmode=disable&connectTimeout=2&socketTimeout=10";
        Credentials su = superuser();
        return DriverManager.getConnection(jdbc, su.username(), su.password());
    }

    private Set<Integer> ids(String url) {
        try (Connection c = connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM ledger")) {
            var ids = new HashSet<Integer>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            return ids;
        } catch (SQLException e) {
            return Set.of();
        }
    }

    private void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; status " + dev.pgo.manifest.Manifests.toJson(status())
                        + "\noperator log: " + log + "\nha-0's server log:\n" + logTail("ha-0"));
            }
            Thread.sleep(50);
        }
    }

    private String logTail(String instance) {
        try {
            // what is new in the log, without the lines a server waiting for WAL repeats
            List<String> lines = Files.readAllLines(home.root().resolve("logs/" + instance + ".log")).stream()
                    .filter(l -> !l.contains("could not start WAL streaming") && !l.contains("DETAIL")
                            && !l.contains("forked off current") && !l.contains("waiting for WAL")).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (java.io.IOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }

    /**
     * Inserts one row after another, reconnecting after any error; an id counts as acknowledged
     * only when its commit returned success. A commit whose outcome is unknown is never retried
     * with the same id.
     */
    private final class Writer implements AutoCloseable {
        private final ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile boolean running = true;

        Writer(String url) {
            thread = Thread.ofPlatform().name("writer").start(() -> {
                int next = 1;
                while (running) {
                    try (Connection c = connect(url); Statement st = c.createStatement()) {
                        while (running) {
                            int id = next++;
                            st.execute("INSERT INTO ledger VALUES (" + id + ")");
                            acknowledged.add(id);
                            Thread.sleep(10);
                        }
                    } catch (SQLException e) {
                        pause(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        List<Integer> acknowledged() {
            return List.copyOf(acknowledged);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(Duration.ofSeconds(30));
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

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
import dev.pgo.testing.Clusters;
import dev.pgo.testing.Ledger;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Losing the primary on the local platform with the operator loop running, real PostgreSQL
 * throughout: a client writes through the cluster's connection string the whole time.
 */
class LocalFailoverTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Primaries killed in a row: -Dpgo.chaos.failovers=N (make chaos: 20). */
    static final int FAILOVERS = Integer.getInteger("pgo.chaos.failovers", 10);

    private TempPgoHome home;
    private Ledger ledger;
    private ConnectionPools pools;
    private Reconciler reconciler;
    private LocalOperator operator;
    private Thread loop;
    private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp() {
        home = new TempPgoHome();
        ledger = new Ledger(() -> home.platform().secrets().get("ha", "postgres").orElseThrow());
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
                new LocalOperator.Settings(Duration.ofSeconds(5), Duration.ofMillis(100)), new StepListener() {
                    @Override
                    public void started(String cluster, dev.pgo.reconcile.Step step) {
                        log.add(java.time.LocalTime.now() + " " + step.describe());
                    }
                },
                log::add, Clock.systemUTC());
        loop = Thread.ofPlatform().name("pgo-operator").start(operator::run);
    }

    @Test
    void killingThePrimaryUnderWritesPromotesAReplicaAndLosesNoAcknowledgedCommit() throws Exception {
        PgClusterStatus before = startSynchronousCluster();
        try (var writer = ledger.startWriter(before.getEndpoints().getReadWrite())) {
            await("the writer's first commits", () -> writer.count() >= 20, TIMEOUT);
            home.killServer("ha-0");
            int atKill = writer.count();

            await("a promoted replica and commits through the connection string again", () -> {
                String primary = status().getPrimary();
                return primary != null && !primary.equals("ha-0") && writer.count() > atKill + 10;
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
            // a standby reports the new timeline once it has streamed up to the switch
            await("every instance on the new timeline", () -> status().getInstances().stream()
                    .allMatch(i -> newPrimary.getTimeline().equals(i.getTimeline())), TIMEOUT);
            assertNothingLost(writer, after);
            try (Connection c = ledger.connect(Ledger.url(instance(after, "ha-0"))); Statement st = c.createStatement()) {
                st.execute("INSERT INTO ledger VALUES (-1)");
                fail("the old primary accepted a write");
            } catch (SQLException e) {
                assertEquals("25006", e.getSQLState(), "read-only transaction: " + e.getMessage());
            }
        }
    }

    /**
     * The state a switchover leaves when pgo is killed after it recorded the new primary and
     * stopped the old one, before the promotion: the next pass promotes the recorded primary
     * (a running standby, whose signal file its own promotion removes) and brings the old one
     * back as a streaming replica.
     */
    @Test
    void aSwitchoverKilledBeforeThePromotionIsFinishedByTheNextPass() throws Exception {
        PgCluster cluster = Clusters.spec("ha", 2);
        home.platform().clusters().apply(cluster);
        PgClusterStatus before = new Convergence(reconciler).awaitRunning("ha", TIMEOUT, StepListener.SILENT);
        ledger.create(before.getEndpoints().getReadWrite());
        try (Connection c = ledger.connect(before.getEndpoints().getReadWrite()); Statement st = c.createStatement()) {
            st.execute("INSERT INTO ledger SELECT generate_series(1, 100)");
        }
        PgCluster stored = home.platform().clusters().get("ha").orElseThrow();
        var replication = home.platform().secrets().get("ha", "standby").orElseThrow();
        PgClusterStatus interrupted = stored.getStatus();
        interrupted.setPrimary("ha-1");
        interrupted.setPhase(Phase.Updating);
        home.platform().clusters().writeStatus("ha", interrupted);
        home.platform().instances().stopForSwitchover(stored, "ha-0", "ha-1", replication);

        PgClusterStatus after = new Convergence(reconciler).awaitRunning("ha", TIMEOUT, StepListener.SILENT);

        assertEquals("ha-1", after.getPrimary());
        assertTrue(ledger.isPrimary(Ledger.url(instance(after, "ha-1"))));
        await("ha-0 streaming from ha-1", () -> ledger.streams(Ledger.url(instance(status(), "ha-0"))), TIMEOUT);
        assertEquals(100, ledger.ids(after.getEndpoints().getReadWrite()).size());
    }

    /**
     * Failovers in a row (ten; twenty in make chaos), each of whichever instance is primary by then, with a random replica
     * killed as well in some rounds: after each, one primary, every replica streaming; at the
     * end, every acknowledged commit on every instance.
     */
    @Test
    void failoversInARowKeepOnePrimaryAndEveryCommit() throws Exception {
        PgClusterStatus before = startSynchronousCluster();
        long seed = System.nanoTime();
        var random = new Random(seed);
        var kills = new ArrayList<String>();
        try (var writer = ledger.startWriter(before.getEndpoints().getReadWrite())) {
            for (int round = 1; round <= FAILOVERS; round++) {
                String primary = status().getPrimary();
                int atKill = writer.count();
                home.killServer(primary);
                kills.add(primary);
                log.add(java.time.LocalTime.now() + " killed " + primary);
                String what = "round " + round + " (seed " + seed + ", killed " + kills + ")";
                await("a new primary and commits again in " + what, () -> {
                    String now = status().getPrimary();
                    return now != null && !now.equals(primary) && writer.count() > atKill + 10;
                }, TIMEOUT);
                if (random.nextBoolean()) {
                    String current = status().getPrimary();
                    List<String> replicas = status().getInstances().stream().map(InstanceStatus::getName)
                            .filter(n -> !n.equals(current)).toList();
                    String victim = replicas.get(random.nextInt(replicas.size()));
                    home.killServer(victim);
                    kills.add(victim + "(replica)");
                    log.add(java.time.LocalTime.now() + " killed replica " + victim);
                }
                awaitConsistent(what);
            }
            writer.stop();
            PgClusterStatus after = status();
            assertEquals(FAILOVERS, kills.stream().filter(k -> !k.endsWith("(replica)")).count());
            assertEquals(before.getInstances().getFirst().getTimeline() + FAILOVERS,
                    instance(after, after.getPrimary()).getTimeline(), "a new timeline per promotion; killed " + kills);
            assertNothingLost(writer, after);
        }
    }

    /**
     * A primary whose every process stops (a hung machine: TCP connections stay open, nothing
     * answers) is fenced and replaced like a dead one, and no acknowledged commit is lost.
     */
    @Test
    void aPrimaryThatHangsIsReplaced() throws Exception {
        PgClusterStatus before = startSynchronousCluster();
        List<ProcessHandle> stopped = new ArrayList<>();
        try (var writer = ledger.startWriter(before.getEndpoints().getReadWrite())) {
            await("the writer's first commits", () -> writer.count() >= 20, TIMEOUT);
            stopped.addAll(processesWorkingIn(home.root().resolve("volumes/pgdata-ha-0/pgdata")));
            signal(stopped, "STOP");
            int atHang = writer.count();
            await("a promoted replica and commits again", () -> {
                String primary = status().getPrimary();
                return primary != null && !primary.equals("ha-0") && writer.count() > atHang + 10;
            }, TIMEOUT);
            awaitConsistent("the hang");
            writer.stop();
            assertEquals(PrimaryChange.FAILOVER, status().getLastPrimaryChange().getKind());
            assertNothingLost(writer, status());
        } finally {
            signal(stopped, "CONT"); // what the fence did not kill goes on
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A running 3-instance cluster with one synchronous standby, its ledger table, and the operator loop. */
    private PgClusterStatus startSynchronousCluster() throws Exception {
        PgCluster cluster = Clusters.spec("ha", 3);
        var synchronous = new SynchronousSpec();
        synchronous.setStandbys(1);
        cluster.getSpec().setSynchronous(synchronous);
        home.platform().clusters().apply(cluster);
        PgClusterStatus before = new Convergence(reconciler).awaitRunning("ha", TIMEOUT, StepListener.SILENT);
        assertEquals("ha-0", before.getPrimary());
        ledger.create(before.getEndpoints().getReadWrite());
        startOperator();
        return before;
    }

    /**
     * Asked of the servers themselves, as a status written before the last kill could still say
     * Running: exactly one answers as a primary, the one status names, and every other one streams.
     */
    private void awaitConsistent(String what) throws InterruptedException {
        await("one primary and every replica streaming after " + what, () -> {
            PgClusterStatus s = status();
            List<String> primaries = new ArrayList<>();
            for (InstanceStatus i : s.getInstances()) {
                if (ledger.isPrimary(Ledger.url(i))) {
                    primaries.add(i.getName());
                } else if (!ledger.streams(Ledger.url(i))) {
                    return false;
                }
            }
            return s.getInstances().size() == 3 && primaries.equals(List.of(s.getPrimary()));
        }, TIMEOUT);
    }

    private static List<ProcessHandle> processesWorkingIn(java.nio.file.Path dir) throws java.io.IOException {
        var found = new ArrayList<ProcessHandle>();
        try (var entries = Files.list(java.nio.file.Path.of("/proc"))) {
            for (var entry : entries.toList()) {
                try {
                    if (Files.readSymbolicLink(entry.resolve("cwd")).equals(dir)) {
                        ProcessHandle.of(Long.parseLong(entry.getFileName().toString())).ifPresent(found::add);
                    }
                } catch (java.io.IOException | NumberFormatException | UnsupportedOperationException e) {
                    // not a process, or gone meanwhile
                }
            }
        }
        assertTrue(found.size() > 3, "the server and its processes: " + found);
        return found;
    }

    private static void signal(List<ProcessHandle> processes, String signal) throws Exception {
        if (processes.isEmpty()) {
            return;
        }
        var command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(String.valueOf(p.pid())));
        new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    }

    /** Every acknowledged commit is on the primary, and every instance holds every row. */
    private void assertNothingLost(Ledger.Writer writer, PgClusterStatus after) throws InterruptedException {
        Set<Integer> committed = ledger.ids(after.getEndpoints().getReadWrite());
        assertEquals(List.of(), Ledger.lost(writer.acknowledged(), committed), "acknowledged commits missing");
        for (InstanceStatus i : after.getInstances()) {
            await(i.getName() + " holding every row", () -> ledger.ids(Ledger.url(i)).size() == committed.size(), TIMEOUT);
        }
    }

    private PgClusterStatus status() {
        return home.platform().clusters().get("ha").orElseThrow().getStatus();
    }

    private static InstanceStatus instance(PgClusterStatus status, String name) {
        return status.getInstances().stream().filter(i -> i.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + name + " in status"));
    }

    private void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; status " + dev.pgo.manifest.Manifests.toJson(status())
                        + "\noperator log: " + String.join("\n", log) + "\nha-0's server log:\n" + logTail("ha-0")
                        + "\nha-1's server log:\n" + logTail("ha-1") + "\nha-2's server log:\n" + logTail("ha-2"));
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
}

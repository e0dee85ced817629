package dev.pgo.cmd;

import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;
import dev.pgo.testing.Ledger;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: pgo killed with SIGKILL in the middle of any command leaves nothing that the next
 * reconcile cannot finish. Each round picks a command (create, scale up or down, backup,
 * rolling restart, switchover, delete) for one cluster, runs it as a process of its own while
 * a client writes, kills it at a random moment, runs `pgo operator --once`, and checks: the
 * cluster is either gone without a trace or Running as its spec says, with exactly its
 * instances, volumes, Secrets and server processes, every replica streaming, and every
 * acknowledged commit on the primary. `make chaos` runs 50 rounds; the default is a short run.
 */
class KillNineTest {
    /** Rounds to run: -Dpgo.chaos.kills=N (make chaos: 50). */
    static final int ROUNDS = Integer.getInteger("pgo.chaos.kills", 6);
    private static final String CLUSTER = "chaos";

    private TempPgoHome home;
    private Path root;
    private Ledger ledger;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() {
        home = new TempPgoHome();
        root = home.root();
        ledger = new Ledger(() -> home.platform().secrets().get(CLUSTER, "postgres").orElseThrow());
    }

    @AfterEach
    void tearDown() {
        home.close();
    }

    private Optional<PgCluster> cluster() {
        return home.platform().clusters().get(CLUSTER);
    }

    private List<String> command(Random random) {
        if (cluster().isEmpty()) {
            return List.of("create", "cluster", CLUSTER, "--replicas", String.valueOf(1 + random.nextInt(2)));
        }
        int replicas = cluster().orElseThrow().getSpec().getInstances() - 1;
        return switch (random.nextInt(6)) {
            case 0 -> List.of("scale", CLUSTER, "--replicas", String.valueOf(replicas == 1 ? 2 : 1));
            case 1 -> List.of("create", "backup", CLUSTER);
            case 2 -> List.of("restart", CLUSTER);
            case 3 -> List.of("switchover", CLUSTER);
            case 4 -> List.of("delete", "cluster", CLUSTER);
            default -> List.of("scale", CLUSTER, "--replicas", String.valueOf(replicas));
        };
    }

    @Test
    void aKilledCommandLeavesWhatTheNextReconcileFinishes() throws Exception {
        long seed = Long.getLong("pgo.chaos.seed", System.nanoTime());
        var random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            List<String> args = command(random);
            String what = "round " + round + " of " + ROUNDS + " (seed " + seed + "): pgo " + String.join(" ", args);
            Ledger.Writer writer = cluster().isPresent() ? ledger.startWriter(readWrite()) : null;
            Process process = PgoProcess.start(root, "round-" + round, args.toArray(String[]::new));
            // log-uniform from 50 ms to 3 s: as many kills early in a command as late, so quick
            // commands (a backup of a small database) are cut short too
            long delay = Math.round(Math.exp(Math.log(50) + random.nextDouble() * (Math.log(3000) - Math.log(50))));
            boolean finished = process.waitFor(delay, java.util.concurrent.TimeUnit.MILLISECONDS);
            process.destroyForcibly().waitFor();
            log.add(what + (finished ? ": finished before the kill at " : ": killed after ") + delay + " ms");

            Process operator = PgoProcess.start(root, "operator-" + round, "operator", "--once");
            assertEquals(0, PgoProcess.await(operator, "operator"), what + "\n" + output("operator-" + round));
            List<Integer> acknowledged = List.of();
            if (writer != null) {
                writer.stop();
                acknowledged = writer.acknowledged();
            }
            assertConverged(what + "\n" + String.join("\n", log) + "\n--- the command's output\n"
                    + output("round-" + round) + "--- the operator's\n" + output("operator-" + round)
                    + serverLogTails(), acknowledged);
        }
        // what was tried, for the report (docs/reliability.md gives the figures of a make chaos run)
        log.forEach(System.out::println);
        long killed = log.stream().filter(l -> l.contains(": killed after ")).count();
        System.out.println(ROUNDS + " rounds, " + killed + " commands killed while they ran");
        assertTrue(killed > 0, "some commands must have been killed while they ran:\n" + String.join("\n", log));
    }

    private String readWrite() {
        return cluster().orElseThrow().getStatus().getEndpoints().getReadWrite();
    }

    /** The last lines of each server log: what a failed round needs explained. */
    private String serverLogTails() throws IOException {
        var text = new StringBuilder();
        Path logs = root.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return "";
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                text.append("--- ").append(file.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(l -> text.append(l).append('\n'));
            }
        }
        return text.toString();
    }

    private String output(String name) throws IOException {
        return Files.readString(PgoProcess.log(root, name));
    }

    private void assertConverged(String what, List<Integer> acknowledged) throws Exception {
        Optional<PgCluster> found = cluster();
        Set<String> volumes = new TreeSet<>(home.platform().volumes().list().stream()
                .map(v -> v.name()).filter(n -> n.startsWith("pgdata-" + CLUSTER + "-")).toList());
        Set<String> serving = serverDirectories();
        if (found.isEmpty()) {
            assertEquals(Set.of(), volumes, what + ": a deleted cluster's volumes");
            assertEquals(Set.of(), serving, what + ": a deleted cluster's servers");
            assertTrue(!Files.exists(root.resolve("secrets").resolve(CLUSTER)), what + ": a deleted cluster's Secrets");
            return;
        }
        PgCluster cluster = found.get();
        PgClusterStatus status = cluster.getStatus();
        int instances = cluster.getSpec().getInstances();
        assertEquals(Phase.Running, status.getPhase(), what + ": " + status.getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getMessage()).toList());
        Set<String> expected = new TreeSet<>(IntStream.range(0, instances)
                .mapToObj(i -> "pgdata-" + CLUSTER + "-" + i).toList());
        assertEquals(expected, volumes, what + ": one volume per instance, no other");
        assertEquals(expected, serving, what + ": one server per instance, no other");
        assertEquals(instances, status.getInstances().size(), what);
        assertEquals(Set.of("postgres.yaml", "standby.yaml"), secretFiles(), what + ": the cluster's Secrets");
        var primaries = new TreeMap<String, Boolean>();
        for (InstanceStatus instance : status.getInstances()) {
            boolean primary = ledger.isPrimary(Ledger.url(instance));
            primaries.put(instance.getName(), primary);
            assertTrue(primary || ledger.streams(Ledger.url(instance)), what + ": " + instance.getName() + " streams");
        }
        assertEquals(1, primaries.values().stream().filter(p -> p).count(), what + ": one primary " + primaries);
        if (ledgerMissing()) {
            ledger.create(readWrite());
        }
        assertEquals(List.of(), Ledger.lost(acknowledged, ledger.ids(readWrite())), what + ": acknowledged commits");
    }

    private boolean ledgerMissing() {
        try (var c = ledger.connect(readWrite()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT to_regclass('ledger') IS NULL")) {
            return rs.next() && rs.getBoolean(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("the primary does not answer: " + e.getMessage(), e);
        }
    }

    private Set<String> secretFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("secrets").resolve(CLUSTER))) {
            return new TreeSet<>(files.map(f -> f.getFileName().toString()).toList());
        }
    }

    /** The volumes that have a server process working in their data directory (its cwd). */
    private Set<String> serverDirectories() throws IOException {
        Path volumes = root.resolve("volumes").toRealPath();
        var found = new TreeSet<String>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                try {
                    Path cwd = Files.readSymbolicLink(entry.resolve("cwd"));
                    if (cwd.startsWith(volumes)) {
                        found.add(volumes.relativize(cwd).getName(0).toString());
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // not a process, or gone meanwhile
                }
            }
        }
        return found;
    }
}

package dev.pgo.cmd;

import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.Phase;
import dev.pgo.process.Processes;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Several pgo processes on one machine at once: locking keeps their state whole. */
class ConcurrentProcessesTest {
    private TempPgoHome home;

    @BeforeEach
    void setUp() {
        home = new TempPgoHome();
    }

    @AfterEach
    void tearDown() {
        home.close();
    }

    private Process start(String name, String... args) throws IOException {
        return PgoProcess.start(home.root(), name, args);
    }

    private int await(Process process, String name) throws Exception {
        return PgoProcess.await(process, name);
    }

    @Test
    void twoProcessesCreatingClustersAtOnceGetDistinctInstancesAndPorts() throws Exception {
        Process alpha = start("alpha", "create", "cluster", "alpha", "--replicas", "1");
        Process beta = start("beta", "create", "cluster", "beta", "--replicas", "1");
        Process operator = start("operator", "operator", "--once");

        assertEquals(0, await(alpha, "alpha"), Files.readString(home.root().resolve("alpha.out")));
        assertEquals(0, await(beta, "beta"), Files.readString(home.root().resolve("beta.out")));
        assertEquals(0, await(operator, "operator"), Files.readString(home.root().resolve("operator.out")));

        var clusters = home.platform().clusters().list();
        assertEquals(List.of("alpha", "beta"), clusters.stream().map(PgCluster::name).toList());
        assertEquals(List.of("pgdata-alpha-0", "pgdata-alpha-1", "pgdata-beta-0", "pgdata-beta-1"),
                home.platform().volumes().list().stream().map(v -> v.name()).toList());
        var ports = clusters.stream().flatMap(c -> c.getStatus().getInstances().stream())
                .map(InstanceStatus::getPort).distinct().count();
        assertEquals(4, ports, "every instance has a port of its own");
        for (PgCluster cluster : clusters) {
            assertEquals(Phase.Running, cluster.getStatus().getPhase());
        }
    }

    @Test
    void twoOperatorsRestartAKilledInstanceOnce() throws Exception {
        assertEquals(0, pgo(home.root(), "create", "cluster", "shared", "--replicas", "1").exit());
        Path pidFile = home.root().resolve("volumes/pgdata-shared-1/pgdata/postmaster.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Processes.isRunning(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        Process first = start("op1", "operator", "--once", "shared");
        Process second = start("op2", "operator", "--once", "shared");
        assertEquals(0, await(first, "op1"));
        assertEquals(0, await(second, "op2"));

        String logs = Files.readString(home.root().resolve("op1.out")) + Files.readString(home.root().resolve("op2.out"));
        assertEquals(1, logs.lines().filter(l -> l.contains("shared: start shared-1")).count(),
                "exactly one operator started the instance:\n" + logs);
        PgoRun show = pgo(home.root(), "show", "cluster", "shared");
        assertTrue(show.out().matches("(?s).*shared-1\\s+replica\\s+streaming\\s+yes.*"), show.out());
    }

    @Test
    void theOperatorStopsPromptlyOnSigterm() throws Exception {
        Process operator = start("operator", "operator", "--interval", "60");
        Path log = home.root().resolve("operator.out");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.readString(log).contains("operator started") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(log).contains("operator started"), Files.readString(log));

        long sent = System.nanoTime();
        operator.destroy();
        assertTrue(operator.waitFor(10, TimeUnit.SECONDS), "the operator exits within 10 s of SIGTERM");
        assertTrue(Duration.ofNanos(System.nanoTime() - sent).toSeconds() < 10);
        assertTrue(Files.readString(log).contains("operator stopped"), Files.readString(log));
    }

    @Test
    void noWaitReturnsAtOnceAndABackgroundPgoFinishesTheJob() throws Exception {
        PgoRun run = pgo(home.root(), "create", "database", "later", "--no-wait");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("database later created"), run.out());

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            var status = home.platform().clusters().get("later").orElseThrow().getStatus();
            if (status != null && status.getPhase() == Phase.Running) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the background reconcile did not bring 'later' to Running; log:\n"
                + Files.readString(home.root().resolve("logs/pgo-later.log")));
    }
}

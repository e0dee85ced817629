package dev.pgo.tui.model;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;
import dev.pgo.sql.ServerActivity;
import dev.pgo.testing.Clusters;
import dev.pgo.tui.data.ClusterFacts;
import dev.pgo.tui.data.Snapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The figures and the judgement of the clusters view, from two readings. */
class BoardsTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private static ClusterFacts facts(Phase phase, int ready, long transactions, String unreachable) {
        PgCluster cluster = Clusters.spec("alpha", 3);
        var status = new PgClusterStatus();
        status.setPhase(phase);
        status.setReadyInstances(ready);
        cluster.setStatus(status);
        return new ClusterFacts(cluster, null, new ServerActivity(4, transactions, 1000), List.of(), null, unreachable);
    }

    private static ClusterRow row(ClusterFacts before, ClusterFacts now) {
        Board board = Boards.of(new Snapshot(List.of(now), List.of(), T0.plusSeconds(2)),
                new Snapshot(List.of(before), List.of(), T0));
        return board.clusters().getFirst();
    }

    @ParameterizedTest(name = "{0} -> {1} transactions in 2s: {2} per second")
    @CsvSource(value = {"100, 300, 100.0", "500, 500, 0.0", "900, 10, NONE"}, nullValues = "NONE")
    void transactionsPerSecondAreTheCounterDifferenceOverTime(long before, long now, Double tps) {
        assertEquals(tps, row(facts(Phase.Running, 3, before, null), facts(Phase.Running, 3, now, null)).tps(),
                "a counter that went back (a restart) gives no rate");
    }

    @ParameterizedTest(name = "{0}, {1}/3 ready, unreachable={2}: {3}")
    @CsvSource({"Running, 3, '', OK", "Running, 2, '', WARN", "Updating, 3, '', WARN", "Failed, 3, '', BAD",
            "Running, 0, '', BAD", "Running, 3, 'no answer within 3s', UNREACHABLE"})
    void problemsStandOut(Phase phase, int ready, String unreachable, Health health) {
        ClusterFacts f = facts(phase, ready, 1, unreachable == null || unreachable.isEmpty() ? null : unreachable);
        ClusterRow row = row(f, f);
        assertEquals(health, row.health(), String.valueOf(row));
        assertEquals(health == Health.OK, row.problem() == null, "a problem has words: " + row.problem());
    }
}

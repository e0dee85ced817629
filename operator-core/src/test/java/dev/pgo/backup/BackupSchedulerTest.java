package dev.pgo.backup;

import dev.pgo.api.v1.BackupSpec;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.testing.Clusters;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackupSchedulerTest {
    private static PgCluster nightly() {
        PgCluster cluster = Clusters.spec("nightly", 1);
        var backups = new BackupSpec();
        backups.setSchedule("0 2 * * *");
        cluster.getSpec().setBackups(backups);
        cluster.getMetadata().setCreationTimestamp("2026-01-30T12:00:00Z");
        return cluster;
    }

    private static BackupEntry startedAt(String time) {
        return BackupEntry.starting(BackupIds.of(Instant.parse(time)), "nightly", "nightly-0", 15, Instant.parse(time));
    }

    @Test
    void dueAtTheFirstScheduledMomentAfterTheNewestBackup() {
        PgCluster cluster = nightly();
        assertEquals(Optional.empty(), BackupScheduler.due(cluster, List.of(), Instant.parse("2026-01-31T01:59:00Z")));
        assertEquals(Optional.of(Instant.parse("2026-01-31T02:00:00Z")),
                BackupScheduler.due(cluster, List.of(), Instant.parse("2026-01-31T02:00:30Z")), "first after creation");
        List<BackupEntry> taken = List.of(startedAt("2026-01-31T02:00:01Z"));
        assertEquals(Optional.empty(), BackupScheduler.due(cluster, taken, Instant.parse("2026-01-31T23:00:00Z")));
        assertEquals(Optional.of(Instant.parse("2026-02-01T02:00:00Z")),
                BackupScheduler.due(cluster, taken, Instant.parse("2026-02-03T09:00:00Z")),
                "days missed while pgo was down are caught up by one backup");
    }

    @Test
    void noScheduleNeverDue() {
        assertEquals(Optional.empty(), BackupScheduler.due(Clusters.spec("plain", 1), List.of(),
                Instant.parse("2030-01-01T00:00:00Z")));
    }
}

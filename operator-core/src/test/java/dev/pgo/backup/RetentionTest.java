package dev.pgo.backup;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");

    private static BackupEntry entry(String day, BackupStatus status) {
        Instant start = Instant.parse("2026-01-" + day + "T02:00:00Z");
        BackupEntry e = BackupEntry.starting(BackupIds.of(start), "c", "c-0", 15, start)
                .completed(start.plusSeconds(60), "0/2000028", "0/2000100", 1, 100);
        return status == BackupStatus.Completed ? e : e.withStatus(status, status == BackupStatus.Failed ? "x" : null);
    }

    private static List<String> days(List<BackupEntry> entries) {
        return entries.stream().map(e -> e.id().substring(8, 10)).toList();
    }

    private final List<BackupEntry> history = List.of(entry("20", BackupStatus.Verified), entry("24", BackupStatus.Failed),
            entry("25", BackupStatus.Verified), entry("28", BackupStatus.Completed), entry("30", BackupStatus.Verified),
            entry("31", BackupStatus.Failed));

    @Test
    void keepLastKeepsTheNewestRestorableAndDropsOlderFailures() {
        assertEquals(List.of("20", "24", "25"), days(new Retention(2, null).expired(history, NOW)),
                "the failure after the newest restorable backup stays, to be seen");
    }

    @Test
    void keepDaysAndKeepLastKeepWhatEitherKeeps() {
        assertEquals(List.of("20", "24"), days(new Retention(null, 7).expired(history, NOW)));
        assertEquals(List.of("20", "24"), days(new Retention(1, 7).expired(history, NOW)));
        assertEquals(List.of("24"), days(new Retention(4, 1).expired(history, NOW)));
    }

    @Test
    void theNewestRestorableBackupAlwaysStaysAndNoPolicyRemovesNothing() {
        assertEquals(List.of("20", "24", "25", "28"), days(new Retention(null, 0).expired(history, NOW)));
        assertEquals(List.of(), new Retention(null, null).expired(history, NOW));
    }

    @Test
    void fullAndLogicalBackupsAreKeptApart() {
        var dumps = List.of(logical("21"), logical("26"), logical("29"), logical("30"));
        var mixed = new java.util.ArrayList<>(history);
        mixed.addAll(dumps);
        mixed.sort(java.util.Comparator.comparing(BackupEntry::id));
        List<BackupEntry> expired = new Retention(2, null).expired(mixed, NOW);
        assertEquals(List.of("20", "21", "24", "25", "26"), days(expired),
                "the two newest of each kind stay, so newer dumps never push out the base backups");
        assertEquals(List.of("21", "26"), days(expired.stream().filter(BackupEntry::logical).toList()));
    }

    private static BackupEntry logical(String day) {
        Instant start = Instant.parse("2026-01-" + day + "T03:00:00Z");
        return BackupEntry.starting(BackupIds.of(start), "c", BackupEntry.TYPE_LOGICAL, "c-0", 15, start)
                .completed(start.plusSeconds(30), LogicalContents.plan(List.of("app"), java.util.Map.of()))
                .withStatus(BackupStatus.Verified, null);
    }
}

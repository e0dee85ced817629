package dev.pgo.backup;

import dev.pgo.api.v1.BackupSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which backups a retention policy removes. A restorable backup stays when it is one of the
 * newest {@code keepLast} or younger than {@code keepDays}; the newest restorable one always
 * stays. Failed backups older than the newest restorable one go (they hold no data anyone can
 * use), and a Running one never. Full and logical backups are counted apart, so daily dumps
 * never push out the weekly base backup that point-in-time restores need.
 */
public record Retention(Integer keepLast, Integer keepDays) {
    public static Retention of(BackupSpec spec) {
        return spec == null ? new Retention(null, null) : new Retention(spec.getKeepLast(), spec.getKeepDays());
    }

    public boolean active() {
        return keepLast != null || keepDays != null;
    }

    /** The entries to delete, given every entry oldest first. */
    public List<BackupEntry> expired(List<BackupEntry> entries, Instant now) {
        if (!active()) {
            return List.of();
        }
        var expired = new ArrayList<BackupEntry>();
        for (boolean logical : new boolean[] {false, true}) {
            expired.addAll(expiredOfOneType(entries.stream().filter(e -> e.logical() == logical).toList(), now));
        }
        expired.sort(Comparator.comparing(BackupEntry::id));
        return expired;
    }

    private List<BackupEntry> expiredOfOneType(List<BackupEntry> entries, Instant now) {
        List<BackupEntry> restorable = BackupCatalog.restorableOf(entries);
        if (restorable.isEmpty()) {
            return List.of();
        }
        Set<String> keep = new HashSet<>();
        keep.add(restorable.getLast().id());
        if (keepLast != null) {
            restorable.subList(Math.max(0, restorable.size() - keepLast), restorable.size())
                    .forEach(e -> keep.add(e.id()));
        }
        if (keepDays != null) {
            Instant cutoff = now.minus(Duration.ofDays(keepDays));
            restorable.stream().filter(e -> e.startInstant().isAfter(cutoff)).forEach(e -> keep.add(e.id()));
        }
        String newestRestorable = restorable.getLast().id();
        var expired = new ArrayList<BackupEntry>();
        for (BackupEntry e : entries) {
            boolean stale = e.status().restorable() ? !keep.contains(e.id())
                    : e.status() == BackupStatus.Failed && e.id().compareTo(newestRestorable) < 0;
            if (stale) {
                expired.add(e);
            }
        }
        return expired;
    }
}

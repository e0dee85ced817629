package dev.pgo.backup;

import java.time.Instant;

/**
 * The moments a repository can restore to: from the end of its oldest restorable backup to the
 * newer of its newest backup's end and its last archived WAL segment. Null when nothing is restorable.
 */
public record RecoveryWindow(Instant from, Instant to) {
    public boolean contains(Instant t) {
        return !t.isBefore(from) && !t.isAfter(to);
    }
}

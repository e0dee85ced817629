package dev.pgo.sql;

/**
 * What an instance says about itself over SQL: whether it is a standby, its timeline, its WAL
 * position (current for a primary, replayed for a standby), whether it streams from a primary,
 * which settings in its configuration files it refused, whether some wait for a restart, and
 * when its server started.
 */
public record InstanceFacts(boolean inRecovery, long timeline, String lsn, long lsnBytes,
                            String receivedLsn, boolean streaming, String upstreamPort,
                            java.util.List<String> rejectedSettings, boolean pendingRestart,
                            java.time.Instant startedAt) {
    public InstanceFacts {
        rejectedSettings = java.util.List.copyOf(rejectedSettings);
    }
}

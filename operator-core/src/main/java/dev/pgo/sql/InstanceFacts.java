package dev.pgo.sql;

/**
 * What an instance says about itself over SQL: whether it is a standby, its timeline, its WAL
 * position (current for a primary, replayed for a standby) and whether it streams from a primary.
 */
public record InstanceFacts(boolean inRecovery, long timeline, String lsn, long lsnBytes,
                            String receivedLsn, boolean streaming, String upstreamPort) {
}

package dev.pgo.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQL of a switchover: where the primary's WAL ends, how far a standby received, and promotion. */
public final class Promotion {
    private Promotion() {
    }

    /**
     * Checkpoints the primary (so its shutdown that follows is quick) and returns its WAL position
     * in bytes: a standby that has received this far has every transaction committed before.
     */
    public static long checkpointedPosition(Connection primary) throws SQLException {
        try (Statement st = primary.createStatement()) {
            st.execute("CHECKPOINT");
            try (ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()")) {
                rs.next();
                return Lsn.toBytes(rs.getString(1));
            }
        }
    }

    /** How far a standby has received WAL, in bytes (-1 when it never streamed). */
    public static long receivedPosition(Connection standby) throws SQLException {
        try (Statement st = standby.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())")) {
            rs.next();
            return Lsn.toBytes(rs.getString(1));
        }
    }

    /** Promotes a standby and waits up to a minute for it to accept writes; false if it did not in time. */
    public static boolean promote(Connection standby) throws SQLException {
        try (Statement st = standby.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT CASE WHEN pg_is_in_recovery() THEN pg_promote(true, 60) ELSE true END")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

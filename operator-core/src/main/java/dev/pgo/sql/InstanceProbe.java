package dev.pgo.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Asks one running instance for its role and WAL position, and for the settings in its files
 * that it refused (pg_file_settings reports an error for those; a valid change that waits for a
 * restart is reported there too, and is told apart by pending_restart).
 */
public final class InstanceProbe {
    private static final String QUERY = """
            SELECT pg_is_in_recovery() AS standby,
                   (SELECT timeline_id FROM pg_control_checkpoint()) AS checkpoint_timeline,
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END AS lsn,
                   pg_last_wal_receive_lsn() AS received,
                   (SELECT status FROM pg_stat_wal_receiver LIMIT 1) AS receiver_status,
                   (SELECT received_tli FROM pg_stat_wal_receiver LIMIT 1) AS received_tli,
                   (SELECT sender_port FROM pg_stat_wal_receiver LIMIT 1) AS sender_port,
                   (SELECT string_agg(DISTINCT coalesce(f.name, 'line ' || f.sourceline), ',')
                      FROM pg_file_settings f LEFT JOIN pg_settings s ON s.name = f.name
                     WHERE f.error IS NOT NULL AND NOT coalesce(s.pending_restart, false)) AS rejected,
                   (SELECT bool_or(pending_restart) FROM pg_settings) AS pending_restart,
                   pg_postmaster_start_time() AS started
            """;

    private InstanceProbe() {
    }

    /** Whether the instance is a primary (not in recovery): the one question a quick health look asks. */
    public static boolean isPrimary(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            return rs.next() && !rs.getBoolean(1);
        }
    }

    public static InstanceFacts probe(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
            rs.next();
            boolean standby = rs.getBoolean("standby");
            long timeline = rs.getLong("checkpoint_timeline");
            long receivedTli = rs.getLong("received_tli");
            if (standby && receivedTli > timeline) {
                timeline = receivedTli;
            }
            String lsn = rs.getString("lsn");
            String rejected = rs.getString("rejected");
            return new InstanceFacts(standby, timeline, lsn, Lsn.toBytes(lsn), rs.getString("received"),
                    "streaming".equals(rs.getString("receiver_status")), rs.getString("sender_port"),
                    rejected == null ? java.util.List.of() : java.util.List.of(rejected.split(",")),
                    rs.getBoolean("pending_restart"),
                    rs.getObject("started", java.time.OffsetDateTime.class).toInstant());
        }
    }
}

package dev.pgo.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQL that makes a primary hand its newest WAL to the archive, and asks what it archived. */
public final class WalArchiving {
    private WalArchiving() {
    }

    /**
     * Closes the current WAL segment so it is archived, and returns the name of the segment that
     * holds everything written so far (when nothing was written since the last switch, the
     * segment before the current one, which is archived already or on its way).
     */
    public static String closeCurrentSegment(Connection primary) throws SQLException {
        return single(primary, "SELECT pg_walfile_name(pg_switch_wal())");
    }

    /** The last file the archiver reported done (a segment, or a backup history file), or null. */
    public static String lastArchived(Connection primary) throws SQLException {
        return single(primary, "SELECT last_archived_wal FROM pg_stat_archiver");
    }

    /** When the archiver last reported a file done, or null when it never did (since the server started). */
    public static java.time.Instant lastArchivedTime(Connection primary) throws SQLException {
        try (Statement st = primary.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT extract(epoch FROM last_archived_time) FROM pg_stat_archiver")) {
            rs.next();
            java.math.BigDecimal epoch = rs.getBigDecimal(1);
            return epoch == null ? null : java.time.Instant.ofEpochMilli(epoch.movePointRight(3).longValue());
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package dev.pgo.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a server is doing, in one cheap query: client connections, the transactions it has
 * finished since its statistics were reset (a counter; the rate is the difference between two
 * readings), and the bytes its databases take. Dashboards read it every refresh.
 */
public record ServerActivity(int connections, long transactions, long databaseBytes) {
    private static final String QUERY = """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
                   (SELECT coalesce(sum(xact_commit + xact_rollback), 0) FROM pg_stat_database) AS transactions,
                   (SELECT coalesce(sum(pg_database_size(oid)), 0) FROM pg_database WHERE datallowconn) AS bytes
            """;

    public static ServerActivity read(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
            rs.next();
            return new ServerActivity(rs.getInt("connections"), rs.getLong("transactions"), rs.getLong("bytes"));
        }
    }
}

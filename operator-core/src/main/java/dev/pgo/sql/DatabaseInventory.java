package dev.pgo.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a logical backup takes from a server: the databases one can connect to, with owners, and the roles. */
public final class DatabaseInventory {
    private DatabaseInventory() {
    }

    /** Databases that accept connections and are not templates, by name, with their owners. */
    public static Map<String, String> databases(Connection connection) throws SQLException {
        var databases = new LinkedHashMap<String, String>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT datname, pg_get_userbyid(datdba) FROM pg_database "
                        + "WHERE datallowconn AND NOT datistemplate ORDER BY datname")) {
            while (rs.next()) {
                databases.put(rs.getString(1), rs.getString(2));
            }
        }
        return databases;
    }

    /** Every role but PostgreSQL's predefined ones. */
    public static List<String> roles(Connection connection) throws SQLException {
        var roles = new ArrayList<String>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname")) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        return roles;
    }

    /**
     * Creates the roles a new cluster does not have yet, without login and without a password,
     * so a restored dump's owners and grants resolve. The reconciler later gives the roles the
     * spec manages their attributes and passwords. For psql.
     */
    public static String createMissingRolesSql(List<String> roles) {
        var sql = new StringBuilder();
        for (String role : roles) {
            sql.append(SqlQuote.doBlock("BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                    + SqlQuote.literal(role) + ") THEN CREATE ROLE " + SqlQuote.identifier(role)
                    + " NOLOGIN; END IF; END")).append(";\n");
        }
        return sql.toString();
    }
}

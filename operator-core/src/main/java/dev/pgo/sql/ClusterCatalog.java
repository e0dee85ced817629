package dev.pgo.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The roles, databases and replication slots a primary has, read in one round trip each. */
public record ClusterCatalog(Map<String, RoleAttributes> roles, Map<String, String> databaseOwners,
                             Set<String> replicationSlots) {

    public static ClusterCatalog read(Connection connection) throws SQLException {
        var roles = new LinkedHashMap<String, RoleAttributes>();
        var databases = new LinkedHashMap<String, String>();
        var slots = new LinkedHashSet<String>();
        try (Statement st = connection.createStatement()) {
            StringBuilder columns = new StringBuilder("rolname");
            for (RoleFlag flag : RoleFlag.values()) {
                columns.append(", ").append(flag.column());
            }
            try (ResultSet rs = st.executeQuery("SELECT " + columns + " FROM pg_roles WHERE rolname !~ '^pg_'")) {
                while (rs.next()) {
                    var flags = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
                    for (RoleFlag flag : RoleFlag.values()) {
                        flags.put(flag, rs.getBoolean(flag.column()));
                    }
                    roles.put(rs.getString("rolname"), new RoleAttributes(flags));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT datname, pg_get_userbyid(datdba) AS owner "
                    + "FROM pg_database WHERE NOT datistemplate")) {
                while (rs.next()) {
                    databases.put(rs.getString("datname"), rs.getString("owner"));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT slot_name FROM pg_replication_slots")) {
                while (rs.next()) {
                    slots.add(rs.getString(1));
                }
            }
        }
        return new ClusterCatalog(Map.copyOf(roles), Map.copyOf(databases), Set.copyOf(slots));
    }
}

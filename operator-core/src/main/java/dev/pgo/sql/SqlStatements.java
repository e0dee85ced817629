package dev.pgo.sql;

/** The SQL text pgo sends, built only from quoted names; pure functions so tests can read them. */
public final class SqlStatements {
    private SqlStatements() {
    }

    public static String createRole(String name, RoleAttributes attributes) {
        String keywords = attributes.keywords();
        return "CREATE ROLE " + SqlQuote.identifier(name) + (keywords.isEmpty() ? "" : " " + keywords);
    }

    public static String alterRole(String name, RoleAttributes attributes) {
        return "ALTER ROLE " + SqlQuote.identifier(name) + " " + attributes.keywords();
    }

    public static String createDatabase(String name, String owner) {
        return "CREATE DATABASE " + SqlQuote.identifier(name) + " OWNER " + SqlQuote.identifier(owner);
    }

    public static String alterDatabaseOwner(String name, String owner) {
        return "ALTER DATABASE " + SqlQuote.identifier(name) + " OWNER TO " + SqlQuote.identifier(owner);
    }

    public static String createPhysicalSlot(String slot) {
        return "SELECT pg_create_physical_replication_slot(" + SqlQuote.literal(slot) + ")";
    }

    public static String dropSlot(String slot) {
        return "SELECT pg_drop_replication_slot(" + SqlQuote.literal(slot) + ")";
    }
}

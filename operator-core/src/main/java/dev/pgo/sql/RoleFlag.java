package dev.pgo.sql;

import java.util.Locale;
import java.util.Optional;

/** A role attribute a spec may set, with the pg_roles column that shows it. */
public enum RoleFlag {
    SUPERUSER("rolsuper"),
    CREATEDB("rolcreatedb"),
    CREATEROLE("rolcreaterole"),
    LOGIN("rolcanlogin"),
    REPLICATION("rolreplication"),
    BYPASSRLS("rolbypassrls"),
    INHERIT("rolinherit");

    private final String column;

    RoleFlag(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }

    /** The SQL keyword that sets (true) or clears (false) this attribute. */
    public String keyword(boolean on) {
        return on ? name() : "NO" + name();
    }

    /** A flag as written in a spec ("login", "NOCREATEDB", "createdb"), with its sign. */
    public record Setting(RoleFlag flag, boolean on) {
    }

    public static Optional<Setting> parse(String text) {
        String upper = text.trim().toUpperCase(Locale.ROOT);
        for (RoleFlag flag : values()) {
            if (upper.equals(flag.name())) {
                return Optional.of(new Setting(flag, true));
            }
            if (upper.equals("NO" + flag.name())) {
                return Optional.of(new Setting(flag, false));
            }
        }
        return Optional.empty();
    }
}

package dev.pgo.sql;

/**
 * The one place SQL identifiers and literals are quoted. Every name or value that reaches SQL text
 * goes through here, so a role called {@code x"; DROP TABLE t; --} stays a name.
 */
public final class SqlQuote {
    private SqlQuote() {
    }

    /** A double-quoted identifier: {@code my"role} becomes {@code "my""role"}. */
    public static String identifier(String name) {
        requireNoNul(name);
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * A string literal for a server with standard_conforming_strings on (the default since 9.1):
     * single quotes doubled, backslashes kept as they are.
     */
    public static String literal(String value) {
        requireNoNul(value);
        return '\'' + value.replace("'", "''") + '\'';
    }

    private static void requireNoNul(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SQL text cannot contain a NUL character");
        }
    }
}

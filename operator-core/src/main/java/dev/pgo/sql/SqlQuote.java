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

    /**
     * An anonymous PL/pgSQL block, dollar-quoted with a tag its body does not contain, so quoted
     * names inside the body cannot end the block early.
     */
    public static String doBlock(String body) {
        requireNoNul(body);
        String tag = "$pgo$";
        for (int n = 1; body.contains(tag); n++) {
            tag = "$pgo" + n + "$";
        }
        return "DO " + tag + body + tag;
    }

    private static void requireNoNul(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SQL text cannot contain a NUL character");
        }
    }
}

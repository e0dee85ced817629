package dev.pgo.sql;

/** libpq connection strings (key=value pairs): the one place their values are quoted. */
public final class Conninfo {
    private Conninfo() {
    }

    /** A conninfo value: bare when it is a plain word or path, else single-quoted with \ and ' escaped. */
    public static String value(String value) {
        if (value.matches("[A-Za-z0-9_./-]+")) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}

package dev.pgo.platform.local;

import dev.pgo.sql.Credentials;

/** libpq password files (PGPASSFILE): how pgo hands a password to a program without its arguments or environment. */
final class Passfiles {
    private Passfiles() {
    }

    /** A line that matches any host, port and database for the credentials' user. */
    static String anyHost(Credentials credentials) {
        return "*:*:*:" + escape(credentials.username()) + ":" + escape(credentials.password()) + "\n";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }
}

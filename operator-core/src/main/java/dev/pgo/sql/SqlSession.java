package dev.pgo.sql;

import dev.pgo.PgoException;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs pgo's SQL on a primary. Passwords are sent as SCRAM verifiers computed on the client
 * (pgjdbc's alterUserPassword), so a clear-text password never appears in SQL text or server logs.
 */
public final class SqlSession {
    private final Connection connection;
    private final String where;

    public SqlSession(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    public void execute(String sql) {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new PgoException("SQL on " + where + " failed: " + firstWords(sql) + ": " + SqlErrors.describe(e),
                    null, e);
        }
    }

    public void setPassword(String role, String password) {
        try {
            connection.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new PgoException("setting the password of role " + role + " on " + where + " failed: "
                    + SqlErrors.describe(e), null, e);
        }
    }

    /** The statement's leading words (the verb and object), never values such as passwords. */
    private static String firstWords(String sql) {
        String[] words = sql.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(3, words.length)));
    }
}

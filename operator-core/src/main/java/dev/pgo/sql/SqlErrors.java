package dev.pgo.sql;

import java.sql.SQLException;

/** Short, password-free descriptions of JDBC errors for messages shown to users. */
public final class SqlErrors {
    private SqlErrors() {
    }

    /** The innermost cause's message: "Connection refused" rather than a pool's whole story. */
    public static String rootMessage(Throwable e) {
        Throwable root = root(e);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    public static String describe(SQLException e) {
        Throwable root = root(e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + " (" + root.getMessage() + ")";
        }
        return e.getSQLState() == null ? message : message + " [SQLSTATE " + e.getSQLState() + "]";
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}

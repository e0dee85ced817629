package dev.pgo.sql;

import org.postgresql.util.PasswordUtil;

import java.util.List;

/**
 * The statements that give a restored cluster's roles the new cluster's passwords, for a server
 * in single-user mode (no connection, so no password needed). A backup holds the source's
 * passwords; these replace them with SCRAM verifiers computed here, so no password in clear
 * reaches the server, its log or a process list. A role the backup does not have is skipped.
 */
public final class PasswordReset {
    private PasswordReset() {
    }

    public static String singleUserSql(List<Credentials> logins) {
        var sql = new StringBuilder();
        for (Credentials login : logins) {
            String verifier = PasswordUtil.encodeScramSha256(login.password().toCharArray());
            // single-user mode ends a statement at a newline, so each is one line
            sql.append(SqlQuote.doBlock("BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = "
                    + SqlQuote.literal(login.username()) + ") THEN ALTER ROLE " + SqlQuote.identifier(login.username())
                    + " PASSWORD " + SqlQuote.literal(verifier) + "; END IF; END")).append(";\n");
        }
        return sql.toString();
    }
}

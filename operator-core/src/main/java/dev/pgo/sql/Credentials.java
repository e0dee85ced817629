package dev.pgo.sql;

/** A role's user name and password. toString never shows the password. */
public record Credentials(String username, String password) {
    @Override
    public String toString() {
        return "Credentials[" + username + ", password hidden]";
    }
}

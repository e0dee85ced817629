package dev.pgo.sql;

/** Where one PostgreSQL instance listens. */
public record Endpoint(String host, int port) {
    @Override
    public String toString() {
        return host + ":" + port;
    }
}

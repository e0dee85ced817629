package dev.pgo.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pgo.PgoException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HikariCP pools, one per (endpoint, database, user), kept small and lazy: pgo talks to many
 * instances a little rather than to one a lot. A pool never blocks creation on a down server.
 */
public final class ConnectionPools implements AutoCloseable {
    /** The longest pgo waits for any answer; a CHECKPOINT or a promotion may take a while. */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(120);

    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final Duration connectTimeout;

    public ConnectionPools(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** A connection with autocommit on, from the pool for this endpoint, database and user. */
    public Connection connect(Endpoint endpoint, String database, Credentials credentials) {
        // the authority is part of the key: a cluster that turned TLS on or off needs new connections
        String key = endpoint + "/" + database + "/" + credentials.username() + "/" + endpoint.rootCertificate();
        HikariDataSource pool = pools.computeIfAbsent(key, k -> newPool(endpoint, database, credentials));
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new PgoException("cannot connect to " + endpoint + " as " + credentials.username()
                    + ": " + SqlErrors.rootMessage(e), "is the instance running? pgo show cluster tells", e);
        }
    }

    /** Work done on one connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Runs work on a pooled connection. When the server behind the pool restarted, the pooled
     * connections are dead and the first use fails; the pool is then dropped and the work runs
     * once more on a fresh connection.
     */
    public <T> T withConnection(Endpoint endpoint, String database, Credentials credentials, SqlWork<T> work)
            throws SQLException {
        try (Connection connection = connect(endpoint, database, credentials)) {
            return work.apply(connection);
        } catch (SQLException first) {
            if (!connectionLost(first) || timedOut(first)) {
                throw first; // a server that does not answer would only make a second try wait as long
            }
            forget(endpoint);
            try (Connection connection = connect(endpoint, database, credentials)) {
                return work.apply(connection);
            }
        }
    }

    /**
     * Runs a health question on a pooled connection, giving up when the server does not answer
     * within the connect timeout: a server that hangs (stopped, or its machine gone with the
     * TCP connection still open) counts as not answering instead of holding pgo up for the
     * socket timeout. Only for quick questions: a slow answer counts as none.
     */
    public <T> T probe(Endpoint endpoint, String database, Credentials credentials, SqlWork<T> work)
            throws SQLException {
        int timeout = (int) Math.max(250, connectTimeout.toMillis());
        return withConnection(endpoint, database, credentials, connection -> {
            // the pool sets the connection's own timeout again when it is returned
            connection.setNetworkTimeout(Runnable::run, timeout);
            return work.apply(connection);
        });
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** SQLSTATE class 08 (connection exception) or 57P0x (the server shut down or is starting). */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * Whether a failure to reach a server means it is gone (refused, timed out, shutting down)
     * rather than that it answered with an error: a server that refuses a login is running.
     */
    public static boolean serverLost(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                return connectionLost(sql);
            }
        }
        return true;
    }

    /**
     * Drops the pool for an endpoint, e.g. after its server was stopped or its password changed.
     * The pool closes in the background: closing waits for connection attempts under way, which
     * to a server that hangs take up to the connect timeout, and nobody needs to wait for that.
     */
    public void forget(Endpoint endpoint) {
        pools.entrySet().removeIf(entry -> {
            if (entry.getKey().startsWith(endpoint + "/")) {
                HikariDataSource pool = entry.getValue();
                Thread.ofVirtual().name("pgo-pool-close").start(pool::close);
                return true;
            }
            return false;
        });
    }

    private HikariDataSource newPool(Endpoint endpoint, String database, Credentials credentials) {
        var config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/" + database);
        config.setUsername(credentials.username());
        config.setPassword(credentials.password());
        config.setPoolName("pgo-" + endpoint.port() + "-" + database);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        config.setIdleTimeout(30_000);
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        // What pgo itself writes (roles, slots, passwords) must not wait for a synchronous
        // standby: the first replica is cloned only after those exist, and a reconcile redoes
        // whatever a failover lost.
        config.addDataSourceProperty("options", "-c synchronous_commit=local");
        // Strings: the driver reads its properties with Properties.getProperty, which ignores
        // any other type, and the timeouts would silently be the driver's defaults (no socket
        // timeout at all).
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
        // the whole login, not only the TCP connect: a server that hangs accepts the connection
        config.addDataSourceProperty("loginTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
        config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("ApplicationName", "pgo");
        if (endpoint.tls()) {
            // verify-ca, as for pgo's other programs (Endpoint#libpqEnvironment says why)
            config.addDataSourceProperty("sslmode", "verify-ca");
            config.addDataSourceProperty("sslrootcert", endpoint.rootCertificate().toString());
        } else {
            config.addDataSourceProperty("sslmode", "disable");
        }
        return new HikariDataSource(config);
    }

    /** Closes every pool, all at once: each waits for its own threads and connections to end. */
    @Override
    public void close() {
        // platform threads: see Observer#askAll on virtual threads and sockets at exit
        try (var closing = java.util.concurrent.Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("pgo-pool-close-", 0).daemon().factory())) {
            pools.values().forEach(pool -> closing.submit(pool::close));
        }
        pools.clear();
    }
}

package dev.pgo.testing;

import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.sql.Credentials;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * A table of ids a client writes through a cluster's connection string, as an application
 * would, and what each instance holds of it afterwards: how tests prove no commit was lost.
 */
public final class Ledger {
    private final Supplier<Credentials> superuser;

    public Ledger(Supplier<Credentials> superuser) {
        this.superuser = superuser;
    }

    /** A JDBC connection from a libpq-style URL as pgo shows it; a read-write one goes to whichever host is primary. */
    public Connection connect(String url) throws SQLException {
        String jdbc = "jdbc:" + url.replace("target_session_attrs=read-write", "targetServerType=primary");
        jdbc += (jdbc.contains("?") ? "&" : "?") + "sslmode=disable&connectTimeout=2&socketTimeout=10";
        Credentials su = superuser.get();
        return DriverManager.getConnection(jdbc, su.username(), su.password());
    }

    public static String url(InstanceStatus instance) {
        return "postgresql://" + instance.getHost() + ":" + instance.getPort() + "/postgres";
    }

    public void create(String url) throws SQLException {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ledger (id int PRIMARY KEY)");
        }
    }

    /** The ids the instance at {@code url} holds; empty when it cannot be read. */
    public Set<Integer> ids(String url) {
        try (Connection c = connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM ledger")) {
            var ids = new HashSet<Integer>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            return ids;
        } catch (SQLException e) {
            return Set.of();
        }
    }

    /** Whether the server at {@code url} answers as a primary (false also when it does not answer). */
    public boolean isPrimary(String url) {
        try (Connection c = connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Whether the server at {@code url} is a standby that streams WAL from a primary. */
    public boolean streams(String url) {
        try (Connection c = connect(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status FROM pg_stat_wal_receiver")) {
            return rs.next() && "streaming".equals(rs.getString(1));
        } catch (SQLException e) {
            return false;
        }
    }

    public Writer startWriter(String url) {
        return new Writer(url);
    }

    /**
     * Inserts one row after another, every 10 ms, reconnecting after any error; an id counts as
     * acknowledged only when its commit returned success. A commit whose outcome is unknown is
     * never retried with the same id.
     */
    public final class Writer implements AutoCloseable {
        private final ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile boolean running = true;

        private Writer(String url) {
            thread = Thread.ofPlatform().name("ledger-writer").start(() -> {
                int next = 1;
                while (running) {
                    try (Connection c = connect(url); Statement st = c.createStatement()) {
                        while (running) {
                            int id = next++;
                            st.execute("INSERT INTO ledger VALUES (" + id + ")");
                            acknowledged.add(id);
                            Thread.sleep(10);
                        }
                    } catch (SQLException e) {
                        pause(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        public List<Integer> acknowledged() {
            return List.copyOf(acknowledged);
        }

        public int count() {
            return acknowledged.size();
        }

        public void stop() throws InterruptedException {
            running = false;
            thread.join(Duration.ofSeconds(30));
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The acknowledged ids missing from {@code committed}. */
    public static List<Integer> lost(List<Integer> acknowledged, Set<Integer> committed) {
        return acknowledged.stream().filter(id -> !committed.contains(id)).toList();
    }
}

package dev.pgo.platform.local;

import dev.pgo.postgres.PodScripts;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.process.Command;
import dev.pgo.process.ProcessRunner;
import dev.pgo.process.Processes;
import dev.pgo.process.ServerUser;
import dev.pgo.sql.SqlQuote;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bootstrap script Kubernetes pods run, run here for real: it initialises a primary, clones
 * a replica that streams from it, and on a restart of existing data starts in the role the
 * configuration names without cloning again.
 */
class BootstrapScriptTest {
    private static final String SUPERUSER_PASSWORD = "boot-superuser-secret";
    private static final String REPLICATION_PASSWORD = "boot-replication-secret";

    private final ServerUser serverUser = ServerUser.detect();
    private final ProcessRunner runner = new ProcessRunner(serverUser);
    private final List<Long> servers = new ArrayList<>();
    private Path root;
    private LocalHome home;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("pgo-bootstrap-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        home = new LocalHome(root, serverUser);
        Path config = root.resolve("config");
        Files.createDirectory(config);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(config.resolve("pgo.conf"), ServerConfig.renderShared(Clusters.spec("boot", 2).getSpec(), "boot", null, null));
        Files.writeString(config.resolve("pg_hba.conf"), ServerConfig.hba("standby", List.of("127.0.0.1/32"), false));
        Files.writeString(config.resolve(PodScripts.PRIMARY_FILE), "boot-0\n");
        Files.writeString(config.resolve(PodScripts.BOOTSTRAP), PodScripts.text(PodScripts.BOOTSTRAP));
        for (Path file : List.of("pgo.conf", "pg_hba.conf", "primary", PodScripts.BOOTSTRAP).stream()
                .map(config::resolve).toList()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @AfterEach
    void tearDown() {
        for (long pid : servers) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        LocalHome.deleteTree(root);
    }

    private long runScript(String instance, int port, int primaryPort) throws IOException {
        return runScript(instance, port, primaryPort, Map.of());
    }

    private long runScript(String instance, int port, int primaryPort, Map<String, String> extra) throws IOException {
        Path volume = root.resolve(instance);
        home.makeServerDir(volume);
        var env = new HashMap<String, String>();
        env.put("PATH", new PgBinaries(runner).installed().lastEntry().getValue() + ":" + System.getenv("PATH"));
        env.put("PGDATA", volume.resolve("pgdata").toString());
        env.put("POD_NAME", instance);
        env.put("PGO_CONFIG_DIR", root.resolve("config").toString());
        env.put("PGO_RW_HOST", "127.0.0.1");
        env.put("PGO_RW_PORT", String.valueOf(primaryPort));
        env.put("PGO_SUPERUSER_PASSWORD", SUPERUSER_PASSWORD);
        env.put("PGO_REPLICATION_PASSWORD", REPLICATION_PASSWORD);
        env.put("PGO_LISTEN", "127.0.0.1");
        env.put("PGO_PORT", String.valueOf(port));
        env.putAll(extra);
        Path log = root.resolve(instance + ".log");
        Files.deleteIfExists(log);
        long pid = runner.spawnDetached(Command.asServer("bootstrap " + instance,
                List.of("bash", root.resolve("config").resolve(PodScripts.BOOTSTRAP).toString())).withEnv(env), log);
        servers.add(pid);
        return pid;
    }

    private Connection awaitServer(int port, String scriptLog) throws Exception {
        return awaitServer(port, scriptLog, "sslmode=disable");
    }

    private Connection awaitServer(int port, String scriptLog, String ssl) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?" + ssl,
                        "postgres", SUPERUSER_PASSWORD);
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        fail("no server on port " + port + ": " + last + "\n" + Files.readString(root.resolve(scriptLog)));
        return null;
    }

    @Test
    void initialisesAPrimaryClonesAReplicaAndRestartsExistingDataInItsRole() throws Exception {
        int primaryPort = FreePorts.next();
        int replicaPort = FreePorts.next();
        runScript("boot-0", primaryPort, primaryPort);
        try (Connection primary = awaitServer(primaryPort, "boot-0.log"); Statement st = primary.createStatement()) {
            // What the operator does before a replica can clone: the replication role and its slot.
            st.execute("CREATE ROLE standby LOGIN REPLICATION");
            primary.unwrap(PGConnection.class).alterUserPassword("standby", REPLICATION_PASSWORD.toCharArray(),
                    "scram-sha-256");
            st.execute("SELECT pg_create_physical_replication_slot(" + SqlQuote.literal("boot_1") + ")");
            st.execute("CREATE TABLE marker AS SELECT 'from the primary'::text AS note");
            ResultSet rs = st.executeQuery("SELECT current_setting('cluster_name'), pg_is_in_recovery()");
            rs.next();
            assertEquals("boot-0", rs.getString(1));
            assertFalse(rs.getBoolean(2));
        }

        long replicaPid = runScript("boot-1", replicaPort, primaryPort);
        try (Connection replica = awaitServer(replicaPort, "boot-1.log"); Statement st = replica.createStatement()) {
            assertEquals("from the primary", awaitNote(st));
            ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), (SELECT status FROM pg_stat_wal_receiver)");
            rs.next();
            assertTrue(rs.getBoolean(1), "the clone is a standby");
            assertEquals("streaming", rs.getString(2));
        }
        assertTrue(Files.readString(root.resolve("boot-1.log")).contains("cloning boot-1 from 127.0.0.1"));

        ProcessHandle.of(replicaPid).orElseThrow().destroy();
        awaitExit(replicaPid);
        runScript("boot-1", replicaPort, primaryPort);
        try (Connection replica = awaitServer(replicaPort, "boot-1.log"); Statement st = replica.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()");
            rs.next();
            assertTrue(rs.getBoolean(1), "existing data starts again as a standby");
        }
        String log = Files.readString(root.resolve("boot-1.log"));
        assertFalse(log.contains("cloning"), "existing data is not cloned again:\n" + log);
        assertTrue(log.contains("starting boot-1 as replica"), log);
        assertFalse(log.contains(REPLICATION_PASSWORD), "the script never prints a password");
        long serverPid = servers.getLast();
        String environment = Files.readString(Path.of("/proc", String.valueOf(serverPid), "environ"));
        assertFalse(environment.contains(SUPERUSER_PASSWORD) || environment.contains(REPLICATION_PASSWORD),
                "the running server keeps no password in its environment");
    }

    /**
     * spec.tls as a pod has it: the Secret's files owned by root and the pod's group, 0640 (as
     * the kubelet mounts them with fsGroup), PGSSLMODE and PGSSLROOTCERT in the environment.
     * The server accepts the key, refuses plain connections, and the clone streams over TLS.
     */
    @Test
    void withTlsTheReplicaClonesAndStreamsOverTlsFromFilesMountedAsKubernetesMountsThem() throws Exception {
        var authority = dev.pgo.tls.ClusterCertificates.authority("boot", java.time.Instant.now());
        var server = dev.pgo.tls.ClusterCertificates.server(authority, "boot", List.of("127.0.0.1"),
                java.time.Instant.now());
        Path tls = Files.createDirectory(root.resolve("tls"));
        Files.setPosixFilePermissions(tls, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (var file : Map.of("tls.crt", server.certificatePem(), "tls.key", server.keyPem(),
                "ca.crt", authority.certificatePem()).entrySet()) {
            Path path = tls.resolve(file.getKey());
            Files.writeString(path, file.getValue());
            if (serverUser.switchNeeded()) {
                Files.setAttribute(path, "unix:gid", serverUser.gid());
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r-----"));
            } else {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            }
        }
        Path config = root.resolve("config");
        Files.writeString(config.resolve("pgo.conf"), ServerConfig.renderShared(Clusters.spec("boot", 2).getSpec(),
                "boot", null, new ServerConfig.ServerTls(tls.resolve("tls.crt").toString(),
                        tls.resolve("tls.key").toString())));
        Files.writeString(config.resolve("pg_hba.conf"), ServerConfig.hba("standby", List.of("127.0.0.1/32"), true));
        // the libpq settings a TLS cluster's pods get, with the Secret's mount here
        var tlsCluster = Clusters.spec("boot", 2);
        tlsCluster.getSpec().setTls(new dev.pgo.api.v1.TlsSpec());
        tlsCluster.getMetadata().setNamespace("db");
        var sslEnv = new HashMap<String, String>();
        dev.pgo.platform.kubernetes.ClusterObjects.statefulSet(tlsCluster,
                        dev.pgo.platform.kubernetes.OperatorConfig.DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().startsWith("PGSSL"))
                .forEach(e -> sslEnv.put(e.getName(), e.getValue().replace("/etc/pgo-tls", tls.toString())));
        assertEquals(Set.of("PGSSLMODE", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY"), sslEnv.keySet());
        String verified = "sslmode=verify-full&sslrootcert=" + tls.resolve("ca.crt");

        int primaryPort = FreePorts.next();
        int replicaPort = FreePorts.next();
        runScript("boot-0", primaryPort, primaryPort, sslEnv);
        try (Connection primary = awaitServer(primaryPort, "boot-0.log", verified);
             Statement st = primary.createStatement()) {
            st.execute("CREATE ROLE standby LOGIN REPLICATION");
            primary.unwrap(PGConnection.class).alterUserPassword("standby", REPLICATION_PASSWORD.toCharArray(),
                    "scram-sha-256");
            st.execute("SELECT pg_create_physical_replication_slot(" + SqlQuote.literal("boot_1") + ")");
            st.execute("CREATE TABLE marker AS SELECT 'over tls'::text AS note");
        }
        try {
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres?sslmode=disable",
                    "postgres", SUPERUSER_PASSWORD).close();
            fail("a plain connection was let in");
        } catch (SQLException e) {
            assertTrue(e.getMessage().contains("no encryption"), e.getMessage());
        }

        runScript("boot-1", replicaPort, primaryPort, sslEnv);
        try (Connection replica = awaitServer(replicaPort, "boot-1.log", verified);
             Statement st = replica.createStatement()) {
            assertEquals("over tls", awaitNote(st));
        }
        try (Connection primary = awaitServer(primaryPort, "boot-0.log", verified);
             Statement st = primary.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT s.ssl FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid)");
            assertTrue(rs.next(), "the replica streams");
            assertTrue(rs.getBoolean(1), "over TLS");
        }
    }

    private static String awaitNote(Statement st) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ResultSet rs = st.executeQuery("SELECT note FROM marker");
                if (rs.next()) {
                    return rs.getString(1);
                }
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static void awaitExit(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Processes.isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                fail("server " + pid + " did not stop");
            }
            Thread.sleep(50);
        }
    }
}

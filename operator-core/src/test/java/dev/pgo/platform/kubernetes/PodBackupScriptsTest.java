package dev.pgo.platform.kubernetes;

import dev.pgo.backup.BackupCatalog;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupStatus;
import dev.pgo.backup.RestorePoint;
import dev.pgo.platform.local.LocalHome;
import dev.pgo.platform.local.PgBinaries;
import dev.pgo.postgres.PodScripts;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.process.Command;
import dev.pgo.process.ProcessRunner;
import dev.pgo.process.ServerUser;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.PasswordReset;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scripts of the backup and restore Jobs, run here as their pods would run them, against a
 * real primary that the bootstrap script started with the shared settings of a Kubernetes pod
 * (archiving WAL into the backup volume): a backup Job's outcome, a point-in-time restore Job,
 * the restored primary starting as a pod with the new cluster's passwords, and deletion.
 */
class PodBackupScriptsTest {
    private static final String SUPERUSER_PASSWORD = "pod-superuser-secret";
    private static final String REPLICATION_PASSWORD = "pod-replication:secret\\";
    private static final String ID = "2026-01-31-02-00-00";

    private final ServerUser serverUser = ServerUser.detect();
    private final ProcessRunner runner = new ProcessRunner(serverUser);
    private final List<Long> servers = new ArrayList<>();
    private Path root;
    private LocalHome home;
    private Path bindir;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("pgo-pod-backup-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        home = new LocalHome(root, serverUser);
        bindir = new PgBinaries(runner).installed().lastEntry().getValue();
        home.makeServerDir(root.resolve("backups"));
        home.makeServerDir(root.resolve("out"));
    }

    @AfterEach
    void tearDown() {
        for (long pid : servers) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        LocalHome.deleteTree(root);
    }

    private Path repository() {
        return root.resolve("backups").resolve("src-backups");
    }

    /** A pod's configuration directory, as the cluster's ConfigMap fills it. */
    private Path config(String primary) throws IOException {
        Path dir = root.resolve("config-" + primary);
        home.makeServerDir(dir);
        Files.writeString(dir.resolve("pgo.conf"), ServerConfig.renderShared(Clusters.spec("src", 1).getSpec(), "src",
                repository().resolve("wal").toString(), null));
        Files.writeString(dir.resolve("pg_hba.conf"), ServerConfig.hba("standby", List.of("127.0.0.1/32"), false));
        Files.writeString(dir.resolve(PodScripts.PRIMARY_FILE), primary + "\n");
        Files.writeString(dir.resolve(PodScripts.BOOTSTRAP), PodScripts.text(PodScripts.BOOTSTRAP));
        return dir;
    }

    private Map<String, String> env(Map<String, String> more) {
        var env = new HashMap<String, String>();
        env.put("PATH", bindir + ":" + System.getenv("PATH"));
        env.putAll(more);
        return env;
    }

    private void startPod(String pod, Path config, int port) throws IOException {
        Path volume = root.resolve(pod);
        if (!Files.exists(volume)) {
            home.makeServerDir(volume);
        }
        servers.add(runner.spawnDetached(Command.asServer("pod " + pod, List.of("bash",
                config.resolve(PodScripts.BOOTSTRAP).toString())).withEnv(env(Map.of(
                "PGDATA", volume.resolve("pgdata").toString(), "POD_NAME", pod,
                "PGO_CONFIG_DIR", config.toString(), "PGO_RW_HOST", "127.0.0.1", "PGO_RW_PORT", String.valueOf(port),
                "PGO_SUPERUSER_PASSWORD", SUPERUSER_PASSWORD, "PGO_REPLICATION_PASSWORD", REPLICATION_PASSWORD,
                "PGO_LISTEN", "127.0.0.1", "PGO_PORT", String.valueOf(port)))), root.resolve(pod + ".log")));
    }

    /** Starts dst-0 as the pod of a restored primary (its ConfigMap says it was restored); returns its port. */
    private int startRestoredPod() throws IOException {
        int port = FreePorts.next();
        Path config = config("dst-0");
        Files.writeString(config.resolve(PodScripts.RESTORE_FILE), "src\n");
        startPod("dst-0", config, port);
        return port;
    }

    /** Runs a Job's script to its end; returns its exit code and what it wrote as its termination message. */
    private JobRun.Outcome job(String script, Map<String, String> env) throws IOException {
        Path result = root.resolve("out").resolve("termination-log");
        Files.deleteIfExists(result); // each Job has its own
        var all = new HashMap<>(env);
        all.put("PGO_RESULT_FILE", result.toString());
        var run = runner.runAllowingFailure(Command.asServer(script, List.of("bash", "-c", PodScripts.text(script),
                script)).withEnv(env(all)).withTimeout(Duration.ofMinutes(3)));
        String message = Files.exists(result) ? Files.readString(result) : run.stderr();
        return new JobRun.Outcome(run.exitCode() == 0, JobRun.parse(message));
    }

    private static Connection connect(int port, String password) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable",
                        "postgres", password);
            } catch (SQLException e) {
                last = e;
                if ("28P01".equals(e.getSQLState())) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        fail("no server on port " + port + ": " + last);
        return null;
    }

    private static String query(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aBackupJobRecordsItsOutcomeAndARestoreJobReplaysToTheNotedTimeWithTheNewPasswords() throws Exception {
        int sourcePort = FreePorts.next();
        startPod("src-0", config("src-0"), sourcePort);
        String noted;
        try (Connection c = connect(sourcePort, SUPERUSER_PASSWORD); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE standby LOGIN REPLICATION");
            c.unwrap(PGConnection.class).alterUserPassword("standby", REPLICATION_PASSWORD.toCharArray(), "scram-sha-256");
            st.execute("CREATE TABLE t (id int PRIMARY KEY)");
            st.execute("INSERT INTO t SELECT generate_series(1, 100)");

            JobRun.Outcome backup = job(PodScripts.BACKUP, Map.of("PGO_REPOSITORY", repository().toString(),
                    "PGO_BACKUP_ID", ID, "PGO_RW_HOST", "127.0.0.1", "PGO_RW_PORT", String.valueOf(sourcePort),
                    "PGO_REPLICATION_PASSWORD", REPLICATION_PASSWORD));
            assertTrue(backup.succeeded(), "the backup Job succeeds: " + backup.result());
            BackupEntry entry = KubernetesBackupCatalog.settle(BackupEntry.starting(ID, "src", "src-0", 15,
                    Instant.now()), backup);
            assertEquals(BackupStatus.Verified, entry.status(), entry.toString());
            assertTrue(entry.sizeBytes() > 1_000_000, "the backup has the data: " + entry.sizeBytes());
            assertTrue(entry.startLsn().matches("[0-9A-F]+/[0-9A-F]+") && entry.timeline() == 1, entry.toString());
            assertTrue(Files.exists(repository().resolve(ID).resolve("base.tar.gz")));
            assertFalse(Files.readString(repository().resolve(ID).resolve("backup.result")).contains("secret"));

            st.execute("INSERT INTO t SELECT generate_series(101, 200)");
            noted = query(st, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
            Thread.sleep(1100);
            st.execute("INSERT INTO t SELECT generate_series(201, 300)");
            String segment = query(st, "SELECT pg_walfile_name(pg_switch_wal())");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(repository().resolve("wal").resolve(segment)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(repository().resolve("wal").resolve(segment)), "the pod archives WAL into the volume");
        }

        Path restoreDir = root.resolve("restore-inputs");
        home.makeServerDir(restoreDir);
        BackupEntry backup = BackupEntry.starting(ID, "src", "src-0", 15, Instant.parse(noted).minusSeconds(10))
                .completed(Instant.parse(noted).minusSeconds(5), "0/0", "0/0", 1, 0).withStatus(BackupStatus.Verified, null);
        var point = new RestorePoint(archive(), backup, RestorePoint.Target.TIME, Instant.parse(noted));
        Files.writeString(restoreDir.resolve(BackupObjects.RECOVERY_FILE), ServerConfig.settingsText(
                point.recoverySettings(ServerConfig.restoreCommand(repository().resolve("wal").toString()))));
        String newPassword = "restored-superuser-secret";
        Files.writeString(restoreDir.resolve(BackupObjects.PASSWORDS_FILE), PasswordReset.singleUserSql(List.of(
                new Credentials("postgres", newPassword), new Credentials("standby", "restored-standby-secret"),
                new Credentials("nobody", "not-in-the-backup"))));
        home.makeServerDir(root.resolve("dst-0"));
        Path pgdata = root.resolve("dst-0").resolve("pgdata");
        JobRun.Outcome restore = job(PodScripts.RESTORE, Map.of("PGDATA", pgdata.toString(),
                "PGO_BACKUP_DIR", repository().resolve(ID).toString(), "PGO_RESTORE_DIR", restoreDir.toString(),
                "PGO_LISTEN", "127.0.0.1", "PGO_PORT", String.valueOf(FreePorts.next())));
        assertTrue(restore.succeeded(), "the restore Job succeeds: " + restore.result());
        assertTrue(Files.exists(root.resolve("dst-0").resolve("bootstrapped")), "the volume is marked as a primary's");

        int restoredPort = startRestoredPod();
        try (Connection c = connect(restoredPort, newPassword); Statement st = c.createStatement()) {
            assertEquals("200", query(st, "SELECT count(*) FROM t"), "exactly the rows committed before the noted time");
            assertEquals("f", query(st, "SELECT pg_is_in_recovery()"));
            assertEquals("dst-0", query(st, "SELECT current_setting('cluster_name')"));
        }
        assertThrows(SQLException.class, () -> connect(restoredPort, SUPERUSER_PASSWORD).close(),
                "the source's password no longer logs in");
    }

    @Test
    void aLogicalBackupJobDumpsEachDatabaseAndARestoreJobRestoresThemIntoANewPrimary() throws Exception {
        int sourcePort = FreePorts.next();
        startPod("src-0", config("src-0"), sourcePort);
        try (Connection c = connect(sourcePort, SUPERUSER_PASSWORD); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE standby LOGIN REPLICATION");
            c.unwrap(PGConnection.class).alterUserPassword("standby", REPLICATION_PASSWORD.toCharArray(), "scram-sha-256");
            st.execute("CREATE ROLE app NOLOGIN");
            st.execute("CREATE ROLE \"odd\nreader\" NOLOGIN");
            st.execute("CREATE DATABASE \"app db\" OWNER app");
            st.execute("CREATE TABLE kept (id int)");
            st.execute("INSERT INTO kept VALUES (1)");
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + sourcePort
                + "/app%20db?sslmode=disable", "postgres", SUPERUSER_PASSWORD); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int PRIMARY KEY)");
            st.execute("ALTER TABLE t OWNER TO app");
            st.execute("INSERT INTO t SELECT generate_series(1, 300)");
            st.execute("GRANT SELECT ON t TO \"odd\nreader\"");
        }

        JobRun.Outcome backup = job(PodScripts.BACKUP, Map.of("PGO_REPOSITORY", repository().toString(),
                "PGO_BACKUP_ID", ID, "PGO_TYPE", BackupEntry.TYPE_LOGICAL, "PGO_RW_HOST", "127.0.0.1",
                "PGO_RW_PORT", String.valueOf(sourcePort), "PGO_REPLICATION_PASSWORD", REPLICATION_PASSWORD,
                "PGO_SUPERUSER_PASSWORD", SUPERUSER_PASSWORD));
        assertTrue(backup.succeeded(), "the logical backup Job succeeds: " + backup.result());
        BackupEntry entry = KubernetesBackupCatalog.settle(BackupEntry.starting(ID, "src", BackupEntry.TYPE_LOGICAL,
                "src-0", 15, Instant.now()), backup);
        assertEquals(BackupStatus.Verified, entry.status(), entry.toString());
        assertTrue(entry.logical() && entry.sizeBytes() > 0 && entry.startLsn() == null, entry.toString());
        Path dir = repository().resolve(ID);
        assertEquals(List.of("db-1.dump", "db-2.dump"), Files.readAllLines(dir.resolve("SHA256SUMS")).stream()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList(), "app db, then postgres");

        Path restoreDir = root.resolve("restore-inputs");
        home.makeServerDir(restoreDir);
        Files.writeString(restoreDir.resolve(BackupObjects.RECOVERY_FILE), "");
        String newPassword = "restored-superuser-secret";
        Files.writeString(restoreDir.resolve(BackupObjects.PASSWORDS_FILE), PasswordReset.singleUserSql(List.of(
                new Credentials("postgres", newPassword), new Credentials("standby", "restored-standby-secret"))));
        home.makeServerDir(root.resolve("dst-0"));
        JobRun.Outcome restore = job(PodScripts.RESTORE, Map.of("PGDATA", root.resolve("dst-0/pgdata").toString(),
                "PGO_BACKUP_DIR", dir.toString(), "PGO_RESTORE_DIR", restoreDir.toString()));
        assertTrue(restore.succeeded(), "the restore Job succeeds: " + restore.result());
        assertTrue(Files.exists(root.resolve("dst-0").resolve("bootstrapped")));

        int restoredPort = startRestoredPod();
        try (Connection c = connect(restoredPort, newPassword); Statement st = c.createStatement()) {
            assertEquals("1", query(st, "SELECT count(*) FROM kept"), "the postgres database");
            assertEquals("app", query(st, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'app db'"));
            assertEquals("f", query(st, "SELECT rolcanlogin FROM pg_roles WHERE rolname = E'odd\\nreader'"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + restoredPort
                + "/app%20db?sslmode=disable", "postgres", newPassword); Statement st = c.createStatement()) {
            assertEquals("300", query(st, "SELECT count(*) FROM t"));
            assertEquals("t", query(st, "SELECT has_table_privilege(E'odd\\nreader', 't', 'SELECT')"));
        }

        try (var damaged = new java.io.RandomAccessFile(dir.resolve("db-1.dump").toFile(), "rw")) {
            damaged.seek(damaged.length() - 1);
            int b = damaged.read();
            damaged.seek(damaged.length() - 1);
            damaged.write(~b);
        }
        JobRun.Outcome verify = job(PodScripts.BACKUP, Map.of("PGO_REPOSITORY", repository().toString(),
                "PGO_VERIFY", ID));
        assertFalse(verify.succeeded());
        assertTrue(verify.error() != null && verify.error().startsWith("verification failed"), verify.result().toString());
    }

    @Test
    void aRestoreJobRefusesADamagedBackupAndAPrimaryWaitingForARestoreNeverRunsInitdb() throws Exception {
        Path backupDir = repository().resolve(ID);
        home.makeServerDir(repository());
        home.makeServerDir(backupDir);
        Files.writeString(backupDir.resolve("base.tar.gz"), "not a tar file");
        Files.writeString(backupDir.resolve("pg_wal.tar"), "");
        Path restoreDir = root.resolve("restore-inputs");
        home.makeServerDir(restoreDir);
        Files.writeString(restoreDir.resolve(BackupObjects.RECOVERY_FILE), "");
        Files.writeString(restoreDir.resolve(BackupObjects.PASSWORDS_FILE), "");
        home.makeServerDir(root.resolve("dst-0"));
        JobRun.Outcome restore = job(PodScripts.RESTORE, Map.of("PGDATA", root.resolve("dst-0/pgdata").toString(),
                "PGO_BACKUP_DIR", backupDir.toString(), "PGO_RESTORE_DIR", restoreDir.toString()));
        assertFalse(restore.succeeded());
        assertTrue(restore.error().contains("is damaged"), restore.result().toString());
        assertFalse(Files.exists(root.resolve("dst-0/bootstrapped")));

        Path config = config("dst-0");
        Files.writeString(config.resolve(PodScripts.RESTORE_FILE), "src\n");
        startPod("dst-0", config, FreePorts.next());
        long pid = servers.getLast();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String log = Files.readString(root.resolve("dst-0.log"));
        assertTrue(log.contains("waits for its restore"), log);
        assertFalse(Files.exists(root.resolve("dst-0/pgdata/PG_VERSION")), "no initdb over a pending restore");
    }

    /** A repository whose WAL archive exists, for the recovery settings. */
    private static BackupCatalog archive() {
        return new BackupCatalog() {
            public String volume() {
                return "src-backups";
            }

            public String path() {
                return "src-backups";
            }

            public List<BackupEntry> entries() {
                return List.of();
            }

            public boolean archivesWal() {
                return true;
            }

            public Optional<Instant> lastArchived() {
                return Optional.empty();
            }
        };
    }
}

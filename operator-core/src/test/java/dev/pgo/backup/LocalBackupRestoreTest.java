package dev.pgo.backup;

import dev.pgo.PgoException;
import dev.pgo.api.v1.BackupSpec;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.RestoreSpec;
import dev.pgo.reconcile.Convergence;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.StepListener;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.LocalClusters;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Base backups, WAL archiving and restores with real PostgreSQL servers on the local platform. */
class LocalBackupRestoreTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Path BINDIR = Path.of("/usr/lib/postgresql/15/bin");

    private LocalClusters clusters;
    private TempPgoHome home;
    private ConnectionPools pools;
    private Reconciler reconciler;
    private Convergence convergence;
    private BackupService backups;

    @BeforeEach
    void setUp() {
        clusters = new LocalClusters();
        home = clusters.home();
        pools = clusters.pools();
        reconciler = clusters.reconciler();
        convergence = clusters.convergence();
        backups = new BackupService(home.platform(), pools, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        clusters.close();
    }

    /** The cluster's repository as the files in its volume. */
    private BackupRepository onDisk(String cluster) {
        String name = BackupRepository.defaultName(cluster);
        return new BackupRepository(name, name, home.root().resolve("volumes").resolve(name).resolve(name), dir -> { });
    }

    @Test
    void restoresToAPointInTimeToTheLatestStateAndToTheNamedBackup() throws Exception {
        PgCluster source = Clusters.withRoles(Clusters.spec("shop", 1), Map.of("app", List.of()), Map.of("appdb", "app"));
        create(source);
        pgbench("shop", "appdb");
        BackupEntry first = backups.create("shop", BackupProgress.SILENT);
        assertEquals(BackupStatus.Verified, first.status());
        assertEquals("shop-0", first.instance());
        assertTrue(first.sizeBytes() > 0 && first.timeline() == 1 && first.startLsn() != null, first.toString());
        assertTrue(Files.exists(home.root().resolve("volumes/shop-backups/shop-backups/" + first.id() + "/base.tar.lz4")),
                "the seed's layout <cluster>-backups/<id>/");

        sql("shop", "appdb", "CREATE TABLE marks (id int PRIMARY KEY)");
        insertOneByOne("shop", 1, 50);
        Instant noted = Instant.parse(query("shop", "appdb", "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        Thread.sleep(1100);
        insertOneByOne("shop", 51, 100);

        PgCluster pitr = restoreSpec("shop-pitr", 1, r -> {
            r.setCluster("shop");
            r.setTargetTime(noted.toString());
        });
        create(pitr);
        assertEquals("50", query("shop-pitr", "appdb", "SELECT count(*) FROM marks"), "rows committed before the time");
        assertEquals("50", query("shop-pitr", "appdb", "SELECT max(id) FROM marks"));
        assertEquals("100000", query("shop-pitr", "appdb", "SELECT count(*) FROM pgbench_accounts"));
        assertEquals("app", queryAs("shop-pitr", "app", "appdb", "SELECT current_user"),
                "the restored cluster's roles log in with its own passwords");
        assertEquals("t", query("shop-pitr", "postgres", "SELECT NOT pg_is_in_recovery()"));

        PgCluster latest = restoreSpec("shop-latest", 2, r -> r.setCluster("shop"));
        PgClusterStatus status = create(latest);
        assertEquals(2, status.getReadyInstances());
        assertEquals("100", query("shop-latest", "appdb", "SELECT count(*) FROM marks"), "every committed row");
        assertEquals("100", queryOn("shop-latest", "shop-latest-1", "appdb", "SELECT count(*) FROM marks"),
                "the replica is cloned from the restored primary");

        PgCluster seed = restoreSpec("shop-seed", 1, r -> {
            r.setVolume("shop-backups");
            r.setPath("shop-backups/" + first.id());
        });
        create(seed);
        assertEquals("f", query("shop-seed", "appdb", "SELECT to_regclass('marks') IS NOT NULL"),
                "the named backup as it was, without later WAL");
        assertEquals("100000", query("shop-seed", "appdb", "SELECT count(*) FROM pgbench_accounts"));

        RecoveryWindow window = backups.window("shop").orElseThrow();
        assertEquals(first.stopInstant(), window.from());
        assertTrue(window.to().isAfter(noted), "archived WAL extends the window: " + window);
    }

    @Test
    void anInterruptedBackupIsFailedNeverOfferedAndTheNextOneVerifies() throws Exception {
        create(Clusters.spec("busy", 1));
        pgbench("busy", "postgres");
        var killer = killBackupProcessWhenItStarts();
        PgoException error = assertThrows(PgoException.class, () -> backups.create("busy", BackupProgress.SILENT));
        killer.join();
        assertTrue(error.getMessage().contains("failed"), error.getMessage());
        BackupEntry failed = backups.list("busy").getFirst();
        assertEquals(BackupStatus.Failed, failed.status());
        assertTrue(backups.repository("busy").orElseThrow().restorable().isEmpty());
        PgoException refused = assertThrows(PgoException.class, () -> backups.resolve(restore(r -> {
            r.setCluster("busy");
            r.setBackup(failed.id());
        })));
        assertTrue(refused.getMessage().contains("is Failed"), refused.getMessage());

        // a pgo killed mid-backup leaves a Running entry nobody holds: it reads as Failed
        BackupRepository repository = onDisk("busy");
        Path orphan = repository.backupDir("2001-01-01-00-00-00");
        Files.createDirectories(orphan);
        Files.writeString(orphan.resolve(BackupRepository.ENTRY_FILE), dev.pgo.manifest.Manifests.toJson(
                BackupEntry.starting("2001-01-01-00-00-00", "busy", "busy-0", 15, Instant.parse("2001-01-01T00:00:00Z"))));
        BackupEntry orphaned = repository.entry("2001-01-01-00-00-00").orElseThrow();
        assertEquals(BackupStatus.Failed, orphaned.status());
        assertTrue(orphaned.error().contains("interrupted"), orphaned.error());

        Thread.sleep(1000); // ids are seconds
        BackupEntry next = backups.create("busy", BackupProgress.SILENT);
        assertEquals(BackupStatus.Verified, next.status());
    }

    @Test
    void aCorruptBackupFailsVerificationAndIsNotRestored() throws Exception {
        create(Clusters.spec("fragile", 1));
        pgbench("fragile", "postgres");
        BackupEntry entry = backups.create("fragile", BackupProgress.SILENT);
        Path base = onDisk("fragile").backupDir(entry.id()).resolve("base.tar.lz4");
        try (var file = new RandomAccessFile(base.toFile(), "rw")) {
            file.seek(file.length() / 2);
            file.write(new byte[4096]);
        }
        PgCluster restore = restoreSpec("fragile-copy", 1, r -> r.setCluster("fragile"));
        home.platform().clusters().apply(restore);
        var attempt = reconciler.reconcile("fragile-copy", StepListener.SILENT, TIMEOUT);
        assertTrue(attempt.failure() != null && attempt.failure().contains("is damaged"), attempt.failure());
        assertFalse(Files.exists(home.root().resolve("volumes/pgdata-fragile-copy-0/bootstrapped")));

        BackupEntry checked = backups.verify("fragile", entry.id(), BackupProgress.SILENT);
        assertEquals(BackupStatus.Failed, checked.status());
        assertTrue(checked.error().startsWith("verification failed"), checked.error());
        PgoException refused = assertThrows(PgoException.class, () -> backups.resolve(restore(r -> r.setCluster("fragile"))));
        assertTrue(refused.getMessage().contains("no restorable full backup"), refused.getMessage());
    }

    /**
     * The check reads the archives without unpacking them, so it must still see what
     * pg_verifybackup sees: a file whose bytes changed inside a well-formed archive, and a
     * manifest that was edited.
     */
    @Test
    void aChangedFileInsideAWellFormedArchiveAndAnEditedManifestFailVerification() throws Exception {
        create(Clusters.spec("bitrot", 1));
        BackupEntry entry = backups.create("bitrot", BackupProgress.SILENT);
        assertEquals(BackupStatus.Verified, entry.status(), String.valueOf(entry.error()));
        Path dir = onDisk("bitrot").backupDir(entry.id());
        Path base = dir.resolve("base.tar.lz4");
        byte[] original = Files.readAllBytes(base);
        byte[] tar = lz4(original, "-dc");
        int member = memberData(tar, "PG_VERSION");
        assertEquals('1', tar[member]);
        tar[member] = '9'; // "15" becomes "95": same size, another checksum
        Files.write(base, lz4(tar, "-c"));

        BackupEntry rotten = backups.verify("bitrot", entry.id(), BackupProgress.SILENT);
        assertEquals(BackupStatus.Failed, rotten.status());
        assertTrue(rotten.error().contains("checksum mismatch for file \"PG_VERSION\""), rotten.error());

        Files.write(base, original);
        assertEquals(BackupStatus.Verified, backups.verify("bitrot", entry.id(), BackupProgress.SILENT).status());
        Path manifest = dir.resolve(BackupManifest.FILE_NAME);
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"Size\": 3,", "\"Size\": 4,"));
        BackupEntry edited = backups.verify("bitrot", entry.id(), BackupProgress.SILENT);
        assertEquals(BackupStatus.Failed, edited.status());
        assertTrue(edited.error().contains("does not match its own checksum"), edited.error());
    }

    /** lz4 over bytes, both ways: "-dc" decompresses, "-c" compresses. */
    private static byte[] lz4(byte[] input, String mode) throws Exception {
        Process lz4 = new ProcessBuilder("lz4", mode).start();
        var writer = Thread.ofVirtual().start(() -> {
            try (var in = lz4.getOutputStream()) {
                in.write(input);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] output = lz4.getInputStream().readAllBytes();
        writer.join();
        assertEquals(0, lz4.waitFor());
        return output;
    }

    /** Where a tar member's data starts: after the 512-byte header that names it. */
    private static int memberData(byte[] tar, String name) {
        byte[] wanted = (name + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int header = 0; header + 512 <= tar.length; header += 512) {
            if (java.util.Arrays.equals(tar, header, header + wanted.length, wanted, 0, wanted.length)) {
                return header + 512;
            }
        }
        throw new AssertionError(name + " is not in the archive");
    }

    @Test
    void aLogicalBackupRestoresEveryDatabaseWithItsOwnersGrantsAndSettings() throws Exception {
        PgCluster source = Clusters.withRoles(Clusters.spec("dump", 1), Map.of("app", List.of()), Map.of("appdb", "app"));
        create(source);
        pgbench("dump", "appdb");
        sql("dump", "appdb", "ALTER TABLE pgbench_accounts OWNER TO app; CREATE ROLE \"odd \"\"reader$pgo$\" NOLOGIN; "
                + "GRANT SELECT ON pgbench_accounts TO \"odd \"\"reader$pgo$\"; "
                + "ALTER DATABASE appdb SET work_mem = '8MB'");
        sql("dump", "postgres", "CREATE DATABASE \"x=y dbname=appdb\" OWNER app; CREATE TABLE notes (t text); "
                + "INSERT INTO notes VALUES ('in postgres')");
        sql("dump", "x=y dbname=appdb", "CREATE TABLE odd (n int); INSERT INTO odd SELECT generate_series(1, 7)");

        BackupEntry dump = backups.create("dump", BackupEntry.TYPE_LOGICAL, BackupProgress.SILENT);
        assertEquals(BackupStatus.Verified, dump.status(), String.valueOf(dump.error()));
        assertEquals(List.of("appdb", "postgres", "x=y dbname=appdb"),
                dump.contents().databases().stream().map(LogicalContents.DatabaseDump::name).toList());
        assertTrue(dump.contents().roles().contains("odd \"reader$pgo$"), dump.contents().roles().toString());
        Path dumpDir = onDisk("dump").backupDir(dump.id());
        for (var database : dump.contents().databases()) {
            assertEquals(dev.pgo.FileTrees.sha256(dumpDir.resolve(database.file())), database.sha256());
        }
        assertEquals(dump.sizeBytes(), dump.contents().sizeBytes());
        assertTrue(backups.window("dump").isEmpty(), "a dump opens no point-in-time window");

        PgoException toTime = assertThrows(PgoException.class, () -> backups.resolve(restore(r -> {
            r.setCluster("dump");
            r.setBackup(dump.id());
            r.setTargetTime(Instant.now().toString());
        })));
        assertTrue(toTime.getMessage().contains("logical backup"), toTime.getMessage());
        PgoException latest = assertThrows(PgoException.class, () -> backups.resolve(restore(r -> r.setCluster("dump"))));
        assertTrue(latest.hint().contains("--backup"), latest.hint());

        sql("dump", "appdb", "DELETE FROM pgbench_accounts WHERE aid > 10");
        create(restoreSpec("dump-copy", 1, r -> {
            r.setCluster("dump");
            r.setBackup(dump.id());
        }));
        assertEquals("100000", query("dump-copy", "appdb", "SELECT count(*) FROM pgbench_accounts"), "rows as dumped");
        assertEquals("app", query("dump-copy", "appdb", "SELECT tableowner FROM pg_tables WHERE tablename = 'pgbench_accounts'"));
        assertEquals("app", query("dump-copy", "postgres",
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'appdb'"));
        assertEquals("t", query("dump-copy", "appdb",
                "SELECT has_table_privilege('odd \"reader$pgo$', 'pgbench_accounts', 'SELECT')"), "grants come back");
        assertEquals("f", query("dump-copy", "postgres",
                "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'odd \"reader$pgo$'"), "a role outside the spec cannot log in");
        assertEquals("{work_mem=8MB}", query("dump-copy", "postgres", "SELECT setconfig FROM pg_db_role_setting s "
                + "JOIN pg_database d ON d.oid = s.setdatabase WHERE datname = 'appdb'"), "database settings come back");
        assertEquals("7", query("dump-copy", "x=y dbname=appdb", "SELECT count(*) FROM odd"));
        assertEquals("in postgres", query("dump-copy", "postgres", "SELECT t FROM notes"));
        assertEquals("app", queryAs("dump-copy", "app", "appdb", "SELECT current_user"),
                "spec roles log in with the new cluster's passwords");

        Path file = dumpDir.resolve(dump.contents().databases().getFirst().file());
        try (var damaged = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = damaged.length() / 2;
            damaged.seek(middle);
            int b = damaged.read();
            damaged.seek(middle);
            damaged.write(~b);
        }
        BackupEntry checked = backups.verify("dump", dump.id(), BackupProgress.SILENT);
        assertEquals(BackupStatus.Failed, checked.status());
        assertTrue(checked.error().contains("changed since it was written"), checked.error());
        home.platform().clusters().apply(restoreSpec("dump-bad", 1, r -> {
            r.setVolume("dump-backups");
            r.setPath("dump-backups/" + dump.id());
        }));
        var attempt = reconciler.reconcile("dump-bad", StepListener.SILENT, TIMEOUT);
        assertTrue(attempt.failure() != null && attempt.failure().contains("is Failed"), attempt.failure());
        assertFalse(Files.exists(home.root().resolve("volumes/pgdata-dump-bad-0/bootstrapped")));
    }

    @Test
    void retentionKeepsTheNewestAndPrunesWalNoKeptBackupNeeds() throws Exception {
        PgCluster cluster = Clusters.spec("kept", 1);
        var policy = new BackupSpec();
        policy.setKeepLast(2);
        cluster.getSpec().setBackups(policy);
        create(cluster);
        sql("kept", "postgres", "CREATE TABLE t (id int)");
        BackupEntry b1 = backups.create("kept", BackupProgress.SILENT);
        for (int i = 0; i < 3; i++) {
            sql("kept", "postgres", "INSERT INTO t VALUES (" + i + "); SELECT pg_switch_wal()");
        }
        Thread.sleep(1000);
        BackupEntry b2 = backups.create("kept", BackupProgress.SILENT);
        Thread.sleep(1000);
        sql("kept", "postgres", "INSERT INTO t VALUES (100)");
        BackupEntry b3 = backups.create("kept", BackupProgress.SILENT);

        BackupRepository repository = onDisk("kept");
        assertEquals(List.of(b2.id(), b3.id()), repository.entries().stream().map(BackupEntry::id).toList());
        assertFalse(Files.exists(repository.backupDir(b1.id())));
        long oldestNeeded = WalSegments.segmentOf(b2.startLsn());
        assertTrue(repository.walSegments().stream().allMatch(s -> WalSegments.segmentNumber(s) >= oldestNeeded),
                "no archived segment before " + b2.startLsn() + ": " + repository.walSegments());
        assertFalse(repository.walSegments().isEmpty());

        create(restoreSpec("kept-copy", 1, r -> r.setCluster("kept")));
        assertEquals("4", query("kept-copy", "postgres", "SELECT count(*) FROM t"));
    }

    @Test
    void theOperatorLoopRunsAScheduledBackupWhenItIsDue() throws Exception {
        PgCluster cluster = Clusters.spec("hourly", 1);
        var policy = new BackupSpec();
        policy.setSchedule("@hourly");
        cluster.getSpec().setBackups(policy);
        create(cluster);
        var scheduler = new BackupScheduler(home.platform(), backups);
        assertEquals(List.of(), scheduler.runDue(Instant.now()), "not due before the hour");
        assertEquals(List.of("hourly"), scheduler.runDue(Instant.now().plus(Duration.ofHours(1))));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!scheduler.idle() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<BackupEntry> taken = backups.list("hourly");
        assertEquals(1, taken.size());
        assertEquals(BackupStatus.Verified, taken.getFirst().status());
    }

    // --- helpers

    private PgClusterStatus create(PgCluster cluster) {
        home.platform().clusters().apply(cluster);
        return convergence.awaitRunning(cluster.name(), TIMEOUT, StepListener.SILENT);
    }

    private static RestoreSpec restore(java.util.function.Consumer<RestoreSpec> fill) {
        var restore = new RestoreSpec();
        fill.accept(restore);
        return restore;
    }

    private PgCluster restoreSpec(String name, int instances, java.util.function.Consumer<RestoreSpec> fill) {
        PgCluster source = home.platform().clusters().get(name.substring(0, name.indexOf('-'))).orElseThrow();
        PgCluster cluster = Clusters.spec(name, instances);
        cluster.getSpec().setUsers(source.getSpec().getUsers());
        cluster.getSpec().setDatabases(source.getSpec().getDatabases());
        cluster.getSpec().setRestore(restore(fill));
        return cluster;
    }

    private InstanceStatus instance(String cluster, String name) {
        PgClusterStatus status = home.platform().clusters().get(cluster).orElseThrow().getStatus();
        String wanted = name != null ? name : status.getPrimary();
        return status.getInstances().stream().filter(i -> i.getName().equals(wanted)).findFirst().orElseThrow();
    }

    private Connection connect(String cluster, String instance, String role, String database) throws SQLException {
        Credentials login = home.platform().secrets().get(cluster, role).orElseThrow();
        InstanceStatus target = instance(cluster, instance);
        return DriverManager.getConnection("jdbc:postgresql://" + target.getHost() + ":" + target.getPort() + "/"
                + database + "?sslmode=disable", login.username(), login.password());
    }

    private String queryOn(String cluster, String instance, String database, String sql) throws SQLException {
        try (Connection c = connect(cluster, instance, "postgres", database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String query(String cluster, String database, String sql) throws SQLException {
        return queryOn(cluster, null, database, sql);
    }

    private String queryAs(String cluster, String role, String database, String sql) throws SQLException {
        try (Connection c = connect(cluster, null, role, database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void sql(String cluster, String database, String sql) throws SQLException {
        try (Connection c = connect(cluster, null, "postgres", database); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Each row its own transaction, so commit times are spread out. */
    private void insertOneByOne(String cluster, int from, int to) throws SQLException {
        try (Connection c = connect(cluster, null, "postgres", "appdb"); Statement st = c.createStatement()) {
            for (int id = from; id <= to; id++) {
                st.execute("INSERT INTO marks VALUES (" + id + ")");
            }
        }
    }

    /** pgbench's tables at scale 1 (100,000 accounts), loaded by the real pgbench. */
    private void pgbench(String cluster, String database) throws Exception {
        Credentials su = home.platform().secrets().get(cluster, "postgres").orElseThrow();
        InstanceStatus primary = instance(cluster, null);
        var builder = new ProcessBuilder(BINDIR.resolve("pgbench").toString(), "--initialize", "--scale=1", "--quiet",
                "--host=" + primary.getHost(), "--port=" + primary.getPort(), "--username=postgres", database)
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", su.password());
        builder.environment().put("PGSSLMODE", "disable");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
    }

    /** Watches for pg_basebackup among this JVM's descendants and kills it as soon as it appears. */
    private static Thread killBackupProcessWhenItStarts() {
        var killed = new AtomicBoolean();
        return Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!killed.get() && System.nanoTime() < deadline) {
                ProcessHandle.current().descendants()
                        .filter(h -> h.info().command().map(c -> c.endsWith("pg_basebackup")).orElse(false))
                        .findFirst().ifPresent(h -> killed.set(h.destroyForcibly()));
                Thread.onSpinWait();
            }
        });
    }
}

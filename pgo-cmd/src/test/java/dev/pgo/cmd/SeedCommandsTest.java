package dev.pgo.cmd;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.manifest.Manifests;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's commands exactly as the compatibility contract writes them, in the order a DBA
 * would type them, against one $PGO_HOME with real PostgreSQL servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedCommandsTest {
    private TempPgoHome home;
    private Path root;

    @BeforeAll
    void setUp() {
        home = new TempPgoHome();
        root = home.root();
    }

    @AfterAll
    void tearDown() {
        home.close();
    }

    @Test
    @Order(1)
    void createDatabaseMakesOneRunningInstance() {
        PgoRun run = pgo(root, "create", "database", "mydatabase");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("database mydatabase is Running (1/1 ready, primary mydatabase-0)"), run.toString());
        assertTrue(run.err().contains("initialise primary mydatabase-0 (initdb)"), "progress is shown: " + run.err());
    }

    @Test
    @Order(2)
    void createClusterMakesAPrimaryAndTwoReplicas() {
        PgoRun run = pgo(root, "create", "cluster", "mycluster");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("cluster mycluster is Running (3/3 ready, primary mycluster-0)"), run.toString());
    }

    @Test
    @Order(3)
    void showClusterReadsLikeAStatusReport() {
        PgoRun run = pgo(root, "show", "cluster", "mycluster");
        assertEquals(0, run.exit(), run.toString());
        String out = run.out();
        assertTrue(out.contains("Cluster Summary"), out);
        assertTrue(out.matches("(?s).*Phase:\\s+Running.*"), out);
        assertTrue(out.matches("(?s).*mycluster-0\\s+primary\\s+running\\s+yes.*"), out);
        assertTrue(out.matches("(?s).*mycluster-1\\s+replica\\s+streaming\\s+yes.*"), out);
        assertTrue(out.matches("(?s).*mycluster-2\\s+replica\\s+streaming\\s+yes.*"), out);
        assertTrue(out.contains("target_session_attrs=read-write"), out);
        assertTrue(out.contains("(hidden; --show-secrets shows it)"), out);
        String password = home.platform().secrets().get("mycluster", "postgres").orElseThrow().password();
        assertFalse(out.contains(password), "no password in default output");
        assertFalse(run.err().contains(password));

        PgoRun secrets = pgo(root, "show", "cluster", "mycluster", "--show-secrets");
        assertTrue(secrets.out().contains(password), "--show-secrets shows the superuser password");
    }

    @Test
    @Order(4)
    void showDatabaseAllListsOnlyDatabases() {
        PgoRun run = pgo(root, "show", "database", "all");
        assertEquals(0, run.exit(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.getFirst().startsWith("NAME"), run.out());
        assertEquals(2, lines.size(), run.out());
        assertTrue(lines.get(1).matches("mydatabase\\s+Running\\s+1/1\\s+mydatabase-0\\s+15.*"), run.out());

        PgoRun clusters = pgo(root, "show", "cluster", "all", "--no-headers");
        assertEquals(List.of("mycluster"), clusters.out().lines().map(l -> l.split("\\s+")[0]).toList());
    }

    @Test
    @Order(5)
    void showDatabaseWithSeveralNamesShowsEachAndFailsForMissingOnes() {
        assertEquals(0, pgo(root, "create", "database", "db1").exit());
        assertEquals(0, pgo(root, "create", "database", "db2").exit());
        PgoRun run = pgo(root, "show", "database", "db1", "db2", "db3");
        assertEquals(1, run.exit(), "db3 does not exist");
        assertTrue(run.out().contains("Name:        db1"), run.out());
        assertTrue(run.out().contains("Name:        db2"), run.out());
        assertTrue(run.err().contains("no database named db3"), run.err());
    }

    @Test
    @Order(6)
    void showPvcShowsDetailsAndTheFileTree() {
        PgoRun run = pgo(root, "show", "pvc", "pgdata-mycluster-0");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().matches("(?s).*Capacity:\\s+1Gi.*"), run.out());
        assertTrue(run.out().matches("(?s).*Instance:\\s+mycluster-0.*"), run.out());
        assertTrue(run.out().contains("pgdata/"), run.out());
        assertTrue(run.out().contains("PG_VERSION"), run.out());

        PgoRun all = pgo(root, "show", "pvc", "all", "-o", "name");
        assertEquals(List.of("pvc/pgdata-db1-0", "pvc/pgdata-db2-0", "pvc/pgdata-mycluster-0", "pvc/pgdata-mycluster-1",
                "pvc/pgdata-mycluster-2", "pvc/pgdata-mydatabase-0"), all.out().lines().toList());

        PgoRun missing = pgo(root, "show", "pvc", "mypvc");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no PVC named mypvc"), missing.err());
    }

    @Test
    @Order(7)
    void showClusterAsYamlFollowsTheResourceSchema() {
        PgoRun run = pgo(root, "show", "cluster", "mycluster", "-o", "yaml");
        assertEquals(0, run.exit(), run.toString());
        PgCluster parsed = Manifests.readAs(run.out(), PgCluster.class, "output");
        assertEquals("mycluster", parsed.name());
        assertEquals(3, parsed.getSpec().getInstances());
        assertEquals(3, parsed.getStatus().getReadyInstances());
        assertEquals("pgo.dev/v1", parsed.getApiVersion());
    }

    @Test
    @Order(8)
    void applyingAnotherMajorVersionToAnExistingClusterIsRefused() throws Exception {
        PgoRun yaml = pgo(root, "show", "cluster", "mycluster", "-o", "yaml");
        PgCluster cluster = Manifests.readAs(yaml.out(), PgCluster.class, "output");
        cluster.getSpec().setPostgresVersion(cluster.getSpec().getPostgresVersion() + 1);
        cluster.setStatus(null);
        Path manifest = root.resolve("upgrade.yaml");
        Files.writeString(manifest, Manifests.toYaml(cluster));

        PgoRun run = pgo(root, "apply", "-f", manifest.toString());

        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("spec.postgresVersion: cannot change from"), run.err());
        assertEquals(1L, home.platform().clusters().get("mycluster").orElseThrow().getMetadata().getGeneration(),
                "the stored spec is unchanged");
    }

    @Test
    @Order(9)
    void createBackupOfAClusterAndOfADatabaseAsTheSeedWritesIt() throws Exception {
        sql("mydatabase", "CREATE TABLE notes (id int); INSERT INTO notes VALUES (1)");
        PgoRun cluster = pgo(root, "create", "backup", "mycluster");
        assertEquals(0, cluster.exit(), cluster.toString());
        assertTrue(cluster.out().matches("(?s)backup \\S+ of mycluster is Verified .*"), cluster.out());
        PgoRun database = pgo(root, "create", "backup", "mydatabase");
        assertEquals(0, database.exit(), database.toString());
        assertTrue(database.err().contains("verifying"), "progress is shown: " + database.err());
        sql("mydatabase", "INSERT INTO notes VALUES (2)");

        PgoRun names = pgo(root, "show", "backup", "mydatabase", "-o", "name");
        backupId = names.out().strip();
        assertTrue(backupId.matches("\\d{4}(-\\d{2}){5}"), names.toString());
        assertTrue(Files.exists(root.resolve("volumes/mydatabase-backups/mydatabase-backups/" + backupId
                + "/base.tar.lz4")), "the seed's <name>-backups/<timestamp>/ layout");

        PgoRun table = pgo(root, "show", "backup", "mydatabase");
        assertTrue(table.out().lines().findFirst().orElse("").matches("ID\\s+STATUS\\s+TYPE\\s+FINISHED\\s+DURATION\\s+SIZE.*"),
                table.out());
        assertTrue(table.out().matches("(?s).*" + backupId + "\\s+Verified\\s+full.*Recoverable: any moment from.*"),
                table.out());
        @SuppressWarnings("unchecked")
        var json = (java.util.Map<String, Object>) Manifests.readAs(pgo(root, "show", "backup", "mydatabase", "-o", "json")
                .out(), java.util.Map.class, "show backup -o json");
        assertEquals("BackupList", json.get("kind"));
        var entries = (List<java.util.Map<String, Object>>) json.get("backups");
        assertEquals(backupId, entries.getFirst().get("id"));
        assertEquals("Verified", entries.getFirst().get("status"));
        assertTrue(json.get("recoverableFrom") != null && json.get("recoverableTo") != null, json.toString());

        PgoRun all = pgo(root, "show", "backup", "all");
        assertEquals(0, all.exit(), all.toString());
        assertTrue(all.out().lines().findFirst().orElse("").matches("NAME\\s+BACKUPS\\s+NEWEST\\s+STATUS\\s+FINISHED.*"),
                all.out());
        assertTrue(all.out().matches("(?s).*\\nmydatabase\\s+1\\s+" + backupId + "\\s+Verified\\s.*"), all.out());
        assertTrue(pgo(root, "show", "backup", "all", "-o", "name").out().lines().toList()
                .contains("mydatabase/" + backupId), "NAME/ID lines for scripts");
        @SuppressWarnings("unchecked")
        var allJson = (java.util.Map<String, Object>) Manifests.readAs(pgo(root, "show", "backup", "all", "-o", "json")
                .out(), java.util.Map.class, "show backup all -o json");
        var lists = (List<java.util.Map<String, Object>>) allJson.get("items");
        var mine = lists.stream().filter(l -> "mydatabase".equals(l.get("cluster"))).findFirst().orElseThrow();
        assertEquals("BackupList", mine.get("kind"));
        assertEquals(backupId, ((List<java.util.Map<String, Object>>) mine.get("backups")).getFirst().get("id"));

        PgoRun pvc = pgo(root, "show", "pvc", "mydatabase-backups", "--depth", "3");
        assertEquals(0, pvc.exit(), pvc.toString());
        assertTrue(pvc.out().contains(backupId + "/") && pvc.out().contains("base.tar.lz4")
                && pvc.out().contains("backup_manifest"), pvc.out());
    }

    @Test
    @Order(10)
    void theSeedRestoreFormRestoresTheNamedBackupPath() throws Exception {
        PgoRun run = pgo(root, "create", "database", "myrestore", "--backup-pvc=mydatabase-backups",
                "--backup-path=mydatabase-backups/" + backupId);
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("database myrestore is Running"), run.toString());
        assertEquals("1", query("myrestore", "SELECT string_agg(id::text, ',') FROM notes"),
                "the row written after the backup is not in it");

        PgoRun missing = pgo(root, "create", "database", "norestore", "--backup-pvc=mydatabase-backups",
                "--backup-path=mydatabase-backups/2001-01-01-00-00-00");
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("there is no backup 2001-01-01-00-00-00"), missing.err());
        assertTrue(home.platform().clusters().get("norestore").isEmpty(), "nothing is stored for a bad restore");
        PgoRun future = pgo(root, "create", "cluster", "later", "--restore-from", "mydatabase", "--to-time",
                "2999-01-01T00:00:00Z");
        assertEquals(1, future.exit(), future.toString());
        assertTrue(future.err().contains("in the future"), future.err());

        assertEquals(0, pgo(root, "delete", "database", "myrestore").exit());
        PgoRun dump = pgo(root, "create", "backup", "mydatabase", "--type", "logical", "-o", "json");
        assertEquals(0, dump.exit(), dump.toString());
        assertTrue(dump.err().contains("dumping postgres (1 of 1)"), "progress names each database: " + dump.err());
        @SuppressWarnings("unchecked")
        var dumped = (java.util.Map<String, Object>) Manifests.readAs(dump.out(), java.util.Map.class, "json");
        assertEquals("logical", dumped.get("type"));
        assertEquals("Verified", dumped.get("status"));
        PgoRun fromDump = pgo(root, "create", "database", "fromdump", "--restore-from", "mydatabase", "--backup",
                (String) dumped.get("id"));
        assertEquals(0, fromDump.exit(), fromDump.toString());
        assertEquals("1,2", query("fromdump", "SELECT string_agg(id::text, ',' ORDER BY id) FROM notes"),
                "the dump holds both rows");
        assertEquals(0, pgo(root, "delete", "database", "fromdump").exit());
        PgoRun badType = pgo(root, "create", "backup", "mydatabase", "--type", "incremental");
        assertEquals(1, badType.exit(), badType.toString());
        assertTrue(badType.err().contains("'incremental' is not a backup type"), badType.err());
        assertEquals(0, pgo(root, "delete", "backup", "mydatabase", (String) dumped.get("id")).exit());

        PgoRun delete = pgo(root, "delete", "backup", "mydatabase", backupId);
        assertEquals(0, delete.exit(), delete.toString());
        assertEquals("", pgo(root, "show", "backup", "mydatabase", "-o", "name").out());
        assertEquals(1, pgo(root, "delete", "backup", "mydatabase", backupId).exit(), "already gone");
    }

    private String backupId;

    private void sql(String cluster, String statements) throws Exception {
        try (var c = connectToPrimary(cluster); var st = c.createStatement()) {
            st.execute(statements);
        }
    }

    private String query(String cluster, String sql) throws Exception {
        try (var c = connectToPrimary(cluster); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private java.sql.Connection connectToPrimary(String cluster) throws java.sql.SQLException {
        return home.connectToPrimary(cluster);
    }

    @Test
    @Order(11)
    void deleteOfTheWrongKindIsRefused() {
        PgoRun run = pgo(root, "delete", "cluster", "mydatabase");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("mydatabase is a database, not a cluster"), run.err());
        assertTrue(home.platform().clusters().get("mydatabase").isPresent());
    }

    @Test
    @Order(12)
    void deleteDatabaseAndDeleteClusterRemoveEverythingButBackups() throws Exception {
        assertEquals(0, pgo(root, "delete", "database", "db2", "--no-wait").exit());
        assertTrue(pgo(root, "show", "database", "all").out().lines()
                .anyMatch(l -> l.matches("db2\\s+Deleting.*")), "a cluster being deleted shows as Deleting");
        assertEquals(0, pgo(root, "operator", "--once", "db2").exit());
        assertEquals(0, pgo(root, "delete", "database", "mydatabase").exit());
        PgoRun run = pgo(root, "delete", "cluster", "mycluster");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("cluster mycluster deleted"), run.out());
        assertTrue(run.err().contains("its backups stay in mycluster-backups"), run.err());
        try (var volumes = Files.list(root.resolve("volumes"))) {
            assertEquals(List.of("mycluster-backups", "mydatabase-backups", "pgdata-db1-0"),
                    volumes.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(0, pgo(root, "delete", "backup", "mycluster", "--all").exit());
        assertEquals(0, pgo(root, "delete", "backup", "mydatabase", "--all").exit());
        try (var volumes = Files.list(root.resolve("volumes"))) {
            assertEquals(List.of("pgdata-db1-0"), volumes.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(1, pgo(root, "show", "cluster", "mycluster").exit());
    }
}

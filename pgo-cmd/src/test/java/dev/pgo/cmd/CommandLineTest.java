package dev.pgo.cmd;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.manifest.Manifests;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command-line behaviour that needs no running server: dry runs, refusals, exit codes. */
class CommandLineTest {
    private TempPgoHome home;

    @BeforeEach
    void setUp() {
        home = new TempPgoHome();
    }

    @AfterEach
    void tearDown() {
        home.close();
    }

    @Test
    void dryRunPrintsTheManifestItWouldApplyAndStoresNothing() {
        PgoRun run = pgo(home.root(), "create", "cluster", "preview", "--replicas", "1", "--storage", "2Gi",
                "--dry-run", "-o", "yaml");
        assertEquals(0, run.exit(), run.toString());
        PgCluster cluster = Manifests.read(run.out(), "dry run");
        assertEquals(2, cluster.getSpec().getInstances());
        assertEquals("2Gi", cluster.getSpec().getStorage().getSize());
        assertEquals(home.platform().defaultPostgresVersion(), cluster.getSpec().getPostgresVersion(),
                "the default version is the newest installed");
        assertEquals("cluster", cluster.getMetadata().getLabels().get(PgCluster.KIND_LABEL));
        assertTrue(home.platform().clusters().list().isEmpty());
    }

    @Test
    void invalidOptionsAreRefusedWithEveryProblemAndNothingChanges() {
        PgoRun run = pgo(home.root(), "create", "cluster", "Bad_Name", "--storage", "lots", "--version", "9",
                "--parameter", "port=15999");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("metadata.name"), run.err());
        assertTrue(run.err().contains("spec.storage.size: 'lots' is not a size"), run.err());
        assertTrue(run.err().contains("PostgreSQL 9 is not supported"), run.err());
        assertTrue(run.err().contains("spec.parameters.port: cannot be set"), run.err());
        assertTrue(run.err().contains("nothing was changed"), run.err());
        assertTrue(home.platform().clusters().list().isEmpty());
        assertTrue(home.platform().volumes().list().isEmpty());
    }

    private PgoRun apply(String yaml) throws Exception {
        Path manifest = home.root().resolve("manifest.yaml");
        Files.writeString(manifest, yaml);
        return pgo(home.root(), "apply", "-f", manifest.toString());
    }

    @Test
    void applyRefusesAMalformedManifestAndStoresNothing() throws Exception {
        PgoRun run = apply("""
                apiVersion: pgo.dev/v1
                kind: PgCluster
                metadata:
                  name: typo
                spec:
                  instnces: 3
                """);
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("unknown field 'instnces'"), run.err());
        assertTrue(home.platform().clusters().list().isEmpty());
    }

    @Test
    void applyRefusesAVersionThatIsNotInstalled() throws Exception {
        PgoRun run = apply("""
                apiVersion: pgo.dev/v1
                kind: PgCluster
                metadata:
                  name: old
                spec:
                  instances: 1
                  postgresVersion: 13
                """);
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("PostgreSQL 13 is not installed on this machine"), run.err());
        assertTrue(home.platform().clusters().list().isEmpty());
    }

    @Test
    void everyCommandHasHelpThatExitsZero() {
        for (String[] command : new String[][]{{"create", "cluster"}, {"create", "database"}, {"show", "cluster"},
                {"show", "database"}, {"show", "pvc"}, {"delete", "cluster"}, {"delete", "database"}, {"apply"},
                {"operator"}, {"version"}, {"create"}, {"show"}, {"delete"}}) {
            var argv = new java.util.ArrayList<>(java.util.List.of(command));
            argv.add("--help");
            PgoRun run = pgo(home.root(), argv.toArray(String[]::new));
            assertEquals(0, run.exit(), String.join(" ", command) + ": " + run);
            assertTrue(run.out().startsWith("Usage: pgo " + String.join(" ", command)), run.out());
        }
        assertTrue(pgo(home.root(), "create", "cluster", "--help").out().contains("--version=MAJOR"));
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, pgo(home.root(), "create", "cluster").exit(), "missing NAME");
        assertEquals(2, pgo(home.root(), "show", "cluster", "x", "--bogus").exit());
        assertEquals(2, pgo(home.root(), "create", "cluster", "x", "--replicas", "many").exit());
    }

    @Test
    void showOnAnEmptyHomeSaysSoAndSucceeds() {
        PgoRun run = pgo(home.root(), "show", "cluster", "all");
        assertEquals(0, run.exit());
        assertEquals("", run.out());
        assertTrue(run.err().contains("no clusters on local"), run.err());
    }

    @Test
    void versionPrintsPgoAndJava() {
        PgoRun run = pgo(home.root(), "version");
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("pgo "), run.out());
        assertTrue(run.out().contains("java 25"), run.out());
    }
}
